/* The type zoo: descriptors, construction and deep comparison (msr_zoo.h). */
#include "msr_zoo.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snowpvm.h"

/* ------------------------------------------------------------------ types
 * Written the way the pre-compiler generates them: one static const
 * descriptor per type, sizes and offsets from the compiler. */

#define ARRAY_T(name, elemT, ctype, n) \
  static const snow_type name = {SNOW_K_ARRAY, NULL, sizeof(ctype[n]), _Alignof(ctype), 0, elemT, n, 0, NULL, NULL}
#define PTR_T(name, cname, targetT, ctype) \
  static const snow_type name = {SNOW_K_POINTER, cname, sizeof(ctype *), _Alignof(ctype *), 0, targetT, 0, 0, NULL, NULL}
#define FIELD(S, f, T) {#f, T, offsetof(S, f), 0, NULL, NULL}

const snow_type zoo_T_color = {SNOW_K_ENUM, "enum zoo_color", sizeof(enum zoo_color), _Alignof(enum zoo_color),
                               (enum zoo_color)-1 < 0, NULL, 0, 0, NULL, NULL};
const snow_type zoo_T_fn = {SNOW_K_FUNCPTR, "zoo_fn", sizeof(zoo_fn), _Alignof(zoo_fn), 0, NULL, 0, 0, NULL, NULL};

PTR_T(T_node_p, "struct zoo_node *", &zoo_T_node, struct zoo_node);
PTR_T(T_node_pp, "struct zoo_node **", &T_node_p, struct zoo_node *);
PTR_T(T_dl_p, "struct zoo_dl *", &zoo_T_dl, struct zoo_dl);
PTR_T(T_long_p, "long *", &snow_type_long, long);
PTR_T(T_long_pp, "long **", &T_long_p, long *);
PTR_T(T_int_p, "int *", &snow_type_int, int);
PTR_T(T_double_p, "double *", &snow_type_double, double);
PTR_T(T_elem_p, "struct zoo_elem *", &zoo_T_elem, struct zoo_elem);
PTR_T(T_fam_p, "struct zoo_fam *", &zoo_T_fam, struct zoo_fam);

static const snow_field node_fields[] = {
    FIELD(struct zoo_node, key, &snow_type_int),        FIELD(struct zoo_node, value, &snow_type_long),
    FIELD(struct zoo_node, left, &T_node_p),            FIELD(struct zoo_node, right, &T_node_p),
    FIELD(struct zoo_node, parent, &T_node_p),          FIELD(struct zoo_node, weight, &snow_type_double)};
const snow_type zoo_T_node = {SNOW_K_STRUCT, "struct zoo_node", sizeof(struct zoo_node), _Alignof(struct zoo_node),
                              0, NULL, 0, 6, node_fields, NULL};

static const snow_field dl_fields[] = {FIELD(struct zoo_dl, id, &snow_type_short),
                                       FIELD(struct zoo_dl, next, &T_dl_p), FIELD(struct zoo_dl, prev, &T_dl_p)};
const snow_type zoo_T_dl = {SNOW_K_STRUCT, "struct zoo_dl", sizeof(struct zoo_dl), _Alignof(struct zoo_dl), 0, NULL,
                            0, 3, dl_fields, NULL};

static const snow_field pad_fields[] = {
    FIELD(struct zoo_pad, c, &snow_type_char), FIELD(struct zoo_pad, d, &snow_type_double),
    FIELD(struct zoo_pad, s, &snow_type_short), FIELD(struct zoo_pad, l, &snow_type_long),
    FIELD(struct zoo_pad, tail, &snow_type_char)};
const snow_type zoo_T_pad = {SNOW_K_STRUCT, "struct zoo_pad", sizeof(struct zoo_pad), _Alignof(struct zoo_pad), 0,
                             NULL, 0, 5, pad_fields, NULL};

/* Bit-fields: generated accessors move the values. */
#define BITS_ACCESSORS(f, cast)                                                             \
  static unsigned long long bits_get_##f(const void *o) {                                  \
    return (unsigned long long)(cast)((const struct zoo_bits *)o)->f;                      \
  }                                                                                         \
  static void bits_set_##f(void *o, unsigned long long v) { ((struct zoo_bits *)o)->f = v; }
BITS_ACCESSORS(a, unsigned long long)
BITS_ACCESSORS(b, long long)
BITS_ACCESSORS(c, unsigned long long)
BITS_ACCESSORS(d, long long)
BITS_ACCESSORS(e, unsigned long long)
BITS_ACCESSORS(f, unsigned long long)
#define BITFIELD(f, T, w) {#f, T, 0, w, bits_get_##f, bits_set_##f}
static const snow_type T_ullong_bits = {SNOW_K_INT, "unsigned long long", sizeof(unsigned long long),
                                        _Alignof(unsigned long long), 0, NULL, 0, 0, NULL, NULL};
