/* A graph whose nodes point into other nodes' arrays: every node owns an
 * array of edge weights, and each edge of the reverse graph points at the
 * weight inside its source node's array (an interior pointer into another
 * heap block).  Bellman-Ford style relaxation over both views.
 * usage: graph_edges [NODES] [DEGREE] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>

struct node {
  int id;
  int degree;
  int *weight;            /* weight[k]: weight of edge k */
  struct node **to;       /* to[k]: target of edge k */
  int nin;
  int **in_weight;        /* points into the source's weight[] */
  struct node **from;
  int dist;
};

static unsigned rs = 42;
static int rnd(int m) {
  rs = rs * 1103515245u + 12345u;
  return (int)((rs >> 16) % (unsigned)m);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3000;
  int deg = argc > 2 ? atoi(argv[2]) : 6;
  int rounds = argc > 3 ? atoi(argv[3]) : 20;
  struct node *g = calloc(n, sizeof *g);
  int i, k, r;

  for (i = 0; i < n; i++) {
    g[i].id = i;
    g[i].degree = deg;
    g[i].weight = malloc(deg * sizeof(int));
    g[i].to = malloc(deg * sizeof(struct node *));
    for (k = 0; k < deg; k++) {
      g[i].weight[k] = 1 + rnd(100);
      g[i].to[k] = &g[(i + 1 + rnd(n - 1)) % n];
      g[i].to[k]->nin++;
    }
  }
  for (i = 0; i < n; i++) {
    g[i].in_weight = malloc((g[i].nin + 1) * sizeof(int *));
    g[i].from = malloc((g[i].nin + 1) * sizeof(struct node *));
    g[i].nin = 0;
  }
  for (i = 0; i < n; i++)
    for (k = 0; k < deg; k++) {
      struct node *t = g[i].to[k];
      t->in_weight[t->nin] = &g[i].weight[k];
      t->from[t->nin] = &g[i];
      t->nin++;
    }

  for (r = 0; r < rounds; r++) {
    int changed = 1, passes = 0;
    long long sum = 0;
    int src = r % n;
    for (i = 0; i < n; i++) g[i].dist = 1 << 29;
    g[src].dist = 0;
    while (changed) {
      changed = 0;
      passes++;
      /* pull over the reverse edges: the weights are read through the
       * interior pointers */
      for (i = 0; i < n; i++)
        for (k = 0; k < g[i].nin; k++) {
          int d = g[i].from[k]->dist + *g[i].in_weight[k];
          if (d < g[i].dist) {
            g[i].dist = d;
            changed = 1;
          }
        }
    }
    for (i = 0; i < n; i++)
      if (g[i].dist < (1 << 29)) sum += g[i].dist;
    printf("round %d: source %d passes %d sum %lld\n", r, src, passes, sum);
    /* change the graph through the other view: the in-pointers see it */
    for (i = 0; i < n; i++) {
      int *w = g[i].in_weight[r % (g[i].nin ? g[i].nin : 1)];
      if (g[i].nin) *w = *w % 50 + 1;
    }
  }
  for (i = 0; i < n; i++) {
    free(g[i].weight);
    free(g[i].to);
    free(g[i].in_weight);
    free(g[i].from);
  }
  free(g);
  return 0;
}
