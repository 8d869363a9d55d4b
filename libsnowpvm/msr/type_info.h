// What the MSR runtime needs to know about a native type descriptor
// (snowpvm_msr.h): printable names, the element view of a block, where its
// pointers are, and what a C type's width is on another platform.
#pragma once

#include "libsnowpvm/util/platform.h"
#include "snowpvm_msr.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace snow::msr {

inline snow_kind kind_of(const snow_type* t) { return static_cast<snow_kind>(t->kind); }

// BOOL, INT, ENUM, CHAR, FLOAT, POINTER, FUNCPTR.
bool is_scalar(const snow_type* t);
bool is_integer_like(const snow_type* t);  // BOOL, INT, ENUM, CHAR

// Printable: "struct node", "double[4]", "char *".
std::string type_name(const snow_type* t);

// A block is `count` consecutive elements of a non-array type: arrays
// (also multi-dimensional ones) are flattened, so element indexes of a
// pointer path are layout independent.
struct ElementView {
  const snow_type* elem;
  size_t count;
};
ElementView element_view(const snow_type* t);

// The flexible array member of a struct (last field, ARRAY with count 0).
const snow_field* flexible_member(const snow_type* t);

// Same C type: the same descriptor, or equal kind/size/name (and, for
// arrays and pointers, the same element).  Used to read pointer hints.
bool same_type(const snow_type* a, const snow_type* b);

// Where the pointers of one element are.
struct PointerSlot {
  size_t offset;
  const snow_type* type;  // the POINTER or FUNCPTR descriptor
};

struct TypeFacts {
  bool has_pointers = false;  // data or function pointers, anywhere
  bool has_unions = false;
  bool has_bitfields = false;
  bool has_fam = false;
  bool has_long_double = false;
  // Pointer slots do not depend on a union's active member, so `slots`
  // lists all of them in enumeration order (depth first, declaration
  // order).  Otherwise the generic walker is used.
  bool static_slots = false;
  std::vector<PointerSlot> slots;
};

// Computed once per descriptor (and validated then); lives for the process.
// Throws StateError for a malformed descriptor.
const TypeFacts& facts(const snow_type* t);

// Check a descriptor's shape: sizes, field bounds, no NULL members, sane
// depth.  Throws StateError naming it.
void validate_type(const snow_type* t);

// Width of an integer-like type on platform `p`, from its C spelling
// ("long", "unsigned long", "size_t", "int64_t", enums as int).  0 when
// the name does not say (then the width is taken to be the same there).
size_t int_size_on(const Platform& p, const snow_type* t);

// Mantissa digits of a FLOAT type here, or on platform `p` (24, 53, 64 for
// x87 extended, 113 for binary128).
int float_digits_native(const snow_type* t);
int float_digits_on(const Platform& p, const snow_type* t);

// Named types (STRUCT, UNION, ENUM) known in this process, by name: how a
// restore finds the native layout of a type the source describes.
class TypeCatalog {
 public:
  static TypeCatalog& instance();
  // Adds t and every named type reachable from it (fields, elements,
  // pointer targets).  Throws StateError when a different layout is
  // already known under the same name.
  void add(const snow_type* t);
  const snow_type* find(std::string_view name) const;
  void clear();  // tests

 private:
  struct Impl;
  Impl& impl() const;
};

}  // namespace snow::msr
