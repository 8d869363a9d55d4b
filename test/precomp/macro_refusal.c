// Code inside a macro's body cannot be rewritten: a call that may migrate
// there is refused with the macro's name; a macro argument is fine.
// RUN: not %precomp %s -o %t.c -- 2>&1 | FileCheck %s
int step(int i);
#define TWICE(x) (step(x) * 2)
#define ID(x) (x)
int f(int n) {
  int a = ID(step(n));
  int b = TWICE(n);
  // CHECK: macro_refusal.c:[[@LINE-1]]:11: error: snow: this code comes from the body of macro 'TWICE' and cannot be rewritten; expand the macro by hand or move the construct out of it [snow-macro]
  return a + b;
}
// CHECK-NOT: macro_refusal.c:8:
