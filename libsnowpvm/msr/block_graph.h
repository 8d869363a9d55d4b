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

struct Block {
  BlockKind kind;
  uintptr_t key;           // the address pointers to it hold
  const char* data;        // where its bytes are now (differs for saved locals)
  size_t bytes;            // extent: count elements (+ flexible array)
  const snow_type* decl;   // declared type (roots, frames) or element type
  const snow_type* elem;   // element view (arrays flattened); NULL: untyped bytes
  size_t count;
  size_t fam;              // flexible array elements (then count == 1)
  std::string_view name;   // roots, stack blocks, frames: their name
  uint32_t frame = 0, local = 0, depth = 0;
  uint32_t wire_id = 0;    // stream id + 1; 0 = not declared yet
  uint32_t parent = UINT32_MAX;  // the block through which it was reached
  size_t parent_offset = 0;      // ... and where in it the pointer was
};

struct Target {
  uint32_t block;
  size_t offset;  // may equal the block's size: one past the end
};

class BlockGraph {
 public:
  // Lists every registered block of `reg` and indexes them by address.
  explicit BlockGraph(Registry& reg);

  std::vector<Block>& blocks() { return blocks_; }
  Block& block(uint32_t i) { return blocks_[i]; }
  Registry& registry() { return reg_; }
  size_t root_count() const { return roots_; }  // blocks [0, root_count) are roots

  // The block holding address p (or ending at p), or nothing.  `hint` is
  // the pointer's target type: it decides between "one past the end of A"
  // and "start of B" when A and B are adjacent.
  std::optional<Target> find(uintptr_t p, const snow_type* hint) const;

  // Adds the C string at p (not in any block) as a block of chars.
  Target add_string(const char* p);

  // "tree->left[3].value": how block i was reached, for error messages.
  std::string describe(uint32_t i) const;
  std::string describe_at(uint32_t i, size_t offset) const;

 private:
  void add(Block b) { blocks_.push_back(b); }
  Registry& reg_;
  std::vector<Block> blocks_;
  size_t roots_ = 0;
  std::vector<uintptr_t> keys_;    // sorted block addresses
  std::vector<uint32_t> order_;    // block index for each key
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