static const snow_field bits_fields[] = {BITFIELD(a, &snow_type_uint, 3),  BITFIELD(b, &snow_type_int, 5),
                                         BITFIELD(c, &snow_type_uint, 1),  BITFIELD(d, &snow_type_int, 12),
                                         BITFIELD(e, &T_ullong_bits, 40), BITFIELD(f, &snow_type_bool, 1)};
const snow_type zoo_T_bits = {SNOW_K_STRUCT, "struct zoo_bits", sizeof(struct zoo_bits), _Alignof(struct zoo_bits),
                              0, NULL, 0, 6, bits_fields, NULL};

ARRAY_T(T_char_12, &snow_type_char, char, 12);
static const snow_field num_fields[] = {FIELD(union zoo_num, i, &snow_type_int),
                                        FIELD(union zoo_num, d, &snow_type_double),
                                        FIELD(union zoo_num, s, &T_char_12)};
const snow_type zoo_T_num = {SNOW_K_UNION, "union zoo_num", sizeof(union zoo_num), _Alignof(union zoo_num), 0, NULL,
                             0, 3, num_fields, NULL /* runtime record */};

static int tagged_active(const void *u) {
  const struct zoo_tagged *t = (const struct zoo_tagged *)((const char *)u - offsetof(struct zoo_tagged, u));
  return t->tag >= 0 && t->tag <= 2 ? t->tag : -1;
}
static const snow_field tagged_u_fields[] = {FIELD(union zoo_tagged_u, l, &snow_type_long),
                                             FIELD(union zoo_tagged_u, d, &snow_type_double),
                                             FIELD(union zoo_tagged_u, p, &T_node_p)};
static const snow_type T_tagged_u = {SNOW_K_UNION, "union zoo_tagged_u", sizeof(union zoo_tagged_u),
                                     _Alignof(union zoo_tagged_u), 0, NULL, 0, 3, tagged_u_fields, tagged_active};
static const snow_field tagged_fields[] = {FIELD(struct zoo_tagged, tag, &snow_type_int),
                                           FIELD(struct zoo_tagged, u, &T_tagged_u)};
const snow_type zoo_T_tagged = {SNOW_K_STRUCT, "struct zoo_tagged", sizeof(struct zoo_tagged),
                                _Alignof(struct zoo_tagged), 0, NULL, 0, 2, tagged_fields, NULL};

static const snow_field elem_fields[] = {FIELD(struct zoo_elem, x, &snow_type_int),
                                         FIELD(struct zoo_elem, y, &snow_type_double),
                                         FIELD(struct zoo_elem, w, &snow_type_long),
                                         FIELD(struct zoo_elem, pw, &T_long_p)};
const snow_type zoo_T_elem = {SNOW_K_STRUCT, "struct zoo_elem", sizeof(struct zoo_elem), _Alignof(struct zoo_elem), 0,
                              NULL, 0, 4, elem_fields, NULL};

static const snow_type T_double_fam = {SNOW_K_ARRAY, NULL, 0, _Alignof(double), 0, &snow_type_double, 0, 0, NULL, NULL};
static const snow_field fam_fields[] = {FIELD(struct zoo_fam, n, &snow_type_int), FIELD(struct zoo_fam, v, &T_double_fam)};
const snow_type zoo_T_fam = {SNOW_K_STRUCT, "struct zoo_fam", sizeof(struct zoo_fam), _Alignof(struct zoo_fam), 0,
                             NULL, 0, 2, fam_fields, NULL};

