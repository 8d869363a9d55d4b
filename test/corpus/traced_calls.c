/* A master and one worker exchange blocks of ints with pvm_psend and
 * pvm_precv, the master waiting for each answer with pvm_probe while it
 * does work of its own -- and, as a program being traced does, each turns
 * its own tracing off for a stretch of rounds (pvm_settmask of an empty
 * mask) and back on afterwards (the mask pvm_gettmask gave it at start).
 * The master has no parent (pvm_parent), spawns the worker (pvm_spawn),
 * and the worker learns its master with pvm_parent.  Round r's messages
 * carry tag 100 + r; the blocks are bytes (psend moves them unconverted
 * between hosts of any byte order).  Prints nothing that depends on tids or hosts.
 * usage: traced_calls [ROUNDS] [OFF_FROM] [ON_FROM] [WORKER_ARCH] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvm3.h>
#include <pvmtev.h>

#define TAG0 100
#define N 256
#define WORK 20000

static int rounds = 24, off_from = 6, on_from = 18;
static Pvmtmask mine, none;

/* Tracing off for rounds [off_from, on_from), on again after. */
static void tracing_for(int r) {
  if (r == off_from) pvm_settmask(PvmTaskSelf, none);
  if (r == on_from) pvm_settmask(PvmTaskSelf, mine);
}

static unsigned mix(unsigned char *v, int r) {
  unsigned h = 2166136261u;
  int i, k;
  for (i = 0; i < N; i++) {
    unsigned x = v[i] ^ (unsigned)r;
    for (k = 0; k < WORK / N; k++) x = x * 1103515245u + 12345u;
    v[i] = (unsigned char)(x >> 16);
    h = (h ^ x) * 16777619u;
  }
  return h;
}

static void worker(void) {
  unsigned char v[N];
  int parent = pvm_parent(), r, rtid, rtag, rlen;
  for (r = 0; r < rounds; r++) {
    tracing_for(r);
    if (pvm_precv(parent, TAG0 + r, v, N, PVM_BYTE, &rtid, &rtag, &rlen) < 0) exit(2);
    if (rtid != parent || rtag != TAG0 + r || rlen != (int)sizeof v) exit(3);
    mix(v, r);
    pvm_psend(parent, TAG0 + r, v, N, PVM_BYTE);
  }
}

static void master(const char *arch, char **args) {
  unsigned char v[N];
  unsigned sum = 0, own = 0;
  int w, r, i, rtid, rtag, rlen, waits = 0;
  if (pvm_spawn("traced_calls", args, *arch ? PvmTaskArch : PvmTaskDefault, (char *)arch, 1, &w) != 1) {
    printf("traced_calls: could not spawn the worker\n");
    return;
  }
  for (r = 0; r < rounds; r++) {
    tracing_for(r);
    for (i = 0; i < N; i++) v[i] = (unsigned char)(r * N + i + (i >> 3));
    pvm_psend(w, TAG0 + r, v, N, PVM_BYTE);
    /* Wait with pvm_probe, working meanwhile. */
    while (pvm_probe(w, TAG0 + r) == 0) {
      unsigned char x[N];
      int k;
      memset(x, 0, sizeof x);
      for (k = 0; k < 10; k++) own ^= mix(x, waits++ & 7);
    }
    pvm_precv(w, TAG0 + r, v, N, PVM_BYTE, &rtid, &rtag, &rlen);
    if (rtid != w || rtag != TAG0 + r || rlen != (int)sizeof v) {
      printf("traced_calls: round %d: wrong message (tag %d, %d bytes)\n", r, rtag, rlen);
      return;
    }
    for (i = 0; i < N; i++) sum = sum * 31u + v[i];
    if (r % 6 == 5) printf("round %d: %08x\n", r, sum);
  }
  printf("traced_calls: %d rounds, checksum %08x\n", rounds, sum);
}

int main(int argc, char **argv) {
  /* The worker is spawned with the master's arguments. */
  if (argc > 1) rounds = atoi(argv[1]);
  if (argc > 2) off_from = atoi(argv[2]);
  if (argc > 3) on_from = atoi(argv[3]);
  TEV_MASK_INIT(none);
  pvm_gettmask(PvmTaskSelf, mine);
  if (pvm_parent() == PvmNoParent)
    master(argc > 4 ? argv[4] : "", argv + 1);
  else
    worker();
  pvm_exit();
  return 0;
}
