#include "libsnowpvm/msr/freed_blocks.h"

#include <array>

namespace snow::msr {

namespace {

// How many freed blocks are remembered (16 bytes each: 1 MiB): enough for
// a freed tree of that many nodes still pointed to while it is released.
constexpr size_t kFreedRemembered = 65536;

struct Range {
  uintptr_t begin = 0;
  size_t size = 0;
};

std::array<Range, kFreedRemembered> g_freed;
size_t g_next = 0;

}  // namespace

void note_freed(const void* payload, size_t size) {
  g_freed[g_next] = Range{reinterpret_cast<uintptr_t>(payload), size};
  g_next = (g_next + 1) % kFreedRemembered;
}

bool was_freed(uintptr_t p) {
  for (const Range& r : g_freed)
    if (r.begin != 0 && p >= r.begin && p - r.begin <= r.size) return true;
  return false;
}

}  // namespace snow::msr
