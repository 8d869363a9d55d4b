/* linpack: the classic dense linear-system benchmark.
 *
 *   linpack N [REPEATS]
 *
 * Generates a pseudo-random N x N system A x = b (b = A * ones), factors A
 * by Gaussian elimination with partial pivoting (column-oriented, as in
 * LINPACK's DGEFA), solves (DGESL), then regenerates A and b to compute the
 * residual r = A x - b.  Prints the normalised residual
 *     ||r||_inf / (N * ||A||_inf * ||x||_inf * eps)
 * which stays of order 1 for a correct solve, and checks x against the
 * exact solution (all ones).  REPEATS (default 1) repeats factor + solve
 * on a fresh matrix, for timing.  The state is about 8 * N * (N + 3) bytes:
 * N = 200 is ~325 KB, N = 1000 ~8 MB.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long seed;

/* a small linear congruential generator giving values in [-0.5, 0.5) */
static double next_value(void)
{
    seed = (seed * 1103515245UL + 12345UL) % 2147483648UL;
    return (double)(seed % 65536UL) / 65536.0 - 0.5;
}

/* Fills a (column-major, leading dimension lda) and b = row sums of a;
   returns ||a||_inf's largest element. */
static double matgen(double *a, int lda, int n, double *b)
{
    int i, j;
    double norma = 0.0;

    seed = 1325;
    for (j = 0; j < n; j++)
        for (i = 0; i < n; i++) {
            a[lda * j + i] = next_value();
            if (fabs(a[lda * j + i]) > norma)
                norma = fabs(a[lda * j + i]);
        }
    for (i = 0; i < n; i++)
        b[i] = 0.0;
    for (j = 0; j < n; j++)
        for (i = 0; i < n; i++)
            b[i] += a[lda * j + i];
    return norma;
}

/* index of the element of largest magnitude of dx[0], dx[incx], ... */
static int idamax(int n, const double *dx)
{
    int i, best = 0;
    double dmax;

    if (n < 1)
        return -1;
    dmax = fabs(dx[0]);
    for (i = 1; i < n; i++)
        if (fabs(dx[i]) > dmax) {
            best = i;
            dmax = fabs(dx[i]);
        }
    return best;
}

static void dscal(int n, double da, double *dx)
{
    int i;
    for (i = 0; i < n; i++)
        dx[i] = da * dx[i];
}

/* dy += da * dx */
static void daxpy(int n, double da, const double *dx, double *dy)
{
    int i;
    if (n <= 0 || da == 0.0)
        return;
    for (i = 0; i < n; i++)
        dy[i] = dy[i] + da * dx[i];
}

static double ddot(int n, const double *dx, const double *dy)
{
    int i;
    double s = 0.0;
    for (i = 0; i < n; i++)
        s = s + dx[i] * dy[i];
    return s;
}

/* LU factorisation with partial pivoting; returns 0, or k+1 if u(k,k) == 0 */
static int dgefa(double *a, int lda, int n, int *ipvt)
{
    int j, k, l, info = 0;
    double t;

    for (k = 0; k < n - 1; k++) {
        double *colk = &a[lda * k];
        l = idamax(n - k, &colk[k]) + k;
        ipvt[k] = l;
        if (colk[l] == 0.0) {
            info = k + 1;
            continue;
        }
        if (l != k) {
            t = colk[l];
            colk[l] = colk[k];
            colk[k] = t;
        }
        t = -1.0 / colk[k];
        dscal(n - (k + 1), t, &colk[k + 1]);
        for (j = k + 1; j < n; j++) {
            double *colj = &a[lda * j];
            t = colj[l];
            if (l != k) {
                colj[l] = colj[k];
                colj[k] = t;
            }
            daxpy(n - (k + 1), t, &colk[k + 1], &colj[k + 1]);
        }
    }
    ipvt[n - 1] = n - 1;
    if (a[lda * (n - 1) + (n - 1)] == 0.0)
        info = n;
    return info;
}

