// A variadic function's va_list cannot be saved: if it is on a migration
// path, migration is deferred while it runs.
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <stdarg.h>
void emit(int v);
int sum_all(int n, ...) {
// DIAG-DAG: unsafe_varargs.c:[[@LINE-1]]:5: warning: snow: variadic function on a migration path: its va_list frame cannot be saved; migration is deferred while it runs [snow-varargs]
  va_list ap;
  int s = 0, i;
  va_start(ap, n);
  for (i = 0; i < n; i++) {
    s += va_arg(ap, int);
    emit(s);
  }
  va_end(ap);
  return s;
}
// CHECK-LABEL: int sum_all(int n, ...) {
// CHECK-SAME: snow_exec_inhibit_enter();
// CHECK-NOT: SNOW_
// CHECK: { int __snow_rv = s; snow_exec_inhibit_leave(); return __snow_rv; }
int caller(void) { return sum_all(2, 1, 2); }
// A call to a function that defers migration needs no unwinding check.
// CHECK: int caller(void) { return sum_all(2, 1, 2); }
