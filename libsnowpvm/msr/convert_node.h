// Receiver makes it right (seed 004, CGT-RMR): for every pair (type as
// the source laid it out, type as this platform lays it out) a conversion
// node is built once.  Where the two layouts agree byte for byte the node
// is "identical" and whole elements are copied; otherwise the walk goes
// scalar by scalar, skipping padding, swapping bytes, widening or
// narrowing integers (refusing values that do not fit), converting long
// double formats exactly or not at all.  Fields are matched by name.
#pragma once

#include "libsnowpvm/msr/float_format.h"
#include "libsnowpvm/msr/wire.h"
#include "snowpvm_msr.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace snow::msr {

struct Node {
  enum class Kind : uint8_t { Int, Char, Bool, Float, Pointer, FuncPtr, Array, Struct, Union };
  struct Member {
    const Node* node;
    uint64_t src_off;
    size_t dst_off;
    unsigned bit_width;        // > 0: a bit-field, moved through its accessors
    bool src_signed;           // bit-field: how the source's value reads
    const snow_field* nfield;  // the native field
    size_t native_index;
    std::string name;
    bool fam;
  };

  Kind kind;
  uint32_t wire;
  const snow_type* native;
  uint64_t src_size;
  size_t dst_size;
  bool identical = false;  // copy the bytes (pointer slots are patched after)
  bool src_signed = false, dst_signed = false;
  FloatFormat ffrom = FloatFormat::Binary64, fto = FloatFormat::Binary64;
  const Node* elem = nullptr;   // Array
  uint64_t count = 0;           // Array; 0 = flexible array member
  std::vector<Member> members;  // Struct, Union: in the source's order
  // What the source's walk visits (decides which side values it sent).
  bool has_pointers = false, has_unions = false, has_bitfields = false, has_fam = false;
  // Pointer slots (native offset, is function pointer) in the source's
  // order, when they do not depend on union members or flexible arrays.
  bool static_ptrs = false;
  std::vector<std::pair<size_t, bool>> ptr_slots;
};

// Builds and keeps the nodes of one stream.  Throws StateError when the
// source's type does not correspond to the native one, naming both.
class NodeBuilder {
 public:
  NodeBuilder(const std::vector<WireType>& types, bool same_byte_order, bool same_platform)
      : types_(types), same_order_(same_byte_order), same_platform_(same_platform) {}

  const Node* node(uint32_t wire, const snow_type* native);
  // The native descriptor for a source type (heap blocks, frames).
  const snow_type* native_for(uint32_t wire);

 private:
  std::unique_ptr<Node> build(uint32_t wire, const snow_type* native);
  [[noreturn]] void mismatch(uint32_t wire, const snow_type* native, const std::string& why) const;

  const std::vector<WireType>& types_;
  bool same_order_, same_platform_;
  std::map<std::pair<uint32_t, const snow_type*>, std::unique_ptr<Node>> nodes_;
  std::map<uint32_t, const snow_type*> natives_;
};

// A scalar-level description of where a conversion failed, built only
// when it fails: "zoo.big[3].value".
struct Where {
  const Where* up;
  const char* field;  // or nullptr: an index (at the top: a heap block's id)
  uint64_t index;
  const snow_type* type = nullptr;  // at the top: the block's element type
  std::string text() const;
};

}  // namespace snow::msr
