/*
 * snowpvm_msr.h -- Memory Space Representation (MSR) runtime API (seed 000).
 *
 * Every piece of memory that may have to move is a *memory block* with a
 * type descriptor, listed in the MSR look-up table (MSRLT):
 *   - globals and tracked roots        snow_track() in snowpvm.h
 *   - address-taken locals of frames   snow_stack_push() / snow_stack_pop()
 *   - saved frames of unwound calls    snow_frame_save() / snow_frame_resume()
 *   - heap blocks                      snow_malloc() & co.
 * At migration the MSRM routines walk the pointer graph depth-first from the
 * live roots and send only reachable blocks, with pointers turned into
 * logical (block, element, field path) references, so the destination
 * rebuilds the graph in its own layout.  doc/state-format.md describes the
 * format, the rules and what generated code must emit.
 *
 * Type descriptors describe C types *as this platform's compiler lays them
 * out*: generated descriptors use sizeof/offsetof/_Alignof, so the same
 * source compiled for i386 or s390x describes itself correctly.  They are
 * plain static const data; nothing has to be called to build them.
 *
 * Not thread-safe: a PVM task runs the MSR runtime from one thread.
 *
 * STATUS: v1 (memory-state issue).  Extensions append fields and
 * functions only, so code generated against v0 still compiles.
 */
#ifndef SNOWPVM_MSR_H
#define SNOWPVM_MSR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Type descriptors
 * ------------------------------------------------------------------- */
typedef enum snow_kind {
  SNOW_K_VOID = 0,
  SNOW_K_BOOL,      /* _Bool                                                 */
  SNOW_K_INT,       /* short/int/long/long long, signed/unsigned char used as
                       numbers, size_t...: size + is_signed; `name` is the C
                       spelling ("long", "int64_t", "size_t") and decides the
                       size on another platform (pre-flight narrowing check) */
  SNOW_K_FLOAT,     /* float, double, long double: `name` tells which        */
  SNOW_K_ARRAY,     /* elem[count]; count 0 = flexible array member          */
  SNOW_K_STRUCT,
  SNOW_K_UNION,
  SNOW_K_POINTER,   /* data pointer to elem (NULL elem = void *)             */
  SNOW_K_FUNCPTR,   /* function pointer, moved by name via the function table */
  SNOW_K_CHAR,      /* plain char: moved as its bit pattern (its signedness
                       differs: unsigned on s390x).  A char * to memory that
                       is no block is taken to be a C string.               */
  SNOW_K_ENUM       /* enum: size + is_signed like SNOW_K_INT                */
} snow_kind;

struct snow_type;

typedef struct snow_field {
  const char *name;               /* field name; matched by name on restore  */
  const struct snow_type *type;
  size_t offset;                  /* offsetof(); ignored for bit-fields      */
  unsigned bit_width;             /* > 0 marks a bit-field                   */
  /* Bit-field layout belongs to the compiler, so generated accessors move
   * the value instead of the runtime guessing bit positions.  get_bits
   * returns the value converted to long long (sign-extended for signed
   * bit-fields) and cast to unsigned long long. */
  unsigned long long (*get_bits)(const void *obj);
  void (*set_bits)(void *obj, unsigned long long value);
} snow_field;

typedef struct snow_type {
  unsigned kind;                  /* snow_kind                               */
  const char *name;               /* C spelling: "long", "struct node".  Unique
                                     per program for STRUCT/UNION/ENUM: it is
                                     how the destination finds its own layout */
  size_t size;                    /* sizeof on this platform (for a struct with
                                     a flexible array member: without it)    */
  size_t align;                   /* _Alignof on this platform               */
  int is_signed;                  /* SNOW_K_INT, SNOW_K_ENUM                 */
  const struct snow_type *elem;   /* ARRAY element, POINTER target           */
  size_t count;                   /* ARRAY length                            */
  size_t nfields;                 /* STRUCT/UNION                            */
  const snow_field *fields;
  /* UNION: index of the active member, or -1 when unknown.  NULL means
   * "ask the runtime record" (snow_union_set_active).  Called with the
   * address of the union object itself. */
  int (*union_active)(const void *obj);
} snow_type;

/* Descriptors of the basic C types, e.g. SNOW_TYPE(ulong). */
#define SNOW_TYPE(x) (&snow_type_##x)
extern const snow_type snow_type_bool, snow_type_char, snow_type_schar,
    snow_type_uchar, snow_type_short, snow_type_ushort, snow_type_int,
    snow_type_uint, snow_type_long, snow_type_ulong, snow_type_llong,
    snow_type_ullong, snow_type_float, snow_type_double, snow_type_ldouble,
    snow_type_voidptr, snow_type_string /* char * to a C string */;
/* Standard typedefs whose width is not the width of their C spelling on
 * every platform: name them, not the type they happen to be here. */
extern const snow_type snow_type_int8, snow_type_uint8, snow_type_int16,
    snow_type_uint16, snow_type_int32, snow_type_uint32, snow_type_int64,
    snow_type_uint64, snow_type_size, snow_type_ssize, snow_type_ptrdiff,
    snow_type_intptr, snow_type_uintptr;

/* Interned descriptors built at run time (they live for the process). */
const snow_type *snow_array_of(const snow_type *elem, size_t count);
const snow_type *snow_pointer_to(const snow_type *target);

