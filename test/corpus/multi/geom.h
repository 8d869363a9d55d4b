/* Code in a header: static inline functions and function-like macros, the
 * way many projects share small helpers between files. */
#ifndef GEOM_H
#define GEOM_H

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CLAMP(v, lo, hi) MIN(MAX((v), (lo)), (hi))
#define SQR(x) ((x) * (x))
#define NPOINTS_MAX 4096

typedef struct {
  double x, y;
} vec2;

static inline vec2 vadd(vec2 a, vec2 b) {
  vec2 r = { a.x + b.x, a.y + b.y };
  return r;
}

static inline vec2 vscale(vec2 a, double s) {
  vec2 r = { a.x * s, a.y * s };
  return r;
}

static inline double vdot(vec2 a, vec2 b) { return a.x * b.x + a.y * b.y; }

/* Area of a polygon (shoelace), a loop in a header. */
static inline double polygon_area(const vec2 *p, int n) {
  double s = 0;
  int i;
  for (i = 0; i < n; i++) {
    const vec2 *q = &p[(i + 1) % n];
    s += p[i].x * q->y - q->x * p[i].y;
  }
  return s / 2;
}

#endif
