/* The PVM task and message calls a master/worker program uses besides
 * send and recv, in the usual style.  The master spawns two workers
 * together on the hosts of one architecture (they are siblings) and a
 * sleeper on another, starts the workers with pvm_mcast, then in each round
 * psends a block of bytes to one worker, which precv's it, sums it and
 * passes the sum to its sibling; the sibling takes it with pvm_trecv and
 * reports to the master, which waits with pvm_nrecv (even rounds) or
 * pvm_probe (odd rounds) while it does work of its own, and checks every
 * message's source with pvm_bufinfo.  Then pvm_tidtohost must agree with
 * where each worker says it runs, pvm_tasks must list it there by its tid,
 * pvm_sendsig(SIGHUP) must reach each
 * worker's handler, pvm_pstat must see the sleeper until pvm_kill ends it.
 * Prints nothing that depends on tids or hosts.
 * usage: peer_calls [ROUNDS] [WORKER_ARCH] [SLEEPER_ARCH] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <pvm3.h>

#define TAG_START 41
#define TAG_DATA 42
#define TAG_PEER 43
#define TAG_RESULT 44
#define TAG_WHERE 45
#define TAG_HERE 46
#define TAG_SIGNALLED 47
#define TAG_STOP 48
#define TAG_NEVER 49
#define N 500

static volatile sig_atomic_t hups = 0;

static void on_hup(int sig) {
  (void)sig;
  hups++;
}

static void fill(unsigned char *v, int round) {
  int i;
  for (i = 0; i < N; i++) v[i] = (unsigned char)((i * 7 + round * 13) % 251);
}

static void worker(void) {
  int parent = pvm_parent(), *sibs, nsib, me = -1, rounds, r, i, sum, rtid, rtag, rlen, bufid, src;
  unsigned char data[N];
  /* (Initialized: an address-taken local moves whole, and 64-bit garbage
   * in a long cannot be held by an i386 host -- the migration would be
   * refused.) */
  struct timeval tmout = {0, 0};
  signal(SIGHUP, on_hup);
  nsib = pvm_siblings(&sibs);
  for (i = 0; i < nsib; i++)
    if (sibs[i] == pvm_mytid()) me = i;
  pvm_recv(parent, TAG_START);
  pvm_upkint(&rounds, 1, 1);
  for (r = 0; r < rounds; r++) {
    if (r % 2 == me) {
      pvm_precv(parent, TAG_DATA, data, N, PVM_BYTE, &rtid, &rtag, &rlen);
      sum = 0;
      for (i = 0; i < N; i++) sum += data[i];
      if (rtid != parent || rtag != TAG_DATA || rlen != N) sum = -999999;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&sum, 1, 1);
      pvm_send(sibs[1 - me], TAG_PEER);
    } else {
      tmout.tv_sec = 30;
      tmout.tv_usec = 0;
      bufid = pvm_trecv(sibs[1 - me], TAG_PEER, &tmout);
      if (bufid <= 0) {
        sum = -888888;
      } else {
        pvm_bufinfo(bufid, &rlen, &rtag, &src);
        pvm_upkint(&sum, 1, 1);
        if (src != sibs[1 - me]) sum = -777777;
      }
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&r, 1, 1);
      pvm_pkint(&sum, 1, 1);
      pvm_send(parent, TAG_RESULT);
    }
  }
  /* Where am I?  Then wait for the master's SIGHUP. */
  pvm_recv(parent, TAG_WHERE);
  i = pvm_tidtohost(pvm_mytid());
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&i, 1, 1);
  pvm_send(parent, TAG_HERE);
  tmout.tv_sec = 0;
  tmout.tv_usec = 100000;
  for (i = 0; i < 600 && !hups; i++) pvm_trecv(parent, TAG_NEVER, &tmout);
  i = hups;
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&me, 1, 1);
  pvm_pkint(&i, 1, 1);
  pvm_send(parent, TAG_SIGNALLED);
  pvm_recv(parent, TAG_STOP);
}

static void sleeper(void) {
  pvm_recv(pvm_parent(), TAG_NEVER);
}