ARRAY_T(T_char_256, &snow_type_char, char, 256);
ARRAY_T(T_schar_4, &snow_type_schar, signed char, 4);
ARRAY_T(T_uchar_4, &snow_type_uchar, unsigned char, 4);
ARRAY_T(T_short_3, &snow_type_short, short, 3);
ARRAY_T(T_ushort_3, &snow_type_ushort, unsigned short, 3);
ARRAY_T(T_int_3, &snow_type_int, int, 3);
ARRAY_T(T_uint_3, &snow_type_uint, unsigned int, 3);
ARRAY_T(T_long_4, &snow_type_long, long, 4);
ARRAY_T(T_ulong_3, &snow_type_ulong, unsigned long, 3);
ARRAY_T(T_llong_3, &snow_type_llong, long long, 3);
ARRAY_T(T_ullong_3, &snow_type_ullong, unsigned long long, 3);
ARRAY_T(T_i64_2, &snow_type_int64, int64_t, 2);
ARRAY_T(T_u64_2, &snow_type_uint64, uint64_t, 2);
ARRAY_T(T_size_2, &snow_type_size, size_t, 2);
ARRAY_T(T_color_3, &zoo_T_color, enum zoo_color, 3);
ARRAY_T(T_float_7, &snow_type_float, float, 7);
ARRAY_T(T_double_8, &snow_type_double, double, 8);
ARRAY_T(T_ldouble_7, &snow_type_ldouble, long double, 7);
ARRAY_T(T_int_4, &snow_type_int, int, 4);
static const snow_type T_matrix = {SNOW_K_ARRAY, NULL, sizeof(int[3][4]), _Alignof(int), 0, &T_int_4, 3, 0, NULL, NULL};
ARRAY_T(T_double_2, &snow_type_double, double, 2);
static const snow_type T_double_2_2 = {SNOW_K_ARRAY, NULL, sizeof(double[2][2]), _Alignof(double), 0, &T_double_2, 2,
                                       0, NULL, NULL};
static const snow_type T_cube = {SNOW_K_ARRAY, NULL, sizeof(double[2][2][2]), _Alignof(double), 0, &T_double_2_2, 2, 0,
                                 NULL, NULL};

#define SC(f, T) FIELD(struct zoo_scalars, f, T)
static const snow_field scalars_fields[] = {
    SC(b, &snow_type_bool),     SC(c, &T_char_256),     SC(sc, &T_schar_4),     SC(uc, &T_uchar_4),
    SC(s, &T_short_3),          SC(us, &T_ushort_3),    SC(i, &T_int_3),        SC(ui, &T_uint_3),
    SC(l, &T_long_4),           SC(ul, &T_ulong_3),     SC(ll, &T_llong_3),     SC(ull, &T_ullong_3),
    SC(i64, &T_i64_2),          SC(u64, &T_u64_2),      SC(sz, &T_size_2),      SC(color, &T_color_3),
    SC(f, &T_float_7),          SC(d, &T_double_8),     SC(ld, &T_ldouble_7),   SC(matrix, &T_matrix),
    SC(cube, &T_cube)};
const snow_type zoo_T_scalars = {SNOW_K_STRUCT, "struct zoo_scalars", sizeof(struct zoo_scalars),
                                 _Alignof(struct zoo_scalars), 0, NULL, 0, sizeof scalars_fields / sizeof *scalars_fields,
                                 scalars_fields, NULL};

ARRAY_T(T_pad_2, &zoo_T_pad, struct zoo_pad, 2);
ARRAY_T(T_bits_3, &zoo_T_bits, struct zoo_bits, 3);
ARRAY_T(T_num_3, &zoo_T_num, union zoo_num, 3);
ARRAY_T(T_tagged_3, &zoo_T_tagged, struct zoo_tagged, 3);
ARRAY_T(T_node_p_3, &T_node_p, struct zoo_node *, 3);
ARRAY_T(T_fn_3, &zoo_T_fn, zoo_fn, 3);

static const snow_field stack_fields[] = {
    FIELD(struct zoo_stack, to_heap, &T_node_p), FIELD(struct zoo_stack, counter, &snow_type_long),
    FIELD(struct zoo_stack, to_global_d, &T_double_p), FIELD(struct zoo_stack, local_array, &T_int_4),
    FIELD(struct zoo_stack, into_local, &T_int_p)};
const snow_type zoo_T_stack = {SNOW_K_STRUCT, "struct zoo_stack", sizeof(struct zoo_stack), _Alignof(struct zoo_stack),
                               0, NULL, 0, 5, stack_fields, NULL};

const snow_type *const zoo_types[] = {&zoo_T_node, &zoo_T_dl,     &zoo_T_pad,     &zoo_T_bits,  &zoo_T_num,
                                      &zoo_T_tagged, &zoo_T_elem, &zoo_T_fam,     &zoo_T_scalars, &zoo_T_stack,
                                      &zoo_T_color, &T_tagged_u};
const size_t zoo_ntypes = sizeof zoo_types / sizeof *zoo_types;

/* ------------------------------------------------------------------ functions */

static int zoo_twice(int x) { return 2 * x; }
static int zoo_square(int x) { return x * x; }
static int zoo_negate(int x) { return -x; }

void zoo_register(void) {
  static int done;
  if (done) return;
  done = 1;
  if (snow_register_types(zoo_types, zoo_ntypes) != 0 ||
      snow_register_function((void (*)(void))zoo_twice, "zoo_twice") != 0 ||
      snow_register_function((void (*)(void))zoo_square, "zoo_square") != 0 ||
      snow_register_function((void (*)(void))zoo_negate, "zoo_negate") != 0) {
    fprintf(stderr, "zoo: registration failed: %s\n", snow_msr_last_error());
    exit(2);
  }
}

