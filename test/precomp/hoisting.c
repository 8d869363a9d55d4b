// A statement with several calls that may migrate: all but the last (in
// the order C evaluates them: arguments first) are hoisted into
// temporaries declared before it, each with its own resume point, and the
// temporaries are saved at the later ones.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
struct tree { struct tree *left, *right; int value; };
long check(const struct tree *t) {
  if (!t->left) return t->value;
  return t->value + check(t->left) - check(t->right);
}
// CHECK-LABEL: long check(const struct tree *t) {
// CHECK: resume point [[P:[0-9]+]]: poll-point (end of recursive function)
// CHECK: resume point [[A:[0-9]+]]: call to check
// CHECK: long __snow_h[[A]] = SNOW_CALL([[A]], check(t->left));
// CHECK: resume point [[B:[0-9]+]]: call to check
// CHECK: __snow_fr->__snow_h[[A]] = __snow_h[[A]];
// CHECK: __snow_h[[A]] = __snow_fr->__snow_h[[A]];
// CHECK: return t->value + __snow_h[[A]] - SNOW_CALL([[B]], check(t->right));
int g(int), h(int);
int f(int x) { return g(h(x)); }
// CHECK-LABEL: int f(int x) {
// CHECK: int __snow_h[[H:[0-9]+]] = SNOW_CALL([[H]], h(x));
// CHECK: return SNOW_CALL({{[0-9]+}}, g(__snow_h[[H]]));
