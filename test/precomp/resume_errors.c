// A call that may migrate must sit where execution can resume: the
// pre-compiler refuses (with the reason) statements it could not re-enter.
// (Side effects evaluated unconditionally before such a call are computed
// ahead of the statement instead: hoisting.c.)
// RUN: not %precomp %s -o %t.c -- 2>&1 | FileCheck %s
int step(int i);
int count;
int next(void) { return ++count; }
#define TWICE(e) (e) + (e)
int f(int n) {
  int i, a;
  for (i = 0; i < n; i = step(i))
    ;
  // CHECK: resume_errors.c:[[@LINE-2]]:26: error: snow: the call to 'step' may migrate but sits in the increment of a for loop, where execution cannot resume; move it into the loop body [snow-resume]
  do
    a = 1;
  while (step(1) > 0);
  // CHECK: resume_errors.c:[[@LINE-1]]:10: error: snow: the call to 'step' may migrate but sits in the condition of a do-while loop, where execution cannot resume; move it into the loop body [snow-resume]
  a = n > 0 && step(4) + step(5);
  // CHECK: resume_errors.c:[[@LINE-1]]:16: error: snow: this statement makes several calls that may migrate, and the call to 'step' sits in a part of the expression evaluated only under a condition, so it cannot be evaluated on its own first; split the statement [snow-resume]
  a = n > 0 && next() + step(6);
  // CHECK: resume_errors.c:[[@LINE-1]]:16: error: snow: this expression has side effects and is evaluated before the call to 'step', which may migrate, but only under a condition or after another part of the expression (right of &&, || or a comma, a branch of ?:), so it cannot be computed ahead of the statement and resuming would evaluate it twice; compute it in a statement of its own [snow-resume]
  while (a > 0 && next() < step(7))
    a++;
  // CHECK: resume_errors.c:[[@LINE-2]]:19: error: snow: this expression has side effects and is evaluated before the call to 'step', which may migrate, but only under a condition or after another part of the expression (right of &&, || or a comma, a branch of ?:), so it cannot be computed ahead of the statement and resuming would evaluate it twice; compute it in a statement of its own [snow-resume]
  int c = 1, d = step(c++);
  // CHECK: resume_errors.c:[[@LINE-1]]:23: error: snow: this code is computed ahead of its declaration, before a call that may migrate, but uses 'c', which that declaration declares; declare it in a statement of its own [snow-resume]
  a += 2 * TWICE(next()) + step(8);
  // CHECK: resume_errors.c:[[@LINE-1]]:18: error: snow: this expression has side effects, is evaluated before a call that may migrate, and is expanded more than once by a macro; expand the macro by hand [snow-macro]
  return a + d;
}
