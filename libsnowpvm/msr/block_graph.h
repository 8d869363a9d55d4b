// The MSR graph of seed 000 as the source sees it at collection time: one
// vertex per memory block (roots, frames, heap blocks, and C strings found
// on the way), with an address index built once per collection so that
// registering a block never pays for it.
#pragma once

#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/type_info.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace snow::msr {

enum class BlockKind : uint8_t { Global, Stack, FrameRecord, FrameLocal, Heap, String };

// A block as the walkers see it (a value, assembled on demand).
struct Block {
  uintptr_t key;          // the address pointers to it hold
  const char* data;       // where its bytes are now (differs for saved locals)
  size_t bytes;           // extent: count elements (+ flexible array)
  const snow_type* elem;  // element view (arrays flattened)
  size_t count;
  size_t fam;            // flexible array elements (then count == 1)
  size_t parent_offset;  // where in the parent the pointer was
  uint32_t parent;       // the block through which it was reached
  uint32_t wire_id;      // stream id + 1; 0 = not declared yet
  BlockKind kind;
};

// What only roots have.
struct RootInfo {
  const snow_type* decl;  // declared type
  std::string_view name;  // variable, stack block, or function of a frame
  BlockKind kind;
  const char* data;
  size_t bytes;
  uint32_t frame = 0, local = 0, depth = 0;
};

struct Target {
  uint32_t block;
  size_t offset;  // may equal the block's size: one past the end
};

class BlockGraph {
 public:
  // Lists every registered block of `reg` and indexes them by address.
  explicit BlockGraph(Registry& reg);

  size_t size() const { return slots_.size(); }
  Block block(uint32_t i) const;
  uint32_t wire_id(uint32_t i) const { return slots_[i].wire_id; }
  // Marks block i as declared (stream id + 1), reached from `parent`.
  void declare(uint32_t i, uint32_t wire_id, uint32_t parent = UINT32_MAX, size_t offset = 0) {
    slots_[i].wire_id = wire_id;
    slots_[i].parent = parent;
    slots_[i].parent_offset = offset;
  }
  Registry& registry() { return reg_; }
  size_t root_count() const { return root_info_.size(); }  // blocks [0, root_count) are roots
  const RootInfo& root(uint32_t i) const { return root_info_[i]; }

  // The block holding address p (or ending at p), or nothing.  `hint` is
  // the pointer's target type: it decides between "one past the end of A"
  // and "start of B" when A and B are adjacent.
  std::optional<Target> find(uintptr_t p, const snow_type* hint) const;

  // Adds the C string at p (not in any block) as a block of chars.
  Target add_string(const char* p);

  // "(*(*tree).left).value": how block i was reached, for error messages.
  std::string describe(uint32_t i) const;
  std::string describe_at(uint32_t i, size_t offset) const;

 private:
  // Kept small (40 bytes): a collection holds one per heap block, and
  // fresh memory is expensive to fault in.
  struct Slot {
    uintptr_t key;
    const snow_type* elem;
    size_t count;
    size_t parent_offset;
    uint32_t parent;
    uint32_t wire_id;
  };
  struct Fam {
    size_t fam, bytes;
  };
  size_t bytes_of(uint32_t i) const;
  void build_index();
  // The index of the last key <= p, or SIZE_MAX.
  size_t floor_index(uintptr_t p) const;

  Registry& reg_;
  std::vector<Slot> slots_;
  std::vector<RootInfo> root_info_;
  size_t heap_end_ = 0;           // [root_count, heap_end): heap; then strings
  std::map<uint32_t, Fam> fams_;  // heap blocks with a flexible array
  std::vector<uintptr_t> keys_;   // sorted block addresses
  std::vector<uint32_t> order_;   // block index for each key
  // Buckets over [lo_, ...): bucket b starts at the first key with
  // (key - lo_) >> shift_ >= b.  Heap addresses are dense, so a lookup
  // usually looks at one or two keys instead of twenty.
  std::vector<uint32_t> buckets_;
  uintptr_t lo_ = 0;
  unsigned shift_ = 0;
  std::map<uintptr_t, uint32_t> strings_;  // C strings met during the walk
};

// A block's element view of a heap block of `size` bytes of elem type `t`.
struct HeapView {
  const snow_type* elem;
  size_t count, fam, bytes;
};
HeapView heap_view(const snow_type* t, size_t size);

// The text of a field path inside one element: ".left", "[3].value".
std::string path_label(const snow_type* elem, size_t elem_count, size_t offset);

}  // namespace snow::msr
