/* A small multigrid-like stencil in the style of NAS MG, written with C99
 * variable length arrays: the grids are `double (*u)[n][n]` over one heap
 * block, the smoother and residual take VLA parameters.
 * usage: mg_vla [N] [ITERATIONS] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void residual(int n, double u[n][n][n], double v[n][n][n], double r[n][n][n]) {
  for (int i = 1; i < n - 1; i++)
    for (int j = 1; j < n - 1; j++)
      for (int k = 1; k < n - 1; k++)
        r[i][j][k] = v[i][j][k] - (6.0 * u[i][j][k] - u[i - 1][j][k] - u[i + 1][j][k] - u[i][j - 1][k] -
                                   u[i][j + 1][k] - u[i][j][k - 1] - u[i][j][k + 1]);
}

static void smooth(int n, double u[n][n][n], double r[n][n][n]) {
  for (int i = 1; i < n - 1; i++)
    for (int j = 1; j < n - 1; j++)
      for (int k = 1; k < n - 1; k++) u[i][j][k] += r[i][j][k] / 6.0 * 0.8;
}

/* restrict the residual to the coarse grid, smooth there, interpolate back */
static void coarse_correct(int n, double r[n][n][n], double u[n][n][n]) {
  int m = n / 2 + 1;
  double (*rc)[m][m] = calloc(1, sizeof(double[m][m][m]));
  double (*ec)[m][m] = calloc(1, sizeof(double[m][m][m]));
  double (*tc)[m][m] = calloc(1, sizeof(double[m][m][m]));
  for (int i = 1; i < m - 1; i++)
    for (int j = 1; j < m - 1; j++)
      for (int k = 1; k < m - 1; k++) rc[i][j][k] = 4.0 * r[2 * i][2 * j][2 * k];
  for (int it = 0; it < 4; it++) {
    residual(m, ec, rc, tc);
    smooth(m, ec, tc);
  }
  for (int i = 1; i < n - 1; i++)
    for (int j = 1; j < n - 1; j++)
      for (int k = 1; k < n - 1; k++) u[i][j][k] += 0.5 * ec[i / 2][j / 2][k / 2];
  free(rc);
  free(ec);
  free(tc);
}

static double norm2(int n, double r[n][n][n]) {
  double s = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      for (int k = 0; k < n; k++) s += r[i][j][k] * r[i][j][k];
  return sqrt(s / ((double)n * n * n));
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 34;
  int iters = argc > 2 ? atoi(argv[2]) : 20;
  double (*u)[n][n] = calloc(1, sizeof(double[n][n][n]));
  double (*v)[n][n] = calloc(1, sizeof(double[n][n][n]));
  double (*r)[n][n] = calloc(1, sizeof(double[n][n][n]));

  /* charges of +1 and -1 at a few points, like MG's zran3 */
  for (int c = 0; c < 10; c++) {
    int i = 1 + (c * 7 + 3) % (n - 2), j = 1 + (c * 11 + 5) % (n - 2), k = 1 + (c * 13 + 1) % (n - 2);
    v[i][j][k] = c % 2 ? -1.0 : 1.0;
  }
  residual(n, u, v, r);
  printf("initial residual norm %.10g\n", norm2(n, r));
  for (int it = 1; it <= iters; it++) {
    smooth(n, u, r);
    residual(n, u, v, r);
    coarse_correct(n, r, u);
    residual(n, u, v, r);
    printf("iteration %2d: residual norm %.10g, u norm %.10g\n", it, norm2(n, r), norm2(n, u));
  }
  free(u);
  free(v);
  free(r);
  return 0;
}
