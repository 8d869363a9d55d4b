/*
 * snowpvm_msr.h -- Memory Space Representation (MSR) runtime API (seed 000).
 *
 * Every piece of memory that may have to move is a *memory block* with a
 * type descriptor: globals and tracked roots (snow_track in snowpvm.h), the
 * live variables of active frames (registered by pre-compiled code), and
 * heap blocks (snow_malloc & co.).  At migration the runtime walks the
 * pointer graph depth-first from the live roots and sends only reachable
 * blocks, with pointers turned into logical (block, element/field path)
 * references, so the destination rebuilds the graph in its own layout.
 *
 * Type descriptors describe C types *as this platform's compiler lays them
 * out*: generated descriptors use sizeof/offsetof, so the same source
 * compiled for i386 or s390x describes itself correctly.
 *
 * STATUS: interface draft v0 (foundation).  The memory-state work owns and
 * may extend this header; extensions must stay source compatible with the
 * pre-compiler's generated code.
 */
#ifndef SNOWPVM_MSR_H
#define SNOWPVM_MSR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum snow_kind {
  SNOW_K_VOID = 0,
  SNOW_K_BOOL,      /* _Bool                                                 */
  SNOW_K_INT,       /* char/short/int/long/long long/enum: size + is_signed  */
  SNOW_K_FLOAT,     /* float, double, long double: size tells which          */
  SNOW_K_ARRAY,     /* elem[count]; count 0 = flexible array member          */
  SNOW_K_STRUCT,
  SNOW_K_UNION,
  SNOW_K_POINTER,   /* data pointer to elem (NULL elem = void *)             */
  SNOW_K_FUNCPTR    /* function pointer, moved by name via the function table */
} snow_kind;

struct snow_type;

typedef struct snow_field {
  const char *name;
  const struct snow_type *type;
  size_t offset;                  /* offsetof(); ignored for bit-fields      */
  unsigned bit_width;             /* > 0 marks a bit-field                   */
  /* Bit-field layout belongs to the compiler, so generated accessors move
   * the value instead of the runtime guessing bit positions. */
  unsigned long long (*get_bits)(const void *obj);
  void (*set_bits)(void *obj, unsigned long long value);
} snow_field;

typedef struct snow_type {
  unsigned kind;                  /* snow_kind                               */
  const char *name;               /* C spelling: "long", "struct node"       */
  size_t size;                    /* sizeof on this platform                 */
  size_t align;                   /* _Alignof on this platform               */
  int is_signed;                  /* SNOW_K_INT                              */
  const struct snow_type *elem;   /* ARRAY element, POINTER target           */
  size_t count;                   /* ARRAY length                            */
  size_t nfields;                 /* STRUCT/UNION                            */
  const snow_field *fields;
  /* UNION: index of the active member, or -1 when unknown.  NULL means
   * "ask the runtime record" (snow_union_set_active). */
  int (*union_active)(const void *obj);
} snow_type;

/* Descriptors of the basic C types, e.g. SNOW_TYPE(ulong). */
#define SNOW_TYPE(x) (&snow_type_##x)
extern const snow_type snow_type_bool, snow_type_char, snow_type_schar,
    snow_type_uchar, snow_type_short, snow_type_ushort, snow_type_int,
    snow_type_uint, snow_type_long, snow_type_ulong, snow_type_llong,
    snow_type_ullong, snow_type_float, snow_type_double, snow_type_ldouble,
    snow_type_voidptr, snow_type_string /* char * to a C string */;

/* Interned descriptors built at run time (they live for the process). */
const snow_type *snow_array_of(const snow_type *elem, size_t count);
const snow_type *snow_pointer_to(const snow_type *target);

/* Heap blocks.  `elem` is the type of one element; the block holds
 * size / elem->size elements.  NULL elem means untyped bytes. */
void *snow_malloc(size_t size, const snow_type *elem);
void *snow_calloc(size_t n, size_t size, const snow_type *elem);
void *snow_realloc(void *p, size_t size, const snow_type *elem);
void snow_free(void *p);
char *snow_strdup(const char *s);
/* Give a block its element type once the program reveals it. */
int snow_heap_retype(void *p, const snow_type *elem);

/* Unions: record which member was written last. */
void snow_union_set_active(const void *u, int member);

/* Function pointers travel by name. */
int snow_register_function(void (*fn)(void), const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SNOWPVM_MSR_H */
