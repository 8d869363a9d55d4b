/* A self-spawning task tree: recursive merge sort where each task with
 * more than a few keys left and depth to spare spawns two children running
 * the same program, sends each half its keys, sorts nothing itself but
 * merges what they send back, and returns the result to its parent.  The
 * leaves sort with a recursive merge sort of their own.
 * usage: msort_tree [KEYS] [DEPTH] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvm3.h>

#define TAG_KEYS 11
#define TAG_SORTED 12

static void merge(const int *a, int na, const int *b, int nb, int *out) {
  int i = 0, j = 0, k = 0;
  while (i < na && j < nb) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < na) out[k++] = a[i++];
  while (j < nb) out[k++] = b[j++];
}

static void msort(int *a, int *tmp, int n) {
  int h = n / 2;
  if (n < 2) return;
  msort(a, tmp, h);
  msort(a + h, tmp, n - h);
  merge(a, h, a + h, n - h, tmp);
  memcpy(a, tmp, n * sizeof(int));
}

/* Sort keys[0..n) at tree depth `depth` (levels left below: `left`). */
static void sort_keys(int *keys, int n, int left) {
  int tids[2], half[2], i;
  int *tmp = malloc((n ? n : 1) * sizeof(int));
  if (left > 0 && n >= 64 && pvm_spawn("msort_tree", (char **)0, PvmTaskDefault, "", 2, tids) == 2) {
    half[0] = n / 2;
    half[1] = n - n / 2;
    for (i = 0; i < 2; i++) {
      int l = left - 1;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(&l, 1, 1);
      pvm_pkint(&half[i], 1, 1);
      pvm_pkint(keys + i * half[0], half[i], 1);
      pvm_send(tids[i], TAG_KEYS);
    }
    for (i = 0; i < 2; i++) {
      pvm_recv(tids[i], TAG_SORTED);
      pvm_upkint(tmp + i * half[0], half[i], 1);
    }
    merge(tmp, half[0], tmp + half[0], half[1], keys);
  } else {
    msort(keys, tmp, n);
  }
  free(tmp);
}

int main(int argc, char **argv) {
  int parent, n, left, i;
  int *keys;
  if (pvm_mytid() < 0) return 1;
  parent = pvm_parent();
  if (parent == PvmNoParent) {
    unsigned seed = 99, h = 0;
    n = argc > 1 ? atoi(argv[1]) : 200000;
    left = argc > 2 ? atoi(argv[2]) : 2;
    keys = malloc(n * sizeof(int));
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      keys[i] = (int)(seed >> 4) % 1000000;
    }
    sort_keys(keys, n, left);
    for (i = 1; i < n; i++)
      if (keys[i - 1] > keys[i]) {
        printf("NOT SORTED at %d\n", i);
        break;
      }
    for (i = 0; i < n; i++) h = h * 31u + (unsigned)keys[i];
    printf("sorted %d keys over a task tree of depth %d\n", n, left);
    for (i = 0; i < n; i += n / 10 ? n / 10 : 1) printf("  key[%d] = %d\n", i, keys[i]);
    printf("checksum %08x\n", h);
  } else {
    pvm_recv(parent, TAG_KEYS);
    pvm_upkint(&left, 1, 1);
    pvm_upkint(&n, 1, 1);
    keys = malloc((n ? n : 1) * sizeof(int));
    pvm_upkint(keys, n, 1);
    sort_keys(keys, n, left);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(keys, n, 1);
    pvm_send(parent, TAG_SORTED);
  }
  free(keys);
  pvm_exit();
  return 0;
}