/* ------------------------------------------------------------------ roots */

struct member {
  const char *name;
  size_t offset;
  const snow_type *type;
};

static const struct member members[] = {
    {"sc", offsetof(struct zoo, sc), &zoo_T_scalars},     {"pad", offsetof(struct zoo, pad), &T_pad_2},
    {"bits", offsetof(struct zoo, bits), &T_bits_3},      {"num", offsetof(struct zoo, num), &T_num_3},
    {"tagged", offsetof(struct zoo, tagged), &T_tagged_3}, {"tree", offsetof(struct zoo, tree), &T_node_p},
    {"dag", offsetof(struct zoo, dag), &T_node_p_3},      {"cycle", offsetof(struct zoo, cycle), &T_node_p},
    {"list", offsetof(struct zoo, list), &T_dl_p},        {"elems", offsetof(struct zoo, elems), &T_elem_p},
    {"elem_w", offsetof(struct zoo, elem_w), &T_long_p},  {"elems_end", offsetof(struct zoo, elems_end), &T_elem_p},
    {"mid", offsetof(struct zoo, mid), &T_double_p},      {"fam", offsetof(struct zoo, fam), &T_fam_p},
    {"str_heap", offsetof(struct zoo, str_heap), &snow_type_string},
    {"str_lit", offsetof(struct zoo, str_lit), &snow_type_string},
    {"str_lit2", offsetof(struct zoo, str_lit2), &snow_type_string},
    {"str_inner", offsetof(struct zoo, str_inner), &snow_type_string},
    {"fn", offsetof(struct zoo, fn), &T_fn_3},            {"anything", offsetof(struct zoo, anything), &snow_type_voidptr},
    {"to_global", offsetof(struct zoo, to_global), &T_long_pp},
    {"pp", offsetof(struct zoo, pp), &T_node_pp},         {"pad_d", offsetof(struct zoo, pad_d), &T_double_p},
    {"null_ptr", offsetof(struct zoo, null_ptr), &T_node_p},
};
#define NMEMBERS (sizeof members / sizeof *members)

int zoo_track(struct zoo *z, const char *prefix) {
  size_t k;
  char name[128];
  for (k = 0; k < NMEMBERS; k++) {
    int rc;
    snprintf(name, sizeof name, "%s.%s", prefix, members[k].name);
    rc = snow_track((char *)z + members[k].offset, members[k].type, name);
    if (rc != 0) return rc;
  }
  return 0;
}

int zoo_untrack(struct zoo *z) {
  size_t k;
  for (k = 0; k < NMEMBERS; k++) snow_untrack((char *)z + members[k].offset);
  return 0;
}

/* ------------------------------------------------------------------ build */

static struct zoo_node *new_node(int key) {
  struct zoo_node *n = snow_malloc(sizeof *n, &zoo_T_node);
  memset(n, 0, sizeof *n);
  n->key = key;
  n->value = (long)key * 1000 - 7;
  n->weight = key / 8.0;
  return n;
}

static struct zoo_node *tree(int lo, int hi, struct zoo_node *parent) {
  int mid;
  struct zoo_node *n;
  if (lo > hi) return NULL;
  mid = (lo + hi) / 2;
  n = new_node(mid);
  n->parent = parent;
  n->left = tree(lo, mid - 1, n);
  n->right = tree(mid + 1, hi, n);
  return n;
}

