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
  a = step(1) + step(2);
  // CHECK: resume_errors.c:[[@LINE-1]]:17: error: snow: this statement makes two calls that may migrate; split it so that each can be resumed on its own [snow-resume]
  // CHECK: resume_errors.c:[[@LINE-2]]:7: note: snow: the other call is here
  a += next() * step(3);
  // CHECK: resume_errors.c:[[@LINE-1]]:8: error: snow: this expression has side effects and is evaluated before the call to 'step', which may migrate; resuming would evaluate it twice. Compute it in a statement of its own [snow-resume]
  return a;
}