/* Make named descriptors (STRUCT, UNION, ENUM) known to this process, so
 * that a restore can find the native layout of a heap block of that type
 * even before the program has allocated one.  Types reachable from tracked
 * roots and stack blocks are found by themselves; generated code registers
 * its whole table once, before snow_start().  Returns 0 or PvmBadParam
 * (a NULL entry, or two different layouts under one name). */
int snow_register_types(const snow_type *const *types, size_t n);

/* ---------------------------------------------------------------------
 * Heap blocks.  `elem` is the type of one element; the block holds
 * size / elem->size elements (a struct with a flexible array member: one
 * element plus (size - elem->size) / fam_elem_size array elements).
 * NULL elem means untyped bytes (moved as unsigned char, cannot hold
 * pointers).  Each block carries a small header (doc/state-format.md);
 * registration is O(1), no allocation besides the block itself.
 * snow_free() of memory that snow_malloc did not return is passed to
 * free() unchanged (it carries no header).
 * ------------------------------------------------------------------- */
void *snow_malloc(size_t size, const snow_type *elem);
void *snow_calloc(size_t n, size_t size, const snow_type *elem);
void *snow_realloc(void *p, size_t size, const snow_type *elem);
void snow_free(void *p);
char *snow_strdup(const char *s);
/* Give a block its element type once the program reveals it. */
int snow_heap_retype(void *p, const snow_type *elem);

/* Unions without a union_active callback: record which member was
 * written last (generated code calls this after each store to a member).
 * Records of memory released by snow_free go with it. */
void snow_union_set_active(const void *u, int member);

/* Function pointers travel by name.  Every function whose address may be
 * stored in migrated data must be registered (same name on every host). */
int snow_register_function(void (*fn)(void), const char *name);

/* ---------------------------------------------------------------------
 * Stack blocks: address-taken locals of functions on a migration path.
 * The snow_stack_block lives in the frame itself; push and pop are a few
 * stores (inline).  Blocks must be popped in LIFO order.  Live stack
 * blocks are roots; on restore each is matched to the block the
 * destination has pushed at the same depth with the same name.
 *
 *     void f(void) {
 *       double x[4]; snow_stack_block sb_x;
 *       snow_stack_push(&sb_x, x, &T_double_4, "f.x");
 *       ...
 *       snow_stack_pop(&sb_x);
 *     }
 * ------------------------------------------------------------------- */
typedef struct snow_stack_block {
  void *addr;
  const snow_type *type;
  const char *name;               /* unique within its function, e.g. "f.x" */
  struct snow_stack_block *below; /* runtime's: the block pushed before     */
} snow_stack_block;

extern snow_stack_block *snow_stack_top;

#if defined(__cplusplus)
#define SNOW_MSR_INLINE static inline
#elif defined(__GNUC__)
#define SNOW_MSR_INLINE static __inline__ /* also in -std=c89 */
#else
#define SNOW_MSR_INLINE static
#endif

SNOW_MSR_INLINE void snow_stack_push(snow_stack_block *b, void *addr,
                                   const snow_type *type, const char *name) {
  b->addr = addr;
  b->type = type;
  b->name = name;
  b->below = snow_stack_top;
  snow_stack_top = b;
}

SNOW_MSR_INLINE void snow_stack_pop(snow_stack_block *b) {
  snow_stack_top = b->below;
}

/* ---------------------------------------------------------------------
 * Frames of pre-compiled code (execution state).  While a migration
 * unwinds the call chain, every function on it, innermost first, saves a
 * *frame record*: a generated struct holding its live variables that are
 * not stack blocks, and its resume point.  Saving also takes over the
 * function's `nstack` topmost stack blocks (its address-taken locals):
 * the runtime copies them and keeps their old addresses, so pointers into
 * the dead frame still translate.  Saved frames are roots.
 *
 * On the destination (and on a source whose migration aborted) the
 * restored frames wait in the runtime.  The re-entered chain resumes
 * them outermost first: each function pushes its stack blocks as on a
 * normal entry, then calls snow_frame_resume(), which copies the record
 * into `record`, the saved locals into the pushed stack blocks, and
 * patches every pointer to those locals.  Pointers held in an outer
 * frame's record into an inner frame's locals are refused at collection.
 *
 * Return 0, or a negative status (SnowBadState: wrong order, function,
 * type or stack block; PvmBadParam: bad arguments).
 * ------------------------------------------------------------------- */
int snow_frame_save(const void *record, const snow_type *type,
                    const char *function, unsigned nstack);
int snow_frames_pending(void);   /* restored frames not yet resumed        */
int snow_frame_resume(void *record, const snow_type *type,
                      const char *function, unsigned nstack);

/* ---------------------------------------------------------------------
 * Checkpoint and restart ("migration to disk", seed 002).
 * snow_checkpoint() (snowpvm.h) writes the state reachable from the
 * roots.  A process started with SNOW_RESTART_FILE=path (what
 * `snow restart FILE -- PROGRAM ARGS` does) restores it when it calls
 * snow_restart_if_requested() -- snow_start() calls it -- after it has
 * registered its roots and stack blocks.  Returns 1 when state was
 * restored, 0 when there was nothing to restore, or a negative status
 * (SnowBadState, SnowNotMigratable) with the reason logged and in
 * snow_msr_last_error().
 * ------------------------------------------------------------------- */
int snow_restart_if_requested(void);
const char *snow_msr_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* SNOWPVM_MSR_H */
