/*
 * sort -- recursive quicksort of integer arrays, many times: a kernel made
 * of calls, where the poll-points at the ends of recursive functions and
 * the checks after each call are most of what the translation adds.
 *
 *   sort [N] [ROUNDS]     default 200000 and 10
 */
#include <stdio.h>
#include <stdlib.h>

static void swap(int *a, int i, int j) {
  int t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(int *a, int lo, int hi) {
  int i, last;
  if (lo >= hi) return;
  swap(a, lo, (lo + hi) / 2);
  last = lo;
  for (i = lo + 1; i <= hi; i++)
    if (a[i] < a[lo]) swap(a, ++last, i);
  swap(a, lo, last);
  quicksort(a, lo, last - 1);
  quicksort(a, last + 1, hi);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200000, rounds = argc > 2 ? atoi(argv[2]) : 10, r, i;
  int *a = malloc(sizeof(int) * n);
  unsigned seed = 12345;
  long check = 0;
  for (r = 0; r < rounds; r++) {
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      a[i] = (int)(seed >> 8) % 1000000;
    }
    quicksort(a, 0, n - 1);
    for (i = 1; i < n; i++)
      if (a[i - 1] > a[i]) { printf("sort: not sorted\n"); return 1; }
    check += a[n / 2] + a[n - 1];
  }
  printf("sort: n=%d rounds=%d check %ld\n", n, rounds, check);
  return 0;
}
