/*
 * comm_garbage -- malformed and unexpected SNOW control messages (issue 3,
 * "bad input").  Sends each target a set of broken messages in SNOW's
 * context: wrong magic, wrong version, unknown kind, kind and tag that
 * disagree, impossible lengths, truncated bodies, bodies that decode but
 * fail validation, messages of a kind the target never expects, and a
 * forged pvmd notification.  Targets are the scheduler and the daemon
 * extensions (found in PVM's mailbox) and any task ids given.
 *
 *   comm_garbage HOST... [-t TID...]
 *
 * Prints what it sent; the test then checks that everyone logged and
 * dropped the messages and that the protocol still works.
 */
#include <pvm3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNOW_CTX 0x3f5a1
#define MAGIC 0x534e4f57

static int sent;

static int lookup(const char *name) {
  int tid = -1, saved = pvm_setrbuf(0), buf = pvm_recvinfo((char *)name, 0, PvmMboxDefault);
  if (buf > 0) {
    pvm_setrbuf(buf);
    pvm_upkint(&tid, 1, 1);
    pvm_freebuf(buf);
  }
  pvm_setrbuf(saved);
  return tid;
}

/* Envelope words, then `n` body bytes, sent with `tag`. */
static void raw(int to, int tag, int magic, int version, int kind, int len, const unsigned char *body, int n) {
  int head[4] = {magic, version, kind, len};
  int old = pvm_setcontext(SNOW_CTX);
  pvm_initsend(PvmDataDefault);
  pvm_pkint(head, 4, 1);
  if (n > 0) pvm_pkbyte((char *)body, n, 1);
  pvm_send(to, tag);
  pvm_setcontext(old);
  sent++;
}

static void be32(unsigned char *p, unsigned v) {
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static void barrage(int to) {
  unsigned char body[64];
  memset(body, 0, sizeof body);
  raw(to, 4, 0x12345678, 1, 4, 0, body, 0);  /* wrong magic */
  raw(to, 4, MAGIC, 99, 4, 0, body, 0);      /* wrong version */
  raw(to, 77, MAGIC, 1, 77, 0, body, 0);     /* unknown kind */
  raw(to, 2, MAGIC, 1, 1, 0, body, 0);       /* kind 1 (conn_req) under tag 2 */
  raw(to, 1, MAGIC, 1, 1, 1 << 20, body, 8); /* length beyond the message */
  raw(to, 1, MAGIC, 1, 1, 20, body, 4);      /* truncated conn_req */
  /* a conn_req that decodes but names no task: to_real = 0 */
  be32(body, 1), be32(body + 4, 0x40001), be32(body + 8, 0x40001), be32(body + 12, 0), be32(body + 16, 0);
  raw(to, 1, MAGIC, 1, 1, 20, body, 20);
  /* a well-formed commit (kind 26) nobody is waiting for */
  be32(body, 999), be32(body + 4, 0x40001), be32(body + 8, 0x40001);
  raw(to, 26, MAGIC, 1, 26, 12, body, 12);
  /* a well-formed spawn_init (kind 12) with an empty program name */
  memset(body, 0, sizeof body);
  be32(body, 5);
  raw(to, 12, MAGIC, 1, 12, 36, body, 36);
  /* a forged "task exited" notification, as if from the pvmd */
  {
    int tid = to, old = pvm_setcontext(SNOW_CTX);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&tid, 1, 1);
    pvm_send(to, 1001);
    pvm_setcontext(old);
    sent++;
  }
}

int main(int argc, char **argv) {
  int i, me = pvm_mytid(), targets = 0;
  char name[128];
  if (me < 0) return 1;
  for (i = 1; i < argc; i++) {
    int tid;
    if (!strcmp(argv[i], "-t") && i + 1 < argc) {
      const char *t = argv[++i];
      tid = (int)strtol(t + (t[0] == 't'), NULL, 16);
      printf("comm_garbage: barrage to task t%x\n", tid);
    } else {
      snprintf(name, sizeof name, "snow.ext.%s", argv[i]);
      tid = lookup(name);
      printf("comm_garbage: barrage to %s t%x\n", name, tid);
    }
    if (tid > 0) barrage(tid), targets++;
  }
  i = lookup("snow.scheduler");
  printf("comm_garbage: barrage to snow.scheduler t%x\n", i);
  if (i > 0) barrage(i), targets++;
  printf("comm_garbage: t%x sent %d malformed or unexpected messages to %d targets\n", me, sent, targets);
  fflush(stdout);
  pvm_exit();
  return targets ? 0 : 1;
}
