// Pointers become logical on the way out (seed 000: an MSR graph edge):
// (block, element index, field path, byte remainder).  The path names
// fields by index in the source's description and array elements by
// index, so it survives any change of layout; one past the end of an
// array is index == count.  A remainder is only left for a pointer into
// the middle of a scalar (or into padding), which no other layout can
// express: such pointers move between identical layouts only.
#pragma once

#include "libsnowpvm/msr/block_graph.h"

#include <array>
#include <cstdint>

namespace snow::msr {

inline constexpr size_t kPathMax = 64;

struct LogicalRef {
  uint64_t elem = 0;
  uint32_t depth = 0;
  std::array<uint64_t, kPathMax> comps{};
  uint64_t rem = 0;
};

// Active member of the union object whose bytes are at `data` and whose
// address (as the program knew it) is `key`, or -1 when unknown.
int active_member(const Registry& reg, const snow_type* u, const void* data, uintptr_t key);

// The logical form of a pointer to `offset` bytes into block b.  `hint` is
// the pointer's declared target type (NULL for void *).
LogicalRef logical_ref(const Registry& reg, const Block& b, size_t offset, const snow_type* hint);

}  // namespace snow::msr
