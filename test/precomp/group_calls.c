// PVM group calls become snow_* twins served by the SNOW scheduler by
// virtual tid (doc/groups.md): pvm_barrier, pvm_reduce, pvm_gather and
// pvm_scatter are migration points (SNOW_COMM), the others are not, and no
// warning says that group members defer their migration.
// RUN: %precomp %s -o %t.c -- 2>%t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG --allow-empty %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
// DIAG-NOT: snow-pvm-group
#include <pvm3.h>

static void twice(int *dt, void *x, void *y, int *n, int *info) {
  int i;
  for (i = 0; i < *n; i++) ((int *)x)[i] += 2 * ((int *)y)[i];
  *info = *dt == PVM_INT ? 0 : PvmBadParam;
}

int main(void) {
  int me = pvm_joingroup("g"), v[4] = {1, 2, 3, 4}, all[16], part[4];
  // CHECK: int me = snow_joingroup("g"),
  int n = pvm_gsize("g") + pvm_getinst("g", pvm_gettid("g", 0));
  // CHECK: int n = snow_gsize("g") + snow_getinst("g", snow_gettid("g", 0));
  pvm_freezegroup("g", -1);
  // CHECK: snow_freezegroup("g", -1);
  pvm_barrier("g", n);
  // CHECK: /* snow: resume point {{[0-9]+}}: message call pvm_barrier */
  // CHECK: SNOW_COMM({{[0-9]+}}, snow_barrier("g", n));
  pvm_initsend(PvmDataDefault);
  pvm_bcast("g", 5);
  // CHECK: snow_bcast("g", 5);
  pvm_reduce(PvmSum, v, 4, PVM_INT, 6, "g", 0);
  // CHECK: SNOW_COMM({{[0-9]+}}, snow_reduce(PvmSum, {{.*}}v), 4, PVM_INT, 6, "g", 0));
  pvm_reduce(twice, v, 4, PVM_INT, 7, "g", 0);
  // CHECK: SNOW_COMM({{[0-9]+}}, snow_reduce(twice, {{.*}}v), 4, PVM_INT, 7, "g", 0));
  pvm_gather(all, v, 4, PVM_INT, 8, "g", 0);
  // CHECK: SNOW_COMM({{[0-9]+}}, snow_gather({{.*}}all), {{.*}}v), 4, PVM_INT, 8, "g", 0));
  pvm_scatter(part, all, 4, PVM_INT, 9, "g", 0);
  // CHECK: SNOW_COMM({{[0-9]+}}, snow_scatter({{.*}}part), {{.*}}all), 4, PVM_INT, 9, "g", 0));
  pvm_lvgroup("g");
  // CHECK: snow_lvgroup("g");
  return me + part[0];
}