/* solves a x = b with the factors of dgefa; b is overwritten with x */
static void dgesl(const double *a, int lda, int n, const int *ipvt, double *b)
{
    int k, l;
    double t;

    for (k = 0; k < n - 1; k++) {
        l = ipvt[k];
        t = b[l];
        if (l != k) {
            b[l] = b[k];
            b[k] = t;
        }
        daxpy(n - (k + 1), t, &a[lda * k + k + 1], &b[k + 1]);
    }
    for (k = n - 1; k >= 0; k--) {
        b[k] = b[k] / a[lda * k + k];
        t = -b[k];
        daxpy(k, t, &a[lda * k], &b[0]);
    }
}

/* y = y + m x (m column-major) */
static void dmxpy(int n, double *y, int ldm, const double *x, const double *m)
{
    int j;
    for (j = 0; j < n; j++)
        daxpy(n, x[j], &m[ldm * j], y);
}

int main(int argc, char **argv)
{
    int n, lda, reps, r, i, info = 0;
    double *a, *b, *x;
    int *ipvt;
    double norma = 0.0, normx, resid, residn, eps, maxerr;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s N [REPEATS]\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    reps = argc > 2 ? atoi(argv[2]) : 1;
    if (n < 2 || n > 5000 || reps < 1) {
        fprintf(stderr, "linpack: N must be in 2..5000 and REPEATS at least 1\n");
        return 2;
    }
    lda = n + 1;
    a = malloc(sizeof(double) * (size_t)lda * (size_t)n);
    b = malloc(sizeof(double) * (size_t)n);
    x = malloc(sizeof(double) * (size_t)n);
    ipvt = malloc(sizeof(int) * (size_t)n);
    if (a == NULL || b == NULL || x == NULL || ipvt == NULL) {
        fprintf(stderr, "linpack: out of memory\n");
        return 1;
    }

    printf("linpack: n = %d, lda = %d, %d repeat(s), %lu bytes of matrix\n", n, lda, reps,
           (unsigned long)(sizeof(double) * (size_t)lda * (size_t)n));
    for (r = 0; r < reps; r++) {
        norma = matgen(a, lda, n, b);
        info = dgefa(a, lda, n, ipvt);
        if (info != 0) {
            printf("linpack: the matrix is singular (info = %d)\n", info);
            return 1;
        }
        dgesl(a, lda, n, ipvt, b);
    }
    for (i = 0; i < n; i++)
        x[i] = b[i];

    /* residual: b - A x with A and b regenerated */
    norma = matgen(a, lda, n, b);
    for (i = 0; i < n; i++)
        b[i] = -b[i];
    dmxpy(n, b, lda, x, a);
    resid = 0.0;
    normx = 0.0;
    maxerr = 0.0;
    for (i = 0; i < n; i++) {
        if (fabs(b[i]) > resid)
            resid = fabs(b[i]);
        if (fabs(x[i]) > normx)
            normx = fabs(x[i]);
        if (fabs(x[i] - 1.0) > maxerr)
            maxerr = fabs(x[i] - 1.0);
    }
    eps = 1.0;
    while (1.0 + eps / 2.0 != 1.0)
        eps = eps / 2.0;
    residn = resid / (n * norma * normx * eps);
    printf("     norm. resid      resid           machep         x[0]-1        x[n-1]-1\n");
    printf("  %12.6f   %14.8e  %14.8e  %14.8e  %14.8e\n", residn, resid, eps, x[0] - 1.0,
           x[n - 1] - 1.0);
    printf("max |x[i] - 1| = %.6e; checksum of x = %.12f\n", maxerr, ddot(n, x, x));
    if (residn > 100.0 || maxerr > 1e-6) {
        printf("linpack: FAILED (residual too large)\n");
        return 1;
    }
    printf("linpack: solution verified\n");
    free(ipvt);
    free(x);
    free(b);
    free(a);
    return 0;
}
