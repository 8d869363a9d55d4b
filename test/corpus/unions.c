/* Unions: a tagged union of expression nodes (some members are pointers),
 * an untagged union to look at the bits of a float, and an array of variant
 * values evaluated in a loop.
 * usage: unions [TERMS] [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tag { NUM, ADD, MUL, NEG };

struct expr {
  enum tag tag;
  union {
    int num;
    struct { struct expr *l, *r; } bin;
    struct expr *operand;
  } u;
};

union bits {
  float f;
  unsigned int u;
  unsigned char b[4];
};

struct value {
  int is_float;
  union { int i; double d; } v;
};

static struct expr *num(int v) {
  struct expr *e = malloc(sizeof *e);
  e->tag = NUM;
  e->u.num = v;
  return e;
}
static struct expr *bin(enum tag t, struct expr *l, struct expr *r) {
  struct expr *e = malloc(sizeof *e);
  e->tag = t;
  e->u.bin.l = l;
  e->u.bin.r = r;
  return e;
}
static struct expr *neg(struct expr *x) {
  struct expr *e = malloc(sizeof *e);
  e->tag = NEG;
  e->u.operand = x;
  return e;
}

static int eval(const struct expr *e) {
  switch (e->tag) {
  case NUM: return e->u.num;
  case ADD: return eval(e->u.bin.l) + eval(e->u.bin.r);
  case MUL: return (eval(e->u.bin.l) * eval(e->u.bin.r)) % 65521;
  case NEG: return -eval(e->u.operand);
  }
  return 0;
}

static void release(struct expr *e) {
  if (e->tag == ADD || e->tag == MUL) {
    release(e->u.bin.l);
    release(e->u.bin.r);
  } else if (e->tag == NEG) {
    release(e->u.operand);
  }
  free(e);
}

int main(int argc, char **argv) {
  int terms = argc > 1 ? atoi(argv[1]) : 2000;
  int rounds = argc > 2 ? atoi(argv[2]) : 50;
  struct expr *e = num(1);
  struct value vals[16];
  union bits fb;
  unsigned fsum = 0;
  int i, r;

  for (i = 2; i <= terms; i++) {
    if (i % 3 == 0) e = bin(MUL, e, num(i % 97 + 1));
    else if (i % 5 == 0) e = neg(bin(ADD, e, num(i)));
    else e = bin(ADD, num(i % 13), e);
  }
  for (r = 0; r < rounds; r++) {
    int v = eval(e);
    double dsum = 0;
    for (i = 0; i < 16; i++) {
      vals[i].is_float = (i + r) % 2;
      if (vals[i].is_float) vals[i].v.d = v / (double)(i + 1);
      else vals[i].v.i = v % (i + 7);
    }
    for (i = 0; i < 16; i++) dsum += vals[i].is_float ? vals[i].v.d : vals[i].v.i;
    fb.f = (float)dsum;
    fsum = fsum * 3u + fb.u;
    if (r % 10 == 0) printf("round %d: value %d sum %.6g float bits %08x\n", r, v, dsum, fb.u);
  }
  fb.u = 0x40490fdbu;   /* pi */
  printf("pi as float %.6f, checksum %08x\n", fb.f, fsum);
  release(e);
  return 0;
}
