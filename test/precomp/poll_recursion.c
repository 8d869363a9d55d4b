// Recursive functions get poll-points at their ends, so that a migration
// can happen at any depth; --auto-poll=loops turns that off.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
// RUN: %precomp --auto-poll=loops %s -o %t.loops.c -- && sed "s,//.*,," %t.loops.c | FileCheck --check-prefix=LOOPS %s
long sum_to(int n) {
  long rest;
  if (n == 0)
    return 0;
  rest = sum_to(n - 1);
  return rest + n;
}
// CHECK-LABEL: long sum_to(int n) {
// CHECK: resume point 1: poll-point (end of recursive function)
// CHECK: SNOW_POLL(1); return 0; }
// CHECK: resume point 2: call to sum_to
// CHECK: rest = SNOW_CALL(2, sum_to(n - 1));
// CHECK: resume point 3: poll-point (end of recursive function)
// CHECK-NEXT: __snow_unwind_3:
// CHECK-NEXT: snow_exec_frame_save
// CHECK-NEXT: __snow_fr->n = n;
// CHECK-NEXT: __snow_fr->rest = rest;
// CHECK: SNOW_POLL(3); return rest + n;
// Without poll-points nothing can migrate: sum_to stays as it was.
// LOOPS-NOT: SNOW_
// LOOPS: rest = sum_to(n - 1);
