// `#pragma snow poll` puts a poll-point before the next statement, with the
// code to save and restore what is live there; the pragma itself is left
// commented out for the C compiler.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
double work(double x) {
  double acc = 0;
  int i;
  for (i = 0; i < 1000; i++) {
    acc += x * i;
#pragma snow poll
    acc *= 0.5;
  }
  return acc;
}
// CHECK: /* #pragma snow poll */
// CHECK: if (0) { /* snow: resume point 1: poll-point (#pragma snow poll) */
// CHECK-NEXT: __snow_unwind_1:
// CHECK-NEXT: __snow_fr = snow_exec_frame_save(&__snow_t_snow_frame_work, __snow_fr, {{0x[0-9a-f]+}}u, 1);
// CHECK-DAG: __snow_fr->x = x;
// CHECK-DAG: __snow_fr->acc = acc;
// CHECK-DAG: __snow_fr->i = i;
// CHECK: return 0;
// CHECK-NEXT: __snow_restore_1:
// CHECK: snow_exec_restored(__snow_fr, 0);
// CHECK: SNOW_POLL(1); acc *= 0.5;
