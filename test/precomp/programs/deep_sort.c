/*
 * deep_sort -- a PVM master and worker.  The worker sorts a heap-allocated
 * linked list with a naive recursive quicksort; on input that is already
 * in order the recursion is as deep as the list is long, so a migration at
 * one of the sort's poll-points happens more than a thousand frames deep
 * (test/system/precomp_deep_recursion.sh).  The master starts the worker,
 * waits for its result and prints it.  Written for the test, in plain C:
 * nothing in it knows about migration.
 *
 *   deep_sort N [HOST]      master: start a worker (on HOST), print its result
 *   deep_sort -worker N     the worker (started by the master)
 */
#include <pvm3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAG_RESULT 7

struct node {
  long key;
  char tag[8];
  struct node *next;
};

static long depth_max;

static struct node *append(struct node *a, struct node *b) {
  struct node *h = a;
  if (!a) return b;
  while (a->next) a = a->next;
  a->next = b;
  return h;
}

/* Partition around the first node; sort both parts; concatenate. */
static struct node *quicksort(struct node *list, long depth) {
  struct node *pivot, *lo = NULL, *hi = NULL, *p, *next;
  if (depth > depth_max) depth_max = depth;
  if (!list || !list->next) return list;
  pivot = list;
  for (p = list->next; p; p = next) {
    next = p->next;
    if (p->key < pivot->key) {
      p->next = lo;
      lo = p;
    } else {
      p->next = hi;
      hi = p;
    }
  }
  lo = quicksort(lo, depth + 1);
  hi = quicksort(hi, depth + 1);
  pivot->next = hi;
  return append(lo, pivot);
}

static int worker(long n) {
  long i, pos;
  unsigned long sum = 0;
  struct node *list = NULL, *p;
  char result[256], host[64] = "?";
  /* Built backwards, so the list is in descending order: the worst case. */
  for (i = 0; i < n; i++) {
    p = malloc(sizeof *p);
    p->key = i * 3 + 1;
    snprintf(p->tag, sizeof p->tag, "k%ld", i % 1000);
    p->next = list;
    list = p;
  }
  list = quicksort(list, 0);
  for (p = list, pos = 1; p; p = p->next, pos++) sum = sum * 31 + (unsigned long)(p->key * pos) + p->tag[1];
  gethostname(host, sizeof host);
  snprintf(result, sizeof result, "recursion %ld deep; first %ld last %ld checksum %lu; finished on %s",
           depth_max, list->key, list->key + 3 * (n - 1), sum, host);
  pvm_initsend(PvmDataDefault);
  pvm_pkstr(result);
  pvm_send(pvm_parent(), TAG_RESULT);
  pvm_exit();
  return 0;
}

int main(int argc, char **argv) {
  char n[32], result[256];
  char *args[3];
  int tid;
  if (argc > 2 && strcmp(argv[1], "-worker") == 0) return worker(atol(argv[2]));
  if (pvm_mytid() < 0) return 2;
  snprintf(n, sizeof n, "%ld", argc > 1 ? atol(argv[1]) : 2000L);
  args[0] = "-worker";
  args[1] = n;
  args[2] = NULL;
  if (pvm_spawn("deep_sort", args, argc > 2 ? PvmTaskHost : PvmTaskDefault, argc > 2 ? argv[2] : "", 1, &tid) != 1) {
    fprintf(stderr, "deep_sort: cannot start the worker (%d)\n", tid);
    pvm_exit();
    return 1;
  }
  pvm_recv(tid, TAG_RESULT);
  pvm_upkstr(result);
  printf("deep_sort: %s keys: %s\n", n, result);
  pvm_exit();
  return 0;
}
