/* SPMD with PVM groups, the whole group API: the first task spawns the
 * others; every task joins the group "spmd_groups" and fills its own data,
 * they meet at barriers, instance 0 broadcasts the parameters, and in each
 * round the members' vectors are reduced at instance 0 with PvmSum,
 * PvmMax, PvmMin, PvmProduct and a function of the program's own, gathered
 * there, and a table is scattered from there and checked by every member,
 * whose checksums are gathered again.  Instance numbers, tids and sizes
 * are checked with pvm_gettid, pvm_getinst and pvm_gsize, the group is
 * frozen, and every task leaves it at the end.  Instance 0 prints.
 * usage: spmd_groups [TASKS] [N] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <pvm3.h>

#define GROUP "spmd_groups"
#define TAG_PARAM 31
#define TAG_SUM 32
#define TAG_MAX 33
#define TAG_MIN 34
#define TAG_PROD 35
#define TAG_MINE 36
#define TAG_GATHER 37
#define TAG_SCATTER 38
#define TAG_CHECK 39
#define MAXT 8
#define MAXN 64
#define MODULUS 1000003

/* the program's own reduction: x = (x + 3y) mod MODULUS, element-wise */
static void add_thrice(int *datatype, void *x, void *y, int *num, int *info) {
  int *a = (int *)x, *b = (int *)y, i;
  if (*datatype != PVM_INT) {
    *info = PvmBadParam;
    return;
  }
  for (i = 0; i < *num; i++) a[i] = (int)(((long)a[i] + 3L * b[i]) % MODULUS);
  *info = PvmOk;
}

static long mix(long s, int i) {
  int k;
  for (k = 0; k < 3; k++) s = (s * 31 + i + k) % 8191;
  return s;
}

static int value(int seed, int me, int i, int r) {
  long v = (long)seed * (me + 1) + 7L * i * (r + 1) + 13L * me * i;
  return (int)(v % 997);
}

static void print_vec(const char *what, int r, int *v, int n) {
  int i;
  printf("round %d %s:", r, what);
  for (i = 0; i < n; i++) printf(" %d", v[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  int ntask = argc > 1 ? atoi(argv[1]) : 3;
  int n = argc > 2 ? atoi(argv[2]) : 8;
  int rounds = argc > 3 ? atoi(argv[3]) : 3;
  int tids[MAXT], me, i, r, rc, size;
  int param[2];
  int mine[MAXN], sum[MAXN], mx[MAXN], mn[MAXN], prod[MAXN], own[MAXN];
  int all[MAXT * MAXN], table[MAXT * MAXN], part[MAXN], checks[MAXT], check;

  if (pvm_mytid() < 0) return 1;
  if (ntask > MAXT) ntask = MAXT;
  if (n > MAXN) n = MAXN;
  me = pvm_joingroup(GROUP);
  if (me < 0) {
    pvm_perror("pvm_joingroup");
    pvm_exit();
    return 1;
  }
  if (pvm_parent() == PvmNoParent && ntask > 1) {
    char *args[4];
    args[0] = argv[1];
    args[1] = argv[2];
    args[2] = argv[3];
    args[3] = NULL;
    if (pvm_spawn("spmd_groups", args, PvmTaskDefault, "", ntask - 1, tids) != ntask - 1) {
      printf("spawn failed\n");
      pvm_exit();
      return 1;
    }
  }
  /* every member's own data, before the first barrier */
  for (i = 0; i < n; i++) own[i] = (me + 1) * (i + 1);

  if ((rc = pvm_barrier(GROUP, ntask)) < 0) printf("barrier 1 failed: %d\n", rc);
  size = pvm_gsize(GROUP);
  if (me == 0) {
    long s = 0;
    printf("group size %d\n", size);
    /* the parameters take instance 0 a while to work out */
    for (i = 0; i < 200; i++) s = mix(s, i);
    param[0] = (int)s;
    param[1] = rounds;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(param, 2, 1);
    pvm_bcast(GROUP, TAG_PARAM);
    printf("broadcast seed %d rounds %d\n", param[0], param[1]);
  } else {
    /* the others set up their workspace meanwhile */
    for (i = 0; i < n; i++) own[i] = (int)mix(own[i], i);
    pvm_recv(-1, TAG_PARAM);
    pvm_upkint(param, 2, 1);
  }
  for (i = 0; i < size; i++) {
    int t = pvm_gettid(GROUP, i);
    if (me == 0) printf("instance %d: getinst(gettid) = %d\n", i, pvm_getinst(GROUP, t));
  }
  for (r = 0; r < param[1]; r++) {
    for (i = 0; i < n; i++) {
      mine[i] = value(param[0], me, i, r);
      sum[i] = mx[i] = mn[i] = mine[i];
      prod[i] = 1 + mine[i] % 5;
      own[i] = (own[i] * 17 + mine[i]) % MODULUS;
    }
    pvm_reduce(PvmSum, sum, n, PVM_INT, TAG_SUM, GROUP, 0);
    pvm_reduce(PvmMax, mx, n, PVM_INT, TAG_MAX, GROUP, 0);
    pvm_reduce(PvmMin, mn, n, PVM_INT, TAG_MIN, GROUP, 0);
    pvm_reduce(PvmProduct, prod, n, PVM_INT, TAG_PROD, GROUP, 0);
    for (i = 0; i < n; i++) mine[i] = own[i];
    pvm_reduce(add_thrice, mine, n, PVM_INT, TAG_MINE, GROUP, 0);
    pvm_gather(all, own, n, PVM_INT, TAG_GATHER, GROUP, 0);
    if (me == 0) {
      print_vec("sum", r, sum, n);
      print_vec("max", r, mx, n);
      print_vec("min", r, mn, n);
      print_vec("product", r, prod, n);
      print_vec("add_thrice", r, mine, n);
      print_vec("gathered", r, all, n * size);
      for (i = 0; i < n * size; i++) table[i] = (i * 131 + r * 7 + param[0]) % 1009;
    }
    pvm_scatter(part, table, n, PVM_INT, TAG_SCATTER, GROUP, 0);
    check = 0;
    for (i = 0; i < n; i++) check = (check * 31 + part[i]) % MODULUS;
    pvm_gather(checks, &check, 1, PVM_INT, TAG_CHECK, GROUP, 0);
    if (me == 0) print_vec("scatter checks", r, checks, size);
    if ((rc = pvm_barrier(GROUP, ntask)) < 0) printf("barrier of round %d failed: %d\n", r, rc);
  }
  rc = pvm_freezegroup(GROUP, ntask);
  if (me == 0) printf("freezegroup: %d, size %d\n", rc, pvm_gsize(GROUP));
  if ((rc = pvm_barrier(GROUP, ntask)) < 0) printf("last barrier failed: %d\n", rc);
  if (me == 0) printf("done\n");
  pvm_lvgroup(GROUP);
  pvm_exit();
  return 0;
}
