/* bitonic: bitonic sort of values held in the leaves of a binary tree.
 *
 *   bitonic N [ROUNDS]
 *
 * Builds, one malloc per node, a complete binary tree with N leaves (N a
 * power of two) holding pseudo-random integers, and sorts the leaves (left
 * to right) by the recursive bitonic sorting network: sort the left subtree
 * up and the right one down, which makes the whole a bitonic sequence, then
 * merge -- compare-exchange each leaf of the left subtree with its twin in
 * the right one, and merge both halves the same way.  Each round refills
 * the leaves, sorts them ascending, then descending, and checks the order.
 * Prints a checksum of the sorted values of every round.  The tree has
 * 2N - 1 nodes: N = 1024 is ~47 KB of state on a 32-bit host (~71 KB on
 * a 64-bit one), N = 4096 about four times that.
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
    int value;
    struct node *left;
    struct node *right;
};

static unsigned long seed = 12345;

static int next_random(void)
{
    seed = (seed * 1103515245UL + 12345UL) % 2147483648UL;
    return (int)(seed >> 4) % 100000;
}

static struct node *build(int leaves)
{
    struct node *t = malloc(sizeof *t);
    if (t == NULL) {
        fprintf(stderr, "bitonic: out of memory\n");
        exit(1);
    }
    t->value = 0;
    if (leaves == 1) {
        t->left = t->right = NULL;
    } else {
        t->left = build(leaves / 2);
        t->right = build(leaves / 2);
    }
    return t;
}

static void fill(struct node *t)
{
    if (t->left == NULL) {
        t->value = next_random();
        return;
    }
    fill(t->left);
    fill(t->right);
}

/* compare-exchange the leaves of a with their twins in b: afterwards each
   leaf of a is <= (up) or >= (!up) its twin */
static void exchange(struct node *a, struct node *b, int up)
{
    if (a->left == NULL) {
        if ((a->value > b->value) == up) {
            int v = a->value;
            a->value = b->value;
            b->value = v;
        }
        return;
    }
    exchange(a->left, b->left, up);
    exchange(a->right, b->right, up);
}

/* the leaves of t form a bitonic sequence: sort them */
static void merge(struct node *t, int up)
{
    if (t->left == NULL)
        return;
    exchange(t->left, t->right, up);
    merge(t->left, up);
    merge(t->right, up);
}

static void sort(struct node *t, int up)
{
    if (t->left == NULL)
        return;
    sort(t->left, 1);
    sort(t->right, 0);
    merge(t, up);
}

/* walks the leaves left to right: counts those out of order, sums them */
static void check(const struct node *t, int up, int *last, long *bad, unsigned long long *sum)
{
    if (t->left == NULL) {
        if (*last >= 0 && (up ? t->value < *last : t->value > *last))
            (*bad)++;
        *last = t->value;
        *sum = (*sum * 31ULL + (unsigned long long)t->value) % 1000000007ULL;
        return;
    }
    check(t->left, up, last, bad, sum);
    check(t->right, up, last, bad, sum);
}

static void release(struct node *t)
{
    if (t == NULL)
        return;
    release(t->left);
    release(t->right);
    free(t);
}

int main(int argc, char **argv)
{
    int n, rounds, r, up, last;
    long bad, total_bad = 0;
    unsigned long long sum, all = 0;
    struct node *root;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s N [ROUNDS]   (N a power of two)\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    rounds = argc > 2 ? atoi(argv[2]) : 1;
    if (n < 2 || n > (1 << 22) || (n & (n - 1)) != 0 || rounds < 1) {
        fprintf(stderr, "bitonic: N must be a power of two in 2..4194304, ROUNDS at least 1\n");
        return 2;
    }
    root = build(n);
    printf("bitonic: %d values, %d nodes, %d round(s)\n", n, 2 * n - 1, rounds);
    for (r = 0; r < rounds; r++) {
        fill(root);
        for (up = 1; up >= 0; up--) {
            sort(root, up);
            last = -1;
            bad = 0;
            sum = 0;
            check(root, up, &last, &bad, &sum);
            total_bad += bad;
            all = (all * 7ULL + sum) % 1000000007ULL;
            if (r < 3 || r == rounds - 1)
                printf("round %d %s: checksum %llu, %ld out of order\n", r, up ? "ascending" : "descending",
                       sum, bad);
        }
    }
    release(root);
    printf("bitonic: checksum of all rounds %llu\n", all);
    if (total_bad != 0) {
        printf("bitonic: FAILED, %ld values out of order\n", total_bad);
        return 1;
    }
    printf("bitonic: sorted\n");
    return 0;
}
