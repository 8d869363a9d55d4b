/*
 * mg -- a multigrid V-cycle for a 3-D Poisson problem with periodic
 * boundaries, in the style of NAS MG (the seed papers measure their
 * overhead on MG): smoother, residual, restriction and prolongation over a
 * hierarchy of grids, recursion over the levels.
 *
 *   mg [LOG2N] [ITERATIONS]     default 6 (64^3) and 6
 *
 * Prints the residual norm after each iteration (bit-identical on every
 * architecture built with the same floating-point flags).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAXLEVEL 10

static int n_at[MAXLEVEL + 1];
static double *u_at[MAXLEVEL + 1], *r_at[MAXLEVEL + 1];

static double *grid(int n) {
  double *g = calloc((size_t)n * n * n, sizeof(double));
  if (!g) { fprintf(stderr, "mg: out of memory\n"); exit(1); }
  return g;
}

#define AT(g, n, i, j, k) (g)[(((i) + (n)) % (n)) * (n) * (n) + (((j) + (n)) % (n)) * (n) + (((k) + (n)) % (n))]

/* r = v - A u (7-point Laplacian) */
static void resid(double *r, const double *u, const double *v, int n) {
  int i, j, k;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      for (k = 0; k < n; k++) {
        double au = 6.0 * AT(u, n, i, j, k) - AT(u, n, i - 1, j, k) - AT(u, n, i + 1, j, k) -
                    AT(u, n, i, j - 1, k) - AT(u, n, i, j + 1, k) - AT(u, n, i, j, k - 1) -
                    AT(u, n, i, j, k + 1);
        AT(r, n, i, j, k) = AT(v, n, i, j, k) - au;
      }
}

/* weighted Jacobi step: u += w r / 6 */
static void smooth(double *u, const double *r, int n) {
  int i, j, k;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      for (k = 0; k < n; k++) AT(u, n, i, j, k) += (2.0 / 3.0) * AT(r, n, i, j, k) / 6.0;
}

/* full weighting onto the grid of half the size */
static void restrict_to(double *coarse, const double *fine, int nc) {
  int i, j, k, nf = 2 * nc;
  for (i = 0; i < nc; i++)
    for (j = 0; j < nc; j++)
      for (k = 0; k < nc; k++)
        AT(coarse, nc, i, j, k) = 0.5 * AT(fine, nf, 2 * i, 2 * j, 2 * k) +
                                  (AT(fine, nf, 2 * i + 1, 2 * j, 2 * k) + AT(fine, nf, 2 * i, 2 * j + 1, 2 * k) +
                                   AT(fine, nf, 2 * i, 2 * j, 2 * k + 1)) / 6.0;
}

/* piecewise-constant prolongation, added to the fine grid */
static void prolong_add(double *fine, const double *coarse, int nc) {
  int i, j, k, nf = 2 * nc;
  for (i = 0; i < nf; i++)
    for (j = 0; j < nf; j++)
      for (k = 0; k < nf; k++) AT(fine, nf, i, j, k) += AT(coarse, nc, i / 2, j / 2, k / 2);
}

static double norm2(const double *r, int n) {
  double s = 0;
  long i, total = (long)n * n * n;
  for (i = 0; i < total; i++) s += r[i] * r[i];
  return sqrt(s / (double)total);
}

/* one V-cycle on level l: u_at[l] approximates A u = r_at[l] */
static void vcycle(int l) {
  int n = n_at[l], i;
  double *tmp;
  if (l == 0) {
    for (i = 0; i < 4; i++) {
      tmp = grid(n);
      resid(tmp, u_at[0], r_at[0], n);
      smooth(u_at[0], tmp, n);
      free(tmp);
    }
    return;
  }
  tmp = grid(n);
  resid(tmp, u_at[l], r_at[l], n);
  smooth(u_at[l], tmp, n);
  resid(tmp, u_at[l], r_at[l], n);
  restrict_to(r_at[l - 1], tmp, n_at[l - 1]);
  for (i = 0; i < n_at[l - 1] * n_at[l - 1] * n_at[l - 1]; i++) u_at[l - 1][i] = 0;
  vcycle(l - 1);
  prolong_add(u_at[l], u_at[l - 1], n_at[l - 1]);
  resid(tmp, u_at[l], r_at[l], n);
  smooth(u_at[l], tmp, n);
  free(tmp);
}

int main(int argc, char **argv) {
  int top = argc > 1 ? atoi(argv[1]) : 6, iters = argc > 2 ? atoi(argv[2]) : 6, l, it;
  double *v, *r;
  long i, total;
  if (top < 2 || top > MAXLEVEL) { fprintf(stderr, "mg: LOG2N must be 2..%d\n", MAXLEVEL); return 2; }
  for (l = 0; l <= top - 1; l++) {
    n_at[l] = 1 << (l + 1);
    u_at[l] = grid(n_at[l]);
    r_at[l] = grid(n_at[l]);
  }
  l = top - 1;
  total = (long)n_at[l] * n_at[l] * n_at[l];
  v = grid(n_at[l]);
  r = grid(n_at[l]);
  /* a few point charges summing to zero */
  for (i = 0; i < total; i += 977) v[i] = (i / 977) % 2 ? 1.0 : -1.0;
  for (it = 0; it < iters; it++) {
    for (i = 0; i < total; i++) r_at[l][i] = v[i];
    vcycle(l);
    resid(r, u_at[l], v, n_at[l]);
    printf("mg: iteration %d residual %.15e\n", it + 1, norm2(r, n_at[l]));
  }
  return 0;
}
