/* int** matrices the classic way: one contiguous block for the elements and
 * an array of row pointers into it; a "window" matrix whose row pointers
 * point into the middle of another matrix's rows.  Integer matrix products
 * and checksums.
 * usage: matrix_rows [N] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>

int **alloc_matrix(int rows, int cols) {
  int **m = (int **)malloc(rows * sizeof(int *));
  int *block = (int *)malloc(rows * cols * sizeof(int));
  int i;
  for (i = 0; i < rows; i++) m[i] = block + i * cols;
  return m;
}

void free_matrix(int **m) {
  free(m[0]);
  free(m);
}

/* rows of `win` point into `m`, offset by (r0, c0) */
int **window(int **m, int r0, int c0, int rows) {
  int **w = (int **)malloc(rows * sizeof(int *));
  int i;
  for (i = 0; i < rows; i++) w[i] = &m[r0 + i][c0];
  return w;
}

void multiply(int **a, int **b, int **c, int n) {
  int i, j, k;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      int s = 0;
      for (k = 0; k < n; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

unsigned checksum(int **m, int rows, int cols) {
  unsigned h = 0;
  int i, j;
  for (i = 0; i < rows; i++)
    for (j = 0; j < cols; j++) h = h * 131u + (unsigned)m[i][j];
  return h;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 160;
  int rounds = argc > 2 ? atoi(argv[2]) : 6;
  int **a = alloc_matrix(n, n), **b = alloc_matrix(n, n), **c = alloc_matrix(n, n);
  int **w;
  int i, j, r, h = n / 2;

  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      a[i][j] = (i * 7 + j * 3) % 17 - 8;
      b[i][j] = (i == j) + (i + 2 * j) % 5;
    }
  w = window(a, n / 4, n / 4, h);
  for (r = 0; r < rounds; r++) {
    multiply(a, b, c, n);
    printf("round %d: c %08x\n", r, checksum(c, n, n));
    /* feed back through the window: it writes into a's interior */
    for (i = 0; i < h; i++)
      for (j = 0; j < h; j++) w[i][j] = c[i][j] % 11;
    printf("round %d: window %08x a %08x\n", r, checksum(w, h, h), checksum(a, n, n));
    /* swap two row pointers of b (never row 0, which owns the block):
     * rows move, the block does not */
    {
      int x = 1 + r % (n - 1), y = 1 + (r * 5 + 3) % (n - 1);
      int *t = b[x];
      b[x] = b[y];
      b[y] = t;
    }
  }
  free(w);
  free_matrix(a);
  free_matrix(b);
  free_matrix(c);
  return 0;
}
