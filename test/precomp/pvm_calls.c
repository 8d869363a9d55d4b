// PVM task and message calls become their snow_* twins; message calls are
// migration points (SNOW_COMM), calls returning libpvm-owned memory go
// through copies, and packing stays plain libpvm.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <pvm3.h>

int main(void) {
  int me = pvm_mytid(), n, *tids, nhost, narch, x = 1;
  struct pvmhostinfo *hosts;
  // CHECK: int me = snow_mytid(), n, *tids, nhost, narch, x = 1;
  n = pvm_siblings(&tids);
  // CHECK: n = snow_exec_siblings(&tids);
  pvm_config(&nhost, &narch, &hosts);
  // CHECK: snow_exec_config(&nhost, &narch, &hosts);
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&x, 1, 1);
  // CHECK: pvm_initsend(PvmDataDefault);
  // CHECK-NEXT: pvm_pkint(&x, 1, 1);
  pvm_send(pvm_parent(), 7);
  // CHECK: if (0) { /* snow: resume point 1: message call pvm_send */
  // CHECK: SNOW_COMM(1, snow_send(snow_parent(), 7));
  if (pvm_recv(-1, 7) < 0)
    return 1;
  // CHECK: if (0) { /* snow: resume point 2: message call pvm_recv */
  // CHECK: if (SNOW_COMM(2, snow_recv(-1, 7)) < 0)
  // Calls on a task follow it to where it runs now; signal dispositions
  // are recorded where they migrate.
  n += pvm_tidtohost(tids[0]);
  // CHECK: n += snow_tidtohost(tids[0]);
  pvm_sendsig(tids[0], 1);
  // CHECK: snow_sendsig(tids[0], 1);
  pvm_exit();
  // CHECK: snow_exit();
  return me + n + tids[0] + hosts[0].hi_tid;
}
