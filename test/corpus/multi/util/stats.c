/* Running statistics, in a subdirectory of its own, using the helpers of
 * the top-level header. */
#include <stdio.h>

#include "../geom.h"
#include "stats.h"

void stats_init(struct stats *s) {
  s->n = 0;
  s->sum = s->sumsq = 0;
  s->lo = 1e300;
  s->hi = -1e300;
}

void stats_add(struct stats *s, double v) {
  s->n++;
  s->sum += v;
  s->sumsq += SQR(v);
  s->lo = MIN(s->lo, v);
  s->hi = MAX(s->hi, v);
}

double stats_mean(const struct stats *s) { return s->n ? s->sum / s->n : 0; }

double stats_var(const struct stats *s) {
  double m = stats_mean(s);
  return s->n ? s->sumsq / s->n - SQR(m) : 0;
}

void stats_print(const char *name, const struct stats *s) {
  printf("%-8s n=%d mean=%.6g var=%.6g min=%.6g max=%.6g\n", name, s->n, stats_mean(s), stats_var(s), s->lo,
         s->hi);
}
