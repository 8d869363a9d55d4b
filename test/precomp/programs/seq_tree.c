/*
 * seq_tree -- a sequential program (no PVM at all): it grows a binary
 * search tree on the heap, walks it recursively every step and prints one
 * line per step.  Written for the tests of sequential SNOW tasks
 * (test/system/precomp_sequential.sh, precomp_checkpoint.sh), in plain C:
 * nothing in it knows about migration.  Its output depends only on its
 * arguments, so a run that migrated, or was checkpointed and restarted,
 * must print exactly what a run that never moved prints.
 *
 *   seq_tree STEPS [DELAY_MS]
 *
 * DELAY_MS (default 0) paces the steps, so that an operator's command
 * reliably meets the program in mid-run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct node {
  long key;
  double weight;
  char label[12];
  struct node *left, *right;
};

static struct node *root;
static unsigned int seed = 12345; /* 32 bits everywhere: the same sequence on every host */
static const char *names[] = {"ash", "birch", "cedar", "damson", "elm"};

static unsigned int next_random(void) {
  seed = seed * 1103515245U + 12345U;
  return (seed / 65536U) % 32768U;
}

static struct node *insert(struct node *t, long key, int depth) {
  if (!t) {
    struct node *n = malloc(sizeof *n);
    n->key = key;
    n->weight = (double)key / 7.0 + depth;
    snprintf(n->label, sizeof n->label, "%s%d", names[key % 5], depth);
    n->left = n->right = NULL;
    return n;
  }
  if (key < t->key) t->left = insert(t->left, key, depth + 1);
  else t->right = insert(t->right, key, depth + 1);
  return t;
}

/* Sum of keys, weighted sum and height, recursively. */
static long walk(struct node *t, double *wsum, int depth, int *height) {
  long s;
  if (!t) return 0;
  if (depth > *height) *height = depth;
  *wsum += t->weight * 0.5;
  t->weight = t->weight * 0.999 + 0.25;
  s = t->key + walk(t->left, wsum, depth + 1, height);
  return s + walk(t->right, wsum, depth + 1, height);
}

static void pause_ms(long ms) {
  struct timespec ts;
  if (ms <= 0) return;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  long steps, delay = 0, step, count = 0;
  if (argc < 2 || (steps = atol(argv[1])) < 1) {
    fprintf(stderr, "usage: seq_tree STEPS [DELAY_MS]\n");
    return 2;
  }
  if (argc > 2) delay = atol(argv[2]);
  for (step = 1; step <= steps; step++) {
    double wsum = 0;
    int height = 0, i;
    long sum;
    for (i = 0; i < 20; i++, count++) {
      long key = (long)next_random();
      root = insert(root, key, 0);
    }
    sum = walk(root, &wsum, 1, &height);
    printf("step %ld: nodes=%ld sum=%ld height=%d weight=%.6f root=%s\n", step, count, sum, height, wsum,
           root->label);
    fflush(stdout);
    pause_ms(delay);
  }
  printf("done: %ld nodes\n", count);
  return 0;
}
