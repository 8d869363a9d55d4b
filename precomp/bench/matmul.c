/*
 * matmul -- dense matrix multiplication C += A B repeated, a compute
 * kernel with a loop nest inside a function called from a loop.
 *
 *   matmul [N] [REPEAT]     default 256 and 4
 */
#include <stdio.h>
#include <stdlib.h>

static void mxm(double *c, const double *a, const double *b, int n) {
  int i, j, k;
  for (i = 0; i < n; i++)
    for (k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 256, reps = argc > 2 ? atoi(argv[2]) : 4, i, r;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
  double *c = calloc((size_t)n * n, sizeof(double)), trace = 0;
  for (i = 0; i < n * n; i++) {
    a[i] = (double)(i % 17) / 17.0;
    b[i] = (double)(i % 13) / 13.0 - 0.5;
  }
  for (r = 0; r < reps; r++) mxm(c, a, b, n);
  for (i = 0; i < n; i++) trace += c[i * n + i];
  printf("matmul: n=%d repeat=%d trace %.15e\n", n, reps, trace);
  return 0;
}
