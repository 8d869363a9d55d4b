// Descriptors of the basic C types, as this platform's compiler lays them
// out, and interned descriptors built at run time (snowpvm_msr.h).
#include "snowpvm_msr.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#define SNOW_SCALAR(var, kind, cname, ctype, sgn)                                             \
  extern "C" const snow_type var = {kind, cname, sizeof(ctype), alignof(ctype), sgn, nullptr, \
                                    0,    0,     nullptr,       nullptr}

SNOW_SCALAR(snow_type_bool, SNOW_K_BOOL, "_Bool", bool, 0);
SNOW_SCALAR(snow_type_char, SNOW_K_CHAR, "char", char, (static_cast<char>(-1) < 0));
SNOW_SCALAR(snow_type_schar, SNOW_K_INT, "signed char", signed char, 1);
SNOW_SCALAR(snow_type_uchar, SNOW_K_INT, "unsigned char", unsigned char, 0);
SNOW_SCALAR(snow_type_short, SNOW_K_INT, "short", short, 1);
SNOW_SCALAR(snow_type_ushort, SNOW_K_INT, "unsigned short", unsigned short, 0);
SNOW_SCALAR(snow_type_int, SNOW_K_INT, "int", int, 1);
SNOW_SCALAR(snow_type_uint, SNOW_K_INT, "unsigned int", unsigned int, 0);
SNOW_SCALAR(snow_type_long, SNOW_K_INT, "long", long, 1);
SNOW_SCALAR(snow_type_ulong, SNOW_K_INT, "unsigned long", unsigned long, 0);
SNOW_SCALAR(snow_type_llong, SNOW_K_INT, "long long", long long, 1);
SNOW_SCALAR(snow_type_ullong, SNOW_K_INT, "unsigned long long", unsigned long long, 0);
SNOW_SCALAR(snow_type_float, SNOW_K_FLOAT, "float", float, 1);
SNOW_SCALAR(snow_type_double, SNOW_K_FLOAT, "double", double, 1);
SNOW_SCALAR(snow_type_ldouble, SNOW_K_FLOAT, "long double", long double, 1);

// Typedefs are named by their typedef name: "int64_t" is "long" here but
// "long long" on i386, and the pre-flight narrowing check goes by name.
SNOW_SCALAR(snow_type_int8, SNOW_K_INT, "int8_t", int8_t, 1);
SNOW_SCALAR(snow_type_uint8, SNOW_K_INT, "uint8_t", uint8_t, 0);
SNOW_SCALAR(snow_type_int16, SNOW_K_INT, "int16_t", int16_t, 1);
SNOW_SCALAR(snow_type_uint16, SNOW_K_INT, "uint16_t", uint16_t, 0);
SNOW_SCALAR(snow_type_int32, SNOW_K_INT, "int32_t", int32_t, 1);
SNOW_SCALAR(snow_type_uint32, SNOW_K_INT, "uint32_t", uint32_t, 0);
SNOW_SCALAR(snow_type_int64, SNOW_K_INT, "int64_t", int64_t, 1);
SNOW_SCALAR(snow_type_uint64, SNOW_K_INT, "uint64_t", uint64_t, 0);
SNOW_SCALAR(snow_type_size, SNOW_K_INT, "size_t", size_t, 0);
SNOW_SCALAR(snow_type_ssize, SNOW_K_INT, "ssize_t", ssize_t, 1);
SNOW_SCALAR(snow_type_ptrdiff, SNOW_K_INT, "ptrdiff_t", ptrdiff_t, 1);
SNOW_SCALAR(snow_type_intptr, SNOW_K_INT, "intptr_t", intptr_t, 1);
SNOW_SCALAR(snow_type_uintptr, SNOW_K_INT, "uintptr_t", uintptr_t, 0);

extern "C" const snow_type snow_type_voidptr = {
    SNOW_K_POINTER, "void *", sizeof(void*), alignof(void*), 0, nullptr, 0, 0, nullptr, nullptr};
extern "C" const snow_type snow_type_string = {
    SNOW_K_POINTER, "char *", sizeof(char*), alignof(char*), 0, &snow_type_char, 0, 0,
    nullptr,        nullptr};

namespace {

struct Interned {
  std::mutex mu;
  std::map<std::pair<const snow_type*, size_t>, std::unique_ptr<snow_type>> arrays;
  std::map<const snow_type*, std::unique_ptr<snow_type>> pointers;
  std::map<const snow_type*, std::string> names;
};

Interned& interned() {
  static Interned t;
  return t;
}

}  // namespace

extern "C" const snow_type* snow_array_of(const snow_type* elem, size_t count) {
  if (elem == nullptr) return nullptr;
  auto& t = interned();
  std::lock_guard lock(t.mu);
  auto& slot = t.arrays[{elem, count}];
  if (!slot) {
    auto name = std::string(elem->name ? elem->name : "?") + "[" + std::to_string(count) + "]";
    slot = std::make_unique<snow_type>(snow_type{SNOW_K_ARRAY, nullptr, elem->size * count,
                                                 elem->align, 0, elem, count, 0, nullptr, nullptr});
    slot->name = (t.names[slot.get()] = name).c_str();
  }
  return slot.get();
}

extern "C" const snow_type* snow_pointer_to(const snow_type* target) {
  auto& t = interned();
  std::lock_guard lock(t.mu);
  auto& slot = t.pointers[target];
  if (!slot) {
    auto name = std::string(target && target->name ? target->name : "void") + " *";
    slot = std::make_unique<snow_type>(snow_type{
        SNOW_K_POINTER, nullptr, sizeof(void*), alignof(void*), 0, target, 0, 0, nullptr, nullptr});
    slot->name = (t.names[slot.get()] = name).c_str();
  }
  return slot.get();
}
