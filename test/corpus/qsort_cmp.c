/* qsort and bsearch with comparators: sort an array of records by several
 * keys, look keys up, re-sort with another comparator.
 * usage: qsort_cmp [RECORDS] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
  int id;
  int score;
  char name[12];
};

static int by_score_then_id(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->score != y->score) return x->score < y->score ? 1 : -1;   /* descending */
  return (x->id > y->id) - (x->id < y->id);
}

static int by_name(const void *a, const void *b) {
  const struct rec *x = (const struct rec *)a, *y = (const struct rec *)b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int by_id(const void *a, const void *b) {
  return ((const struct rec *)a)->id - ((const struct rec *)b)->id;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000;
  int rounds = argc > 2 ? atoi(argv[2]) : 10;
  struct rec *r = malloc(n * sizeof *r);
  int *keys = malloc(n * sizeof(int));
  unsigned seed = 7, h = 0;
  int i, round;

  for (i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    r[i].id = i;
    r[i].score = (int)((seed >> 16) % 1000);
    sprintf(r[i].name, "n%05u", (seed >> 3) % 50000);
    keys[i] = (int)((seed >> 5) % 100000);
  }
  for (round = 0; round < rounds; round++) {
    int found = 0;
    qsort(r, n, sizeof *r, round % 2 ? by_name : by_score_then_id);
    printf("round %d: first %s/%d/%d last %s/%d/%d\n", round, r[0].name, r[0].score, r[0].id, r[n - 1].name,
           r[n - 1].score, r[n - 1].id);
    qsort(keys, n, sizeof(int), cmp_int);
    for (i = 0; i < n; i += 7) {
      int want = (i * 37 + round) % 100000;
      if (bsearch(&want, keys, n, sizeof(int), cmp_int)) found++;
    }
    for (i = 0; i < n; i++) {
      r[i].score = (r[i].score * 13 + r[i].id + round) % 1000;
      keys[i] = (keys[i] + i * round) % 100000;
    }
    printf("round %d: %d keys found\n", round, found);
  }
  qsort(r, n, sizeof *r, by_id);
  for (i = 0; i < n; i++) h = h * 31u + (unsigned)r[i].score;
  printf("checksum %08x\n", h);
  free(r);
  free(keys);
  return 0;
}
