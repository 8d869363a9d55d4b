/*
 * msr_zoo -- a "type zoo": every kind of C data the MSR runtime must move,
 * with hand-written type descriptors of exactly the shape the pre-compiler
 * generates (static const snow_type built with sizeof/offsetof, bit-field
 * accessors, a union discriminator callback).  Used by the zoo program
 * (test/programs/msr_zoo_main.cpp), the unit tests and the fuzz corpus.
 *
 * zoo_build() fills a set of roots with deterministic values that every
 * platform can represent exactly (longs within 32 bits, long doubles with
 * at most 64 significant bits), so a round trip between any two of
 * x86_64, i386 and s390x must be bit-exact.  zoo_compare() walks two zoos
 * side by side and checks every value bit for bit and every pointer for
 * logical identity (a bijection between the two address spaces, seeded
 * with the roots).
 */
#ifndef MSR_ZOO_H
#define MSR_ZOO_H

#include <stddef.h>
#include <stdint.h>

#include "snowpvm_msr.h"

#ifdef __cplusplus
#define _Bool bool /* the same type, for C++ users of this header */
extern "C" {
#endif

enum zoo_color { ZOO_RED = -2, ZOO_GREEN = 7, ZOO_BLUE = 100000 };

struct zoo_node { /* binary tree, DAG, cycle */
  int key;
  long value;
  struct zoo_node *left, *right, *parent;
  double weight;
};

struct zoo_dl { /* doubly linked list */
  short id;
  struct zoo_dl *next, *prev;
};

struct zoo_pad { /* padding everywhere */
  char c;
  double d;
  short s;
  long l;
  char tail;
};

struct zoo_bits {
  unsigned a : 3;
  signed b : 5;
  unsigned c : 1;
  int d : 12;
  unsigned long long e : 40;
  _Bool f : 1;
};

union zoo_num { /* active member recorded at run time */
  int i;
  double d;
  char s[12];
};

struct zoo_tagged { /* active member from a discriminator */
  int tag; /* 0: l, 1: d, 2: p */
  union zoo_tagged_u {
    long l;
    double d;
    struct zoo_node *p;
  } u;
};

struct zoo_elem { /* array of structs with interior pointers */
  int x;
  double y;
  long w;
  long *pw; /* points into another element */
};

struct zoo_fam { /* flexible array member */
  int n;
  double v[];
};

typedef int (*zoo_fn)(int);

struct zoo_scalars {
  _Bool b;
  char c[256]; /* every byte value: plain char is unsigned on s390x */
  signed char sc[4];
  unsigned char uc[4];
  short s[3];
  unsigned short us[3];
  int i[3];
  unsigned int ui[3];
  long l[4];
  unsigned long ul[3];
  long long ll[3];
  unsigned long long ull[3];
  int64_t i64[2];
  uint64_t u64[2];
  size_t sz[2];
  enum zoo_color color[3];
  float f[7];
  double d[8];
  long double ld[7];
  int matrix[3][4];
  double cube[2][2][2];
};

/* The roots of one zoo (the program tracks the members of one instance). */
struct zoo {
  struct zoo_scalars sc;             /* global */
  struct zoo_pad pad[2];             /* global */
  struct zoo_bits bits[3];           /* global */
  union zoo_num num[3];              /* global: runtime-recorded unions */
  struct zoo_tagged tagged[3];       /* global: discriminated unions */
  struct zoo_node *tree;             /* global -> heap binary tree */
  struct zoo_node *dag[3];           /* shared children */
  struct zoo_node *cycle;            /* a -> b -> c -> a */
  struct zoo_dl *list;               /* doubly linked */
  struct zoo_elem *elems;            /* heap array of 10 structs */
  long *elem_w;                      /* interior: &elems[7].w */
  struct zoo_elem *elems_end;        /* one past the end */
  double *mid;                       /* middle of a heap double block */
  struct zoo_fam *fam;               /* flexible array member */
  char *str_heap;                    /* snow_strdup */
  char *str_lit, *str_lit2;          /* string literals (same one twice: aliasing) */
  char *str_inner;                   /* points inside str_heap */
  zoo_fn fn[3];                      /* function table */
  void *anything;                    /* void * into the pad array */
  long **to_global;                  /* heap cell -> global */
  struct zoo_node **pp;              /* pointer to pointer */
  double *pad_d;                     /* pointer to a field of a global struct */
  struct zoo_node *null_ptr;
};

/* Stack-resident part of the zoo (registered as a stack block). */
struct zoo_stack {
  struct zoo_node *to_heap;    /* stack -> heap */
  long counter;
  double *to_global_d;         /* stack -> global */
  int local_array[4];
  int *into_local;             /* stack -> stack: &local_array[2] */
};

/* Descriptors. */
extern const snow_type zoo_T_node, zoo_T_dl, zoo_T_pad, zoo_T_bits, zoo_T_num, zoo_T_tagged,
    zoo_T_elem, zoo_T_fam, zoo_T_scalars, zoo_T_zoo, zoo_T_stack, zoo_T_color, zoo_T_fn;
extern const snow_type *const zoo_types[];
extern const size_t zoo_ntypes;

/* Registers the zoo's types and functions (once per process). */
void zoo_register(void);
/* Tracks the members of z as roots named "<prefix>.<member>". */
int zoo_track(struct zoo *z, const char *prefix);
int zoo_untrack(struct zoo *z);
/* Fills z (and *st, which may be NULL) with the deterministic zoo; heap
 * blocks come from snow_malloc.  `variant` changes values (0 = standard). */
void zoo_build(struct zoo *z, struct zoo_stack *st, int variant);
/* Compares; prints every difference to stderr; returns the number found. */
int zoo_compare(const struct zoo *expected, const struct zoo_stack *est, const struct zoo *actual,
                const struct zoo_stack *ast);
/* Counts of the last comparison. */
extern unsigned long zoo_values_compared, zoo_pointers_compared;

#ifdef __cplusplus
}
#endif

#endif
