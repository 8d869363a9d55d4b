// A message call in a for condition: the loop's init moves in front of
// the loop, so that resuming re-evaluates the condition without running
// the init again.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <pvm3.h>
int drain(void) {
  int got = 0;
  for (int n = 0; pvm_nrecv(-1, 1) > 0; n++)
    got = n;
  return got;
}
// CHECK: { int n = 0;
// CHECK: if (0) { /* snow: resume point 1: message call pvm_nrecv */
// CHECK: __snow_fr->n = n;
// CHECK: for (; SNOW_COMM(1, snow_nrecv(-1, 1)) > 0; n++)
// CHECK-NEXT: got = n; }
