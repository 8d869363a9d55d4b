/* A master, written as an ordinary PVM program: spawns NW pp_workers,
 * asks to be told when each exits (pvm_notify PvmTaskExit), hands out
 * UNITS work units on demand and checks every result.  At the end it stops
 * all workers but the first, which it kills with pvm_kill, and waits for
 * exactly one exit notification per worker, each after the worker was
 * told to stop (or killed): a notification earlier, or twice, is an error.
 * It prints the worker tids first, so that a test can pick one.
 * usage: pp_master NW UNITS MS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <pvm3.h>
#include "pp_common.h"

#define MAXW 8

int main(int argc, char **argv) {
  int nw = argc > 1 ? atoi(argv[1]) : 3;
  int units = argc > 2 ? atoi(argv[2]) : 40;
  char *ms = argc > 3 ? argv[3] : "100";
  char *wargv[2];
  int tids[MAXW], ended[MAXW], told[MAXW], per[MAXW];
  int i, got, next = 0, done = 0, bad = 0, unknown = 0, early = 0, twice = 0, notes = 0;
  long sum = 0, want = 0;
  struct timeval tmout;

  if (nw > MAXW) nw = MAXW;
  if (pvm_mytid() < 0) return 1;
  wargv[0] = ms;
  wargv[1] = 0;
  got = pvm_spawn("pp_worker", wargv, PvmTaskDefault, "", nw, tids);
  if (got < nw) {
    printf("pp_master: spawned only %d of %d workers\n", got, nw);
    for (i = 0; i < got; i++) pvm_kill(tids[i]);
    pvm_exit();
    return 1;
  }
  printf("workers:");
  for (i = 0; i < nw; i++) printf(" t%x", tids[i]);
  printf("\n");
  fflush(stdout);
  memset(ended, 0, sizeof ended);
  memset(told, 0, sizeof told);
  memset(per, 0, sizeof per);
  pvm_notify(PvmTaskExit, TAG_EXIT, nw, tids);

  while (done < units) {
    int bufid = pvm_recv(-1, -1), bytes, tag, src, w = -1, who, u, v;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    if (tag == TAG_EXIT) {
      int t;
      pvm_upkint(&t, 1, 1);
      printf("pp_master: worker t%x exited while it had work\n", t);
      early++;
      continue;
    }
    for (i = 0; i < nw; i++)
      if (tids[i] == src) w = i;
    if (w < 0) {
      printf("pp_master: message tag %d from unknown task t%x\n", tag, src);
      unknown++;
      continue;
    }
    pvm_upkint(&who, 1, 1);
    if (tag == TAG_RESULT) {
      pvm_upkint(&u, 1, 1);
      pvm_upkint(&v, 1, 1);
      if (v != unit_value(u)) {
        printf("pp_master: unit %d: got %d, want %d\n", u, v, unit_value(u));
        bad++;
      }
      sum += v;
      per[w]++;
      done++;
    }
    if (who != src) {
      printf("pp_master: t%x says it is t%x\n", src, who);
      unknown++;
    }
    pvm_initsend(PvmDataDefault);
    if (next < units) {
      pvm_pkint(&next, 1, 1);
      pvm_send(src, TAG_WORK);
      next++;
    }
  }
  for (i = 0; i < units; i++) want += unit_value(i);
  /* All results are in: stop the workers, the first one by pvm_kill. */
  for (i = 0; i < nw; i++) {
    told[i] = 1;
    if (i == 0) {
      pvm_kill(tids[0]);
    } else {
      pvm_initsend(PvmDataDefault);
      pvm_send(tids[i], TAG_STOP);
    }
  }
  /* One exit notification per worker, then nothing more for a while. */
  while (notes < nw) {
    int bufid, bytes, tag, src, t;
    tmout.tv_sec = 120;
    tmout.tv_usec = 0;
    bufid = pvm_trecv(-1, TAG_EXIT, &tmout);
    if (bufid <= 0) break;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    pvm_upkint(&t, 1, 1);
    for (i = 0; i < nw; i++)
      if (tids[i] == t) {
        if (!told[i]) early++;
        if (ended[i]++) twice++;
      }
    notes++;
  }
  tmout.tv_sec = 3;
  tmout.tv_usec = 0;
  while (pvm_trecv(-1, TAG_EXIT, &tmout) > 0) twice++;
  for (i = 0; i < nw; i++)
    printf("worker %d: %s\n", i, per[i] > 0 ? "worked" : "idle");
  printf("pp_master: %d units, %d wrong, sum %s, %d from unknown tasks\n", units, bad,
         sum == want ? "right" : "WRONG", unknown);
  printf("pp_master: %d of %d exit notifications, %d early, %d repeated\n", notes, nw, early, twice);
  pvm_exit();
  return bad || unknown || sum != want || notes != nw || early || twice ? 1 : 0;
}
