/* SPMD with PVM groups: the first task spawns the others; all join the
 * group "corpus_ring", synchronise with pvm_barrier, instance 0 broadcasts
 * the parameters with pvm_bcast, a token goes round the ring found through
 * pvm_gettid, and each task then leaves the group, computes its share of a
 * series on its own and sends it to instance 0, which prints the results.
 * usage: ring_group [TASKS] [TERMS] [LAPS] */
#include <stdio.h>
#include <stdlib.h>
#include <pvm3.h>

#define GROUP "corpus_ring"
#define TAG_PARAM 21
#define TAG_TOKEN 22
#define TAG_SHARE 23
#define MAXT 8

/* partial sum of 1/k^2 over k = me+1, me+1+n, ... (terms of it) */
static double share(int me, int n, int terms) {
  double s = 0;
  int i;
  for (i = 0; i < terms; i++) {
    double k = (double)(me + 1 + i * n);
    s += 1.0 / (k * k);
  }
  return s;
}

int main(int argc, char **argv) {
  int ntask = argc > 1 ? atoi(argv[1]) : 4;
  int terms = argc > 2 ? atoi(argv[2]) : 200000;
  int laps = argc > 3 ? atoi(argv[3]) : 20;
  int tids[MAXT], me, i, token, next;
  double mine;

  if (pvm_mytid() < 0) return 1;
  if (ntask > MAXT) ntask = MAXT;
  me = pvm_joingroup(GROUP);
  if (me < 0) {
    pvm_perror("pvm_joingroup");
    pvm_exit();
    return 1;
  }
  if (pvm_parent() == PvmNoParent && ntask > 1) {
    char *args[] = { argv[1], NULL };
    if (pvm_spawn("ring_group", args, PvmTaskDefault, "", ntask - 1, tids) != ntask - 1) {
      printf("spawn failed\n");
      pvm_exit();
      return 1;
    }
  }
  if (pvm_parent() != PvmNoParent) {
    ntask = argc > 1 ? atoi(argv[1]) : 4;
    if (ntask > MAXT) ntask = MAXT;
  }
  pvm_barrier(GROUP, ntask);
  if (me == 0) {
    int param[2] = { terms, laps };
    pvm_initsend(PvmDataDefault);
    pvm_pkint(param, 2, 1);
    pvm_bcast(GROUP, TAG_PARAM);
  } else {
    int param[2];
    pvm_recv(-1, TAG_PARAM);
    pvm_upkint(param, 2, 1);
    terms = param[0];
    laps = param[1];
  }
  next = pvm_gettid(GROUP, (me + 1) % ntask);
  token = 0;
  for (i = 0; i < laps; i++) {
    if (me == 0) {
      token = i * 1000;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&token, 1, 1);
      pvm_send(next, TAG_TOKEN);
      pvm_recv(-1, TAG_TOKEN);
      pvm_upkint(&token, 1, 1);
      printf("lap %d: token came back as %d\n", i, token);
    } else {
      pvm_recv(-1, TAG_TOKEN);
      pvm_upkint(&token, 1, 1);
      token += me;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&token, 1, 1);
      pvm_send(next, TAG_TOKEN);
    }
  }
  {
    int first = pvm_gettid(GROUP, 0);
    pvm_barrier(GROUP, ntask);
    pvm_lvgroup(GROUP);
    /* out of the group: free to move */
    mine = share(me, ntask, terms);
    if (me != 0) {
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&me, 1, 1);
      pvm_pkdouble(&mine, 1, 1);
      pvm_send(first, TAG_SHARE);
    } else {
      double parts[MAXT], total = 0;
      parts[0] = mine;
      for (i = 1; i < ntask; i++) {
        int who;
        double v;
        pvm_recv(-1, TAG_SHARE);
        pvm_upkint(&who, 1, 1);
        pvm_upkdouble(&v, 1, 1);
        parts[who] = v;
      }
      for (i = 0; i < ntask; i++) {
        printf("share %d: %.12f\n", i, parts[i]);
        total += parts[i];
      }
      printf("sum 1/k^2 over %d terms: %.12f\n", terms * ntask, total);
    }
  }
  pvm_exit();
  return 0;
}
