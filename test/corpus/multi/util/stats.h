#ifndef STATS_H
#define STATS_H

struct stats {
  int n;
  double sum, sumsq, lo, hi;
};

void stats_init(struct stats *s);
void stats_add(struct stats *s, double v);
double stats_mean(const struct stats *s);
double stats_var(const struct stats *s);
void stats_print(const char *name, const struct stats *s);

#endif
