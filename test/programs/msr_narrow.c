#include "msr_narrow.h"

#include <stddef.h>

#include "snowpvm.h"

long narrow_wide;
unsigned long narrow_uwide;
struct narrow_rec *narrow_heap;

static const snow_field rec_fields[] = {
    {"id", &snow_type_int, offsetof(struct narrow_rec, id), 0, NULL, NULL},
    {"value", &snow_type_long, offsetof(struct narrow_rec, value), 0, NULL, NULL}};
static const snow_type T_rec = {SNOW_K_STRUCT, "struct narrow_rec", sizeof(struct narrow_rec),
                                _Alignof(struct narrow_rec), 0, NULL, 0, 2, rec_fields, NULL};
static const snow_type T_rec_p = {SNOW_K_POINTER, "struct narrow_rec *", sizeof(struct narrow_rec *),
                                  _Alignof(struct narrow_rec *), 0, &T_rec, 0, 0, NULL, NULL};

int narrow_track(void) {
  static const snow_type *const types[] = {&T_rec};
  int rc = snow_register_types(types, 1);
  if (rc == 0) rc = snow_track(&narrow_wide, SNOW_TYPE(long), "narrow_wide");
  if (rc == 0) rc = snow_track(&narrow_uwide, SNOW_TYPE(ulong), "narrow_uwide");
  if (rc == 0) rc = snow_track(&narrow_heap, &T_rec_p, "narrow_heap");
  return rc;
}

void narrow_alloc(void) {
  narrow_heap = snow_malloc(sizeof *narrow_heap, &T_rec);
  narrow_heap->id = 7;
  narrow_heap->value = 0;
}
