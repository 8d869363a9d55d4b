/* Deep recursion on a heap-allocated binary tree: build a lopsided tree
 * (thousands of levels deep), mirror it by swapping subtrees recursively,
 * and fold it recursively, many times.
 * usage: tree_swap [NODES] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>

struct node {
  int key;
  struct node *left, *right;
};

static unsigned state = 1;
static int next_rand(void) {
  state = state * 1664525u + 1013904223u;
  return (int)(state >> 9);
}

/* Insert into an unbalanced search tree: keys that mostly increase make it
 * deep. */
static struct node *insert(struct node *t, int key) {
  if (t == NULL) {
    struct node *n = malloc(sizeof *n);
    n->key = key;
    n->left = n->right = NULL;
    return n;
  }
  if (key < t->key)
    t->left = insert(t->left, key);
  else
    t->right = insert(t->right, key);
  return t;
}

static void mirror(struct node *t) {
  struct node *tmp;
  if (t == NULL) return;
  mirror(t->left);
  mirror(t->right);
  tmp = t->left;
  t->left = t->right;
  t->right = tmp;
}

static int depth(const struct node *t) {
  int l, r;
  if (t == NULL) return 0;
  l = depth(t->left);
  r = depth(t->right);
  return 1 + (l > r ? l : r);
}

/* In-order position-weighted checksum: distinguishes a tree from its
 * mirror. */
static unsigned fold(const struct node *t, unsigned acc) {
  if (t == NULL) return acc;
  acc = fold(t->left, acc);
  acc = acc * 33u + (unsigned)t->key;
  return fold(t->right, acc);
}

static void bump(struct node *t, int by) {
  if (t == NULL) return;
  t->key += by;
  bump(t->left, by);
  bump(t->right, by);
}

static void destroy(struct node *t) {
  if (t == NULL) return;
  destroy(t->left);
  destroy(t->right);
  free(t);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3000;
  int rounds = argc > 2 ? atoi(argv[2]) : 60;
  struct node *root = NULL;
  int i;

  for (i = 0; i < n; i++) root = insert(root, i * 4 + next_rand() % 7);
  printf("nodes %d depth %d fold %08x\n", n, depth(root), fold(root, 0));
  for (i = 0; i < rounds; i++) {
    mirror(root);
    bump(root, i % 3 - 1);
    if (i % 10 == 0) printf("round %d: depth %d fold %08x\n", i, depth(root), fold(root, 7u));
  }
  printf("final fold %08x\n", fold(root, 1u));
  destroy(root);
  return 0;
}
