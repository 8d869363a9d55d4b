// A call that may migrate must sit where execution can resume: the
// pre-compiler refuses (with the reason) statements it could not re-enter.
// RUN: not %precomp %s -o %t.c -- 2>&1 | FileCheck %s
int step(int i);
int count;
int next(void) { return ++count; }
int f(int n) {
  int i, a;
  for (i = 0; i < n; i = step(i))
    ;
  // CHECK: resume_errors.c:[[@LINE-2]]:26: error: snow: the call to 'step' may migrate but sits in the increment of a for loop, where execution cannot resume; move it into the loop body [snow-resume]
  while (step(1) + step(2) > 0)
    a = 1;
  // CHECK: resume_errors.c:[[@LINE-2]]:10: error: snow: this statement makes several calls that may migrate, and the call to 'step' sits in the condition of a loop, so it cannot be evaluated on its own first; split the statement [snow-resume]
  // CHECK: resume_errors.c:[[@LINE-3]]:20: note: snow: another call that may migrate is here
  a = n > 0 && step(4) + step(5);
  // CHECK: resume_errors.c:[[@LINE-1]]:16: error: snow: this statement makes several calls that may migrate, and the call to 'step' sits in a part of the expression evaluated only under a condition, so it cannot be evaluated on its own first; split the statement [snow-resume]
  a += next() * step(3);
  // CHECK: resume_errors.c:[[@LINE-1]]:8: error: snow: this expression has side effects and is evaluated before the call to 'step', which may migrate; resuming would evaluate it twice. Compute it in a statement of its own [snow-resume]
  return a;
}
