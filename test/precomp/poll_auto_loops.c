// Automatic poll-points (migration point analysis): at the back-edge of
// loops that call functions or contain loops; never in a tiny kernel (an
// innermost loop that calls nothing costly); in a function that calls
// nothing costly, only at the outermost loop of a nest.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <math.h>
#include <stdio.h>

double kernel(const double *a, int n) {
  double s = 0;
  int i;
  for (i = 0; i < n; i++)
    s += sqrt(a[i]);
  return s;
}
// CHECK-LABEL: double kernel(
// CHECK-NOT: SNOW_POLL
// CHECK: return s;

void mxm(double c[64][64], double a[64][64], double b[64][64]) {
  int i, j, k;
  for (i = 0; i < 64; i++)
    for (j = 0; j < 64; j++)
      for (k = 0; k < 64; k++)
        c[i][j] += a[i][k] * b[k][j];
}
// CHECK-LABEL: void mxm(
// CHECK: for (i = 0; i < 64; i++)
// CHECK: poll-point (loop nest)
// CHECK: SNOW_POLL(1); for (j = 0; j < 64; j++)
// CHECK-NOT: SNOW_POLL
// CHECK: c[i][j] += a[i][k] * b[k][j]; }

int main(void) {
  static double a[64][64], b[64][64], c[64][64];
  int step;
  for (step = 0; step < 3; step++) {
    mxm(c, a, b);
    printf("%g\n", kernel(&c[0][0], 64 * 64));
  }
  return 0;
}
// CHECK-LABEL: int main(
// CHECK: for (step = 0; step < 3; step++) {
// CHECK: resume point 1: poll-point (loop that calls functions)
// CHECK: SNOW_POLL(1);
// CHECK: SNOW_CALL_VOID(2, mxm(
// CHECK-NOT: SNOW_CALL({{[0-9]+}}, kernel