static double bits_double(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

static float bits_float(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

void zoo_build(struct zoo *z, struct zoo_stack *st, int variant) {
  int k;
  struct zoo_scalars *s = &z->sc;
  struct zoo_node *a, *b, *c, *d;
  struct zoo_dl *prev = NULL;
  double *block;
  long **cell;
  memset(z, 0, sizeof *z);
  zoo_register();

  s->b = 1;
  for (k = 0; k < 256; k++) s->c[k] = (char)(unsigned char)(k + variant);
  s->sc[0] = -128; s->sc[1] = -1; s->sc[2] = 0; s->sc[3] = 127;
  s->uc[0] = 0; s->uc[1] = 1; s->uc[2] = 128; s->uc[3] = 255;
  s->s[0] = -32768; s->s[1] = 12345; s->s[2] = 32767;
  s->us[0] = 0; s->us[1] = 40000; s->us[2] = 65535;
  s->i[0] = INT_MIN; s->i[1] = -7 - variant; s->i[2] = INT_MAX;
  s->ui[0] = 0; s->ui[1] = 3000000000u; s->ui[2] = UINT_MAX;
  /* long: the 32-bit range, which every platform can hold */
  s->l[0] = -2147483647L - 1; s->l[1] = -1; s->l[2] = 2147483647L; s->l[3] = 123456789L + variant;
  s->ul[0] = 0; s->ul[1] = 4294967295UL; s->ul[2] = 77;
  s->ll[0] = LLONG_MIN; s->ll[1] = -1234567890123456789LL; s->ll[2] = LLONG_MAX;
  s->ull[0] = 0; s->ull[1] = ULLONG_MAX; s->ull[2] = 0x0123456789abcdefULL;
  s->i64[0] = INT64_MIN; s->i64[1] = 42;
  s->u64[0] = UINT64_MAX; s->u64[1] = 1;
  s->sz[0] = 0; s->sz[1] = 4000000000u;
  s->color[0] = ZOO_RED; s->color[1] = ZOO_GREEN; s->color[2] = ZOO_BLUE;
  s->f[0] = -0.0f; s->f[1] = FLT_MAX; s->f[2] = FLT_MIN / 4.0f; s->f[3] = bits_float(0x7fc12345u);
  s->f[4] = INFINITY; s->f[5] = -1.5f; s->f[6] = 3.14159f;
  s->d[0] = -0.0; s->d[1] = DBL_MAX; s->d[2] = DBL_MIN / 1024.0; s->d[3] = bits_double(0x7ff8000000012345ULL);
  s->d[4] = -INFINITY; s->d[5] = 1.0 / 3.0; s->d[6] = DBL_EPSILON; s->d[7] = -2.5e-300;
  /* long double: at most 64 significant bits (x87 and binary128 both hold them) */
  s->ld[0] = -0.0L;
  s->ld[1] = ldexpl((long double)0xC000000000000001ULL, 100);
  s->ld[2] = ldexpl(1.0L, -16400); /* subnormal in both formats */
  s->ld[3] = (long double)INFINITY;
  s->ld[4] = -ldexpl((long double)0xFFFFFFFFFFFFFFFFULL, 16000 - 64);
  s->ld[5] = 0.5L + variant;
  s->ld[6] = __builtin_nanl("");
  for (k = 0; k < 12; k++) s->matrix[k / 4][k % 4] = k * 10 - 5;
  for (k = 0; k < 8; k++) s->cube[k / 4][(k / 2) % 2][k % 2] = k * 0.125 - 0.5;

  for (k = 0; k < 2; k++) {
    z->pad[k].c = (char)('A' + k);
    z->pad[k].d = 1.25 * k;
    z->pad[k].s = (short)(-3 * k);
    z->pad[k].l = -100000L * k;
    z->pad[k].tail = 'z';
  }
  for (k = 0; k < 3; k++) {
    z->bits[k].a = (unsigned)(k + 1);
    z->bits[k].b = -16 + 5 * k;
    z->bits[k].c = (unsigned)(k & 1);
    z->bits[k].d = -2048 + 1000 * k;
    z->bits[k].e = 0xFFFFFFFFFFULL - (unsigned)k;
    z->bits[k].f = k == 1;
  }
  z->num[0].i = -42;
  snow_union_set_active(&z->num[0], 0);
  z->num[1].d = 2.75;
  snow_union_set_active(&z->num[1], 1);
  strcpy(z->num[2].s, "hello zoo");
  snow_union_set_active(&z->num[2], 2);

  z->tree = tree(1, 15, NULL);
  z->tagged[0].tag = 0;
  z->tagged[0].u.l = -99999;
  z->tagged[1].tag = 1;
  z->tagged[1].u.d = 6.5;
  z->tagged[2].tag = 2;
  z->tagged[2].u.p = z->tree->left;

  /* a DAG: A -> B, A -> C, B -> D, C -> D */
  a = new_node(100); b = new_node(101); c = new_node(102); d = new_node(103);
  a->left = b; a->right = c; b->left = d; c->left = d; d->parent = a;
  z->dag[0] = a; z->dag[1] = b; z->dag[2] = d;

  /* a cycle */
  a = new_node(200); b = new_node(201); c = new_node(202);
  a->right = b; b->right = c; c->right = a;
  a->parent = c; b->parent = a; c->parent = b;
  z->cycle = a;

  for (k = 0; k < 5; k++) {
    struct zoo_dl *e = snow_malloc(sizeof *e, &zoo_T_dl);
    e->id = (short)(k * 7);
    e->prev = prev;
    e->next = NULL;
    if (prev) prev->next = e; else z->list = e;
    prev = e;
  }

  z->elems = snow_calloc(10, sizeof *z->elems, &zoo_T_elem);
  for (k = 0; k < 10; k++) {
    z->elems[k].x = k;
    z->elems[k].y = k * 0.5;
    z->elems[k].w = k * 11L;
    z->elems[k].pw = &z->elems[(k + 3) % 10].w;
  }
  z->elem_w = &z->elems[7].w;
  z->elems_end = z->elems + 10;

  block = snow_malloc(16 * sizeof *block, &snow_type_double);
  for (k = 0; k < 16; k++) block[k] = k * 1.5;
  z->mid = block + 5;

  z->fam = snow_malloc(sizeof *z->fam + 7 * sizeof(double), &zoo_T_fam);
  z->fam->n = 7;
  for (k = 0; k < 7; k++) z->fam->v[k] = k + 0.25;

  z->str_heap = snow_strdup("heap string in the zoo");
  z->str_lit = "a literal";
  z->str_lit2 = z->str_lit;
  z->str_inner = z->str_heap + 5;
  z->fn[0] = zoo_twice;
  z->fn[1] = zoo_square;
  z->fn[2] = NULL;
  z->anything = &z->pad[1];
  cell = snow_malloc(sizeof *cell, &T_long_p);
  *cell = &z->sc.l[2];
  z->to_global = cell;
  z->pp = &z->tree;
  z->pad_d = &z->pad[0].d;
  z->null_ptr = NULL;

  if (st != NULL) {
    st->to_heap = z->tree->right;
    st->counter = 31337 + variant;
    st->to_global_d = &z->sc.d[5];
    for (k = 0; k < 4; k++) st->local_array[k] = k + 1;
    st->into_local = &st->local_array[2];
  }
}

/* ------------------------------------------------------------------ compare
 * A bijection between expected and actual addresses: every object or field
 * compared is paired, every pointer must agree with the pairs. */

unsigned long zoo_values_compared, zoo_pointers_compared;

#define MAP_SIZE (1u << 15)
static const void *fwd_key[MAP_SIZE], *fwd_val[MAP_SIZE], *rev_key[MAP_SIZE], *rev_val[MAP_SIZE];
static int errors;

static unsigned slot_of(const void *const *keys, const void *k) {
  unsigned h = (unsigned)(((uintptr_t)k >> 3) * 2654435761u) & (MAP_SIZE - 1);
  while (keys[h] != NULL && keys[h] != k) h = (h + 1) & (MAP_SIZE - 1);
  return h;
}

static void fail(const char *path, const char *what) {
  if (errors < 50) fprintf(stderr, "zoo: MISMATCH at %s: %s\n", path, what);
  errors++;
}

/* 1: a new pair, 0: a pair seen before, -1: contradicts an earlier pair. */
static int pair(const void *e, const void *a, const char *path) {
  unsigned f = slot_of(fwd_key, e), r = slot_of(rev_key, a);
  if (fwd_key[f] == NULL && rev_key[r] == NULL) {
    fwd_key[f] = e; fwd_val[f] = a;
    rev_key[r] = a; rev_val[r] = e;
    return 1;
  }
  if (fwd_key[f] == e && fwd_val[f] == a) return 0;
  fail(path, "pointer identity differs (the logical target is another object)");
  return -1;
}

static void bytes(const void *e, const void *a, size_t n, const char *path) {
  zoo_values_compared++;
  pair(e, a, path);
  if (memcmp(e, a, n) != 0) fail(path, "value differs");
}

#define LD_BYTES (LDBL_MANT_DIG == 64 ? 10 : sizeof(long double))
#define P(buf, fmt, ...) snprintf(buf, sizeof buf, fmt, __VA_ARGS__)
#define ARR(field, n, esize)                                                   \
  for (k = 0; k < (n); k++) {                                                  \
    P(path, "sc.%s[%d]", #field, k);                                           \
    bytes(&e->field[k], &a->field[k], esize, path);                            \
  }

static void cmp_scalars(const struct zoo_scalars *e, const struct zoo_scalars *a) {
  char path[128];
  int k;
  bytes(&e->b, &a->b, sizeof e->b, "sc.b");
  ARR(c, 256, 1) ARR(sc, 4, 1) ARR(uc, 4, 1) ARR(s, 3, sizeof(short)) ARR(us, 3, sizeof(short))
  ARR(i, 3, sizeof(int)) ARR(ui, 3, sizeof(int)) ARR(l, 4, sizeof(long)) ARR(ul, 3, sizeof(long))
  ARR(ll, 3, sizeof(long long)) ARR(ull, 3, sizeof(long long)) ARR(i64, 2, 8) ARR(u64, 2, 8)
  ARR(sz, 2, sizeof(size_t)) ARR(color, 3, sizeof(enum zoo_color)) ARR(f, 7, sizeof(float))
  ARR(d, 8, sizeof(double)) ARR(ld, 7, LD_BYTES)
  for (k = 0; k < 12; k++) {
    P(path, "sc.matrix[%d][%d]", k / 4, k % 4);
    bytes(&e->matrix[k / 4][k % 4], &a->matrix[k / 4][k % 4], sizeof(int), path);
  }
  for (k = 0; k < 8; k++) {
    P(path, "sc.cube[%d]", k);
    bytes(&e->cube[k / 4][(k / 2) % 2][k % 2], &a->cube[k / 4][(k / 2) % 2][k % 2], sizeof(double), path);
  }
}

static void cmp_node_ptr(struct zoo_node *const *pe, struct zoo_node *const *pa, const char *path);

static void cmp_node(const struct zoo_node *e, const struct zoo_node *a, const char *path) {
  char sub[256];
  bytes(&e->key, &a->key, sizeof e->key, path);
  P(sub, "%s->value", path); bytes(&e->value, &a->value, sizeof e->value, sub);
  P(sub, "%s->weight", path); bytes(&e->weight, &a->weight, sizeof e->weight, sub);
  P(sub, "%s->left", path); cmp_node_ptr(&e->left, &a->left, sub);
  P(sub, "%s->right", path); cmp_node_ptr(&e->right, &a->right, sub);
  P(sub, "%s->parent", path); cmp_node_ptr(&e->parent, &a->parent, sub);
}

/* Compares two pointers; returns 1 when the pointees are new and should be compared. */
static int ptr(const void *e, const void *a, const char *path) {
  zoo_pointers_compared++;
  if (e == NULL || a == NULL) {
    if (e != a) fail(path, "one pointer is NULL, the other is not");
    return 0;
  }
  return pair(e, a, path) == 1;
}

static void cmp_node_ptr(struct zoo_node *const *pe, struct zoo_node *const *pa, const char *path) {
  if (ptr(*pe, *pa, path)) cmp_node(*pe, *pa, path);
}

static void cmp_string(const char *e, const char *a, const char *path) {
  size_t i, n;
  if (!ptr(e, a, path)) return;
  zoo_values_compared++;
  if (strcmp(e, a) != 0) {
    fail(path, "string differs");
    return;
  }
  for (i = 0, n = strlen(e); i <= n; i++) pair(e + i, a + i, path); /* interior pointers may follow */
}

int zoo_compare(const struct zoo *e, const struct zoo_stack *est, const struct zoo *a, const struct zoo_stack *ast) {
  char path[128];
  int k;
  const struct zoo_dl *le, *la;
  errors = 0;
  zoo_values_compared = zoo_pointers_compared = 0;
  memset(fwd_key, 0, sizeof fwd_key);
  memset(rev_key, 0, sizeof rev_key);

  cmp_scalars(&e->sc, &a->sc);
  for (k = 0; k < 2; k++) {
    P(path, "pad[%d]", k);
    pair(&e->pad[k], &a->pad[k], path);
    bytes(&e->pad[k].c, &a->pad[k].c, 1, path);
    bytes(&e->pad[k].d, &a->pad[k].d, sizeof(double), path);
    bytes(&e->pad[k].s, &a->pad[k].s, sizeof(short), path);
    bytes(&e->pad[k].l, &a->pad[k].l, sizeof(long), path);
    bytes(&e->pad[k].tail, &a->pad[k].tail, 1, path);
  }
  for (k = 0; k < 3; k++) {
    P(path, "bits[%d]", k);
    zoo_values_compared += 6;
    if (e->bits[k].a != a->bits[k].a || e->bits[k].b != a->bits[k].b || e->bits[k].c != a->bits[k].c ||
        e->bits[k].d != a->bits[k].d || e->bits[k].e != a->bits[k].e || e->bits[k].f != a->bits[k].f)
      fail(path, "bit-field differs");
  }
  P(path, "%s", "num[0].i"); bytes(&e->num[0].i, &a->num[0].i, sizeof(int), path);
  P(path, "%s", "num[1].d"); bytes(&e->num[1].d, &a->num[1].d, sizeof(double), path);
  P(path, "%s", "num[2].s"); bytes(e->num[2].s, a->num[2].s, 10, path);
  for (k = 0; k < 3; k++) {
    P(path, "tagged[%d]", k);
    bytes(&e->tagged[k].tag, &a->tagged[k].tag, sizeof(int), path);
  }
  bytes(&e->tagged[0].u.l, &a->tagged[0].u.l, sizeof(long), "tagged[0].u.l");
  bytes(&e->tagged[1].u.d, &a->tagged[1].u.d, sizeof(double), "tagged[1].u.d");

  pair(&e->tree, &a->tree, "&tree"); /* pp points at this root */
  cmp_node_ptr(&e->tree, &a->tree, "tree");
  cmp_node_ptr(&e->tagged[2].u.p, &a->tagged[2].u.p, "tagged[2].u.p");
  for (k = 0; k < 3; k++) {
    P(path, "dag[%d]", k);
    cmp_node_ptr(&e->dag[k], &a->dag[k], path);
  }
  cmp_node_ptr(&e->cycle, &a->cycle, "cycle");

  for (le = e->list, la = a->list, k = 0; le != NULL || la != NULL; le = le->next, la = la->next, k++) {
    P(path, "list[%d]", k);
    if (!ptr(le, la, path)) {
      if (le == NULL || la == NULL) break;
      fail(path, "list node seen twice");
      break;
    }
    bytes(&le->id, &la->id, sizeof(short), path);
    if (ptr(le->prev, la->prev, path)) fail(path, "prev points to an unseen node");
  }

  if (ptr(e->elems, a->elems, "elems")) {
    for (k = 0; k < 10; k++) {
      P(path, "elems[%d]", k);
      bytes(&e->elems[k].x, &a->elems[k].x, sizeof(int), path);
      bytes(&e->elems[k].y, &a->elems[k].y, sizeof(double), path);
      bytes(&e->elems[k].w, &a->elems[k].w, sizeof(long), path);
    }
    pair(e->elems + 10, a->elems + 10, "elems+10");
    for (k = 0; k < 10; k++) {
      P(path, "elems[%d].pw", k);
      if (ptr(e->elems[k].pw, a->elems[k].pw, path)) fail(path, "points outside the element array");
    }
  }
  if (ptr(e->elem_w, a->elem_w, "elem_w")) fail("elem_w", "not an element of elems");
  if (ptr(e->elems_end, a->elems_end, "elems_end")) fail("elems_end", "not one past the end of elems");

  if (ptr(e->mid, a->mid, "mid")) {
    for (k = -5; k < 11; k++) {
      P(path, "mid[%d]", k);
      bytes(&e->mid[k], &a->mid[k], sizeof(double), path);
    }
  }
  if (ptr(e->fam, a->fam, "fam")) {
    bytes(&e->fam->n, &a->fam->n, sizeof(int), "fam->n");
    for (k = 0; k < 7; k++) {
      P(path, "fam->v[%d]", k);
      bytes(&e->fam->v[k], &a->fam->v[k], sizeof(double), path);
    }
  }
  cmp_string(e->str_heap, a->str_heap, "str_heap");
  if (ptr(e->str_inner, a->str_inner, "str_inner")) fail("str_inner", "does not point into str_heap");
  cmp_string(e->str_lit, a->str_lit, "str_lit");
  if (ptr(e->str_lit2, a->str_lit2, "str_lit2")) fail("str_lit2", "is no longer the same string as str_lit");
  for (k = 0; k < 3; k++) {
    P(path, "fn[%d]", k);
    zoo_pointers_compared++;
    if (e->fn[k] != a->fn[k]) fail(path, "function pointer differs");
  }
  if (a->fn[0] != NULL && a->fn[0](21) != 42) fail("fn[0]", "does not compute");
  if (ptr(e->anything, a->anything, "anything")) fail("anything", "does not point to pad[1]");
  if (ptr(e->to_global, a->to_global, "to_global")) {
    if (ptr(*e->to_global, *a->to_global, "*to_global")) fail("*to_global", "does not point to sc.l[2]");
  }
  if (ptr(e->pp, a->pp, "pp")) fail("pp", "does not point to the root tree");
  if (ptr(e->pad_d, a->pad_d, "pad_d")) fail("pad_d", "does not point to pad[0].d");
  ptr(e->null_ptr, a->null_ptr, "null_ptr");

  if (est != NULL && ast != NULL) {
    pair(est, ast, "stack");
    if (ptr(est->to_heap, ast->to_heap, "stack.to_heap")) fail("stack.to_heap", "is not the tree's right child");
    bytes(&est->counter, &ast->counter, sizeof(long), "stack.counter");
    if (ptr(est->to_global_d, ast->to_global_d, "stack.to_global_d")) fail("stack.to_global_d", "not sc.d[5]");
    for (k = 0; k < 4; k++) {
      P(path, "stack.local_array[%d]", k);
      bytes(&est->local_array[k], &ast->local_array[k], sizeof(int), path);
    }
    if (ptr(est->into_local, ast->into_local, "stack.into_local")) fail("stack.into_local", "not local_array[2]");
  }
  return errors;
}
