/* Modern C99: designated initialisers, compound literals, inline functions,
 * bool, <stdint.h> types, declarations in for loops, flexible array member.
 * A small 2-D shape scene rasterised into a coverage grid.
 * usage: c99_shapes [GRID] [FRAMES] */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { CIRCLE, RECT, RING, KIND_COUNT };

struct point { int32_t x, y; };
struct shape {
  enum kind kind;
  struct point at;
  int32_t a, b;       /* radius / half sizes */
  uint8_t weight;
};

struct scene {
  size_t count;
  struct shape shapes[];   /* flexible array member */
};

static const char *const kind_name[KIND_COUNT] = {
  [RING] = "ring", [CIRCLE] = "circle", [RECT] = "rect",
};

static inline int32_t sq(int32_t v) { return v * v; }

static inline bool inside(const struct shape *s, struct point p) {
  int32_t dx = p.x - s->at.x, dy = p.y - s->at.y;
  switch (s->kind) {
  case CIRCLE: return sq(dx) + sq(dy) <= sq(s->a);
  case RECT: return abs(dx) <= s->a && abs(dy) <= s->b;
  case RING: return sq(dx) + sq(dy) <= sq(s->a) && sq(dx) + sq(dy) >= sq(s->b);
  default: return false;
  }
}

static uint64_t fnv(uint64_t h, uint32_t v) {
  for (int i = 0; i < 4; i++) {
    h ^= (v >> (8 * i)) & 0xffu;
    h *= UINT64_C(1099511628211);
  }
  return h;
}

static struct scene *make_scene(int grid) {
  const struct shape proto[] = {
    { .kind = CIRCLE, .at = { .x = grid / 3, .y = grid / 3 }, .a = grid / 5, .weight = 3 },
    { .kind = RECT, .at = { grid / 2, grid / 2 }, .a = grid / 6, .b = grid / 10, .weight = 5 },
    { .kind = RING, .at = { .y = 2 * grid / 3, .x = 2 * grid / 3 }, .a = grid / 4, .b = grid / 8, .weight = 7 },
    [3] = { .kind = CIRCLE, .at = { 0, grid }, .a = grid / 2, .weight = 1 },
  };
  size_t n = sizeof proto / sizeof proto[0];
  struct scene *sc = malloc(sizeof *sc + n * sizeof sc->shapes[0]);
  sc->count = n;
  memcpy(sc->shapes, proto, sizeof proto);
  return sc;
}

int main(int argc, char **argv) {
  int grid = argc > 1 ? atoi(argv[1]) : 400;
  int frames = argc > 2 ? atoi(argv[2]) : 40;
  struct scene *sc = make_scene(grid);
  uint64_t total = UINT64_C(14695981039346656037);
  for (int f = 0; f < frames; f++) {
    uint32_t cover[KIND_COUNT] = { 0 };
    uint32_t weight = 0;
    for (int y = 0; y < grid; y++) {
      for (int x = 0; x < grid; x++) {
        struct point p = (struct point){ .x = x, .y = y };
        for (size_t i = 0; i < sc->count; i++) {
          if (inside(&sc->shapes[i], p)) {
            cover[sc->shapes[i].kind]++;
            weight += sc->shapes[i].weight;
          }
        }
      }
    }
    for (size_t i = 0; i < sc->count; i++)
      sc->shapes[i].at = (struct point){ sc->shapes[i].at.x + 1, sc->shapes[i].at.y - (f % 3 == 0) };
    total = fnv(total, weight);
    if (f % 5 == 0 || f == frames - 1)
      printf("frame %3d: %s=%u %s=%u %s=%u weight=%u\n", f, kind_name[CIRCLE], (unsigned)cover[CIRCLE],
             kind_name[RECT], (unsigned)cover[RECT], kind_name[RING], (unsigned)cover[RING], (unsigned)weight);
  }
  printf("hash %016llx\n", (unsigned long long)total);
  free(sc);
  return 0;
}
