// setjmp saves machine registers: the function that calls it cannot save
// its frame, so migration is deferred while it runs (its calls are
// bracketed with snow_exec_inhibit_enter/leave).
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <setjmp.h>
static jmp_buf env;
void work(int i);
int guarded(int n) {
// DIAG-DAG: unsafe_setjmp.c:[[@LINE-1]]:5: warning: snow: 'guarded' cannot save its frame because it calls setjmp (a jmp_buf holds machine state); migration is deferred while it runs [snow-no-migrate]
  int i;
  if (setjmp(env))
  // DIAG-DAG: unsafe_setjmp.c:[[@LINE-1]]:7: warning: snow: setjmp saves machine registers that mean nothing on another host; migration is deferred while 'guarded' runs [snow-setjmp]
    return -1;
  for (i = 0; i < n; i++)
    work(i);
  return 0;
}
void fail(void) { longjmp(env, 1); }
// DIAG-DAG: unsafe_setjmp.c:[[@LINE-1]]:19: warning: snow: longjmp returns to a frame saved by setjmp; it is safe only because migration waits while the setjmp caller runs [snow-setjmp]
// CHECK-LABEL: int guarded(int n) {
// CHECK-SAME: snow_exec_inhibit_enter();
// CHECK-NOT: SNOW_
// CHECK: { int __snow_rv = -1; snow_exec_inhibit_leave(); return __snow_rv; }
// CHECK: { int __snow_rv = 0; snow_exec_inhibit_leave(); return __snow_rv; }
