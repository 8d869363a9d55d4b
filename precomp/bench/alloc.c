/*
 * alloc -- a malloc-heavy program: binary trees built node by node,
 * checked and freed, over and over.  Every node is a heap block the
 * memory-state runtime must know, so this measures the cost of
 * snow_malloc/snow_free against plain malloc/free.
 *
 *   alloc [DEPTH] [ROUNDS]     default 16 and 20
 */
#include <stdio.h>
#include <stdlib.h>

struct tree {
  struct tree *left, *right;
  int value;
};

static struct tree *build(int depth, int value) {
  struct tree *t = malloc(sizeof *t);
  t->value = value;
  if (depth > 0) {
    t->left = build(depth - 1, 2 * value);
    t->right = build(depth - 1, 2 * value + 1);
  } else {
    t->left = t->right = NULL;
  }
  return t;
}

static unsigned long check(const struct tree *t) {
  if (!t->left) return (unsigned long)t->value;
  return (unsigned long)t->value + 3 * check(t->left) - check(t->right);
}

static void release(struct tree *t) {
  if (t->left) {
    release(t->left);
    release(t->right);
  }
  free(t);
}

int main(int argc, char **argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 16, rounds = argc > 2 ? atoi(argv[2]) : 20, r;
  unsigned long sum = 0;
  for (r = 0; r < rounds; r++) {
    struct tree *t = build(depth, r);
    sum += check(t);
    release(t);
  }
  printf("alloc: depth=%d rounds=%d check %lu\n", depth, rounds, sum);
  return 0;
}
