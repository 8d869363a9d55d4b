/*
 * msr_narrow -- the narrowing test's state (seed 004: precision loss on
 * narrowing).  A long and an unsigned long, globals, and a heap record
 * holding a long: on i386 long is 32 bits.
 */
#ifndef MSR_NARROW_H
#define MSR_NARROW_H

#include "snowpvm_msr.h"

#ifdef __cplusplus
extern "C" {
#endif

struct narrow_rec {
  int id;
  long value;
};

extern long narrow_wide;
extern unsigned long narrow_uwide;
extern struct narrow_rec *narrow_heap;

/* Registers types and tracks the three roots. */
int narrow_track(void);
/* Allocates the heap record. */
void narrow_alloc(void);

#ifdef __cplusplus
}
#endif

#endif
