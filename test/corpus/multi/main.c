/* A program split over several files: headers with code (geom.h) and a
 * source file in a subdirectory (util/stats.c).  A particle swarm bounces
 * in a box; statistics of its polygonal hull-ish outline every step.
 * usage: multi [POINTS] [STEPS] */
#include <stdio.h>
#include <stdlib.h>

#include "geom.h"
#include "util/stats.h"

static vec2 pos[NPOINTS_MAX], vel[NPOINTS_MAX];
static unsigned seed = 12345;

static double rnd(void) {
  seed = seed * 1103515245u + 12345u;
  return (double)((seed >> 8) & 0xffff) / 65536.0;
}

static void step(int n, double dt) {
  int i;
  for (i = 0; i < n; i++) {
    pos[i] = vadd(pos[i], vscale(vel[i], dt));
    if (pos[i].x < 0 || pos[i].x > 1) vel[i].x = -vel[i].x;
    if (pos[i].y < 0 || pos[i].y > 1) vel[i].y = -vel[i].y;
    pos[i].x = CLAMP(pos[i].x, 0.0, 1.0);
    pos[i].y = CLAMP(pos[i].y, 0.0, 1.0);
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  int steps = argc > 2 ? atoi(argv[2]) : 400;
  int i, t;
  struct stats energy, area;

  n = CLAMP(n, 3, NPOINTS_MAX);
  for (i = 0; i < n; i++) {
    pos[i].x = rnd();
    pos[i].y = rnd();
    vel[i].x = rnd() - 0.5;
    vel[i].y = rnd() - 0.5;
  }
  stats_init(&area);
  for (t = 0; t < steps; t++) {
    step(n, 0.01);
    stats_init(&energy);
    for (i = 0; i < n; i++) stats_add(&energy, vdot(vel[i], vel[i]) / 2);
    stats_add(&area, polygon_area(pos, n));
    if (t % 50 == 0) {
      printf("step %d: ", t);
      stats_print("energy", &energy);
    }
  }
  stats_print("area", &area);
  return 0;
}
