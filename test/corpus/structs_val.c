/* Structs passed and returned by value: complex arithmetic for a Mandelbrot
 * set, 3-vectors for a tiny n-body integration, struct assignment of whole
 * records.
 * usage: structs_val [SIZE] [STEPS] */
#include <stdio.h>
#include <stdlib.h>

typedef struct { double re, im; } complex_t;
typedef struct { double x, y, z; } vec3;
typedef struct { vec3 pos, vel; double mass; } body;

static complex_t cadd(complex_t a, complex_t b) { complex_t r = { a.re + b.re, a.im + b.im }; return r; }
static complex_t cmul(complex_t a, complex_t b) {
  complex_t r = { a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re };
  return r;
}
static double cabs2(complex_t a) { return a.re * a.re + a.im * a.im; }

static vec3 v3(double x, double y, double z) { vec3 r = { x, y, z }; return r; }
static vec3 vsub(vec3 a, vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec3 vmad(vec3 a, vec3 b, double s) { return v3(a.x + b.x * s, a.y + b.y * s, a.z + b.z * s); }
static double vlen2(vec3 a) { return a.x * a.x + a.y * a.y + a.z * a.z; }

static int escape(complex_t c, int limit) {
  complex_t z = { 0, 0 };
  int i;
  for (i = 0; i < limit && cabs2(z) <= 4.0; i++) z = cadd(cmul(z, z), c);
  return i;
}

static body step_body(body b, const body *all, int n, int self, double dt) {
  vec3 acc = v3(0, 0, 0);
  int j;
  for (j = 0; j < n; j++) {
    vec3 d;
    double r2;
    if (j == self) continue;
    d = vsub(all[j].pos, b.pos);
    r2 = vlen2(d) + 0.01;
    acc = vmad(acc, d, all[j].mass / (r2 * 10.0));
  }
  b.vel = vmad(b.vel, acc, dt);
  b.pos = vmad(b.pos, b.vel, dt);
  return b;
}

int main(int argc, char **argv) {
  int size = argc > 1 ? atoi(argv[1]) : 200;
  int steps = argc > 2 ? atoi(argv[2]) : 400;
  body bodies[5], next[5];
  long inside = 0;
  int y, x, s, i;
  double e;

  for (y = 0; y < size; y++) {
    int row = 0;
    for (x = 0; x < size; x++) {
      complex_t c = { -2.0 + 2.5 * x / size, -1.25 + 2.5 * y / size };
      if (escape(c, 200) == 200) row++;
    }
    inside += row;
    if (y % (size / 8 ? size / 8 : 1) == 0) printf("row %d: %d points inside\n", y, row);
  }
  printf("mandelbrot %dx%d: %ld inside\n", size, size, inside);

  for (i = 0; i < 5; i++) {
    bodies[i].pos = v3(i, (i * 3) % 5 - 2.0, (i * 2) % 3 - 1.0);
    bodies[i].vel = v3(0, 0.1 * i, -0.05 * i);
    bodies[i].mass = 1.0 + i;
  }
  for (s = 0; s < steps; s++) {
    for (i = 0; i < 5; i++) next[i] = step_body(bodies[i], bodies, 5, i, 0.01);
    for (i = 0; i < 5; i++) bodies[i] = next[i];
    if (s % 100 == 0) printf("step %d: body0 at %.6g %.6g %.6g\n", s, bodies[0].pos.x, bodies[0].pos.y, bodies[0].pos.z);
  }
  for (e = 0, i = 0; i < 5; i++) e += bodies[i].mass * vlen2(bodies[i].vel) / 2;
  printf("kinetic energy %.9g\n", e);
  return 0;
}
