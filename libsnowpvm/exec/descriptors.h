// Small helpers to write snow_type / snow_field constants in C++ (where
// partial designated initializers draw -Wmissing-field-initializers).
#pragma once

#include "snowpvm_msr.h"

namespace snow::exec {

constexpr snow_field field(const char* name, const snow_type* type, size_t offset) {
  snow_field f{};
  f.name = name;
  f.type = type;
  f.offset = offset;
  return f;
}

constexpr snow_type record(const char* name, size_t size, size_t align, size_t nfields, const snow_field* fields) {
  snow_type t{};
  t.kind = SNOW_K_STRUCT;
  t.name = name;
  t.size = size;
  t.align = align;
  t.nfields = nfields;
  t.fields = fields;
  return t;
}

constexpr snow_type pointer(const char* name, const snow_type* target) {
  snow_type t{};
  t.kind = SNOW_K_POINTER;
  t.name = name;
  t.size = sizeof(void*);
  t.align = alignof(void*);
  t.elem = target;
  return t;
}

// A pointer to a program function (it travels by name, msr/function_table).
constexpr snow_type funcptr(const char* name) {
  snow_type t{};
  t.kind = SNOW_K_FUNCPTR;
  t.name = name;
  t.size = sizeof(void (*)());
  t.align = alignof(void (*)());
  return t;
}

}  // namespace snow::exec