static double busy(int k) {
  double s = 0;
  int i;
  for (i = 1; i < 2000; i++) s += 1.0 / (i + k);
  return s;
}

static void master(int rounds, char *warch, char *sarch) {
  char *wargv[] = {"worker", 0}, *sargv[] = {"sleeper", 0};
  int w[2], s, r, i, sum, round, src, bytes, tag, bufid, host, before, after, me, count, polls;
  unsigned char data[N];
  struct timeval tick = {0, 0};
  struct pvmtaskinfo *ti;
  int nt;
  double work = 0;
  if (pvm_spawn("peer_calls", wargv, PvmTaskArch, warch, 2, w) != 2 ||
      pvm_spawn("peer_calls", sargv, PvmTaskArch, sarch, 1, &s) != 1) {
    printf("spawn failed\n");
    return;
  }
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&rounds, 1, 1);
  pvm_mcast(w, 2, TAG_START);
  for (r = 0; r < rounds; r++) {
    fill(data, r);
    pvm_psend(w[r % 2], TAG_DATA, data, N, PVM_BYTE);
    polls = 0;
    if (r % 2 == 0) {
      while ((bufid = pvm_nrecv(-1, TAG_RESULT)) == 0) work += busy(polls++);
    } else {
      while (pvm_probe(w[1 - r % 2], TAG_RESULT) == 0) work += busy(polls++);
      bufid = pvm_recv(w[1 - r % 2], TAG_RESULT);
    }
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    pvm_upkint(&round, 1, 1);
    pvm_upkint(&sum, 1, 1);
    printf("round %d: sum %d reported by worker %d (%s)\n", round, sum, src == w[0] ? 0 : src == w[1] ? 1 : -1,
           src == w[1 - r % 2] ? "the sibling" : "WRONG SOURCE");
  }
  for (i = 0; i < 2; i++) {
    before = pvm_tidtohost(w[i]);
    pvm_initsend(PvmDataDefault);
    pvm_send(w[i], TAG_WHERE);
    pvm_recv(w[i], TAG_HERE);
    pvm_upkint(&host, 1, 1);
    after = pvm_tidtohost(w[i]);
    printf("worker %d: pvm_tidtohost %s\n", i, host == before || host == after ? "agrees" : "DISAGREES");
    nt = 0;
    pvm_tasks(w[i], &nt, &ti);
    printf("worker %d: pvm_tasks %s\n", i,
           nt == 1 && ti[0].ti_tid == w[i] && ti[0].ti_host == pvm_tidtohost(w[i]) ? "finds it where it runs"
                                                                                  : "DOES NOT FIND IT");
    pvm_sendsig(w[i], SIGHUP);
  }
  for (i = 0; i < 2; i++) {
    pvm_recv(-1, TAG_SIGNALLED);
    pvm_upkint(&me, 1, 1);
    pvm_upkint(&count, 1, 1);
    printf("a worker caught SIGHUP %s\n", count == 1 ? "once" : count ? "SEVERAL TIMES" : "NEVER");
  }
  printf("sleeper: %s\n", pvm_pstat(s) == PvmOk ? "running" : "NOT RUNNING");
  pvm_kill(s);
  for (i = 0; i < 300 && pvm_pstat(s) == PvmOk; i++) {
    tick.tv_sec = 0;
    tick.tv_usec = 100000;
    pvm_trecv(-1, TAG_NEVER, &tick);
  }
  printf("sleeper after pvm_kill: %s\n", pvm_pstat(s) == PvmNoTask ? "gone" : "STILL THERE");
  pvm_initsend(PvmDataDefault);
  pvm_mcast(w, 2, TAG_STOP);
  printf("done: %d rounds (work %s)\n", rounds, work >= 0 ? "done" : "?");
}

int main(int argc, char **argv) {
  if (pvm_mytid() < 0) return 1;
  if (pvm_parent() == PvmNoParent)
    master(argc > 1 ? atoi(argv[1]) : 12, argc > 2 ? argv[2] : "LINUXS390", argc > 3 ? argv[3] : "LINUX");
  else if (argc > 1 && strcmp(argv[1], "worker") == 0)
    worker();
  else
    sleeper();
  pvm_exit();
  return 0;
}
