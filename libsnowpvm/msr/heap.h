// Heap blocks of the MSRLT (seed 000): every snow_malloc'd block carries a
// small header linking it into an intrusive list, so registering and
// unregistering a block is O(1) with no allocation besides the block.
// The address -> block index is only built when a collection needs it
// (address_index.h).
#pragma once

#include "snowpvm_msr.h"

#include <cstddef>
#include <cstdint>

namespace snow::msr {

struct HeapHeader {
  HeapHeader* prev;
  HeapHeader* next;
  const snow_type* elem;  // NULL: untyped bytes
  size_t size;            // payload bytes
  const void* site;       // code that allocated it (return address), NULL: unknown
};

// The header is followed, right before the payload, by a check word
// (header address ^ kHeapMagic).  It sits where malloc keeps its own chunk
// header for any pointer malloc returned, so snow_free can test a foreign
// pointer without reading unmapped memory.  Payload alignment is that of
// malloc (max_align_t).
inline constexpr size_t kHeapHeaderSize =
    (sizeof(HeapHeader) + sizeof(uintptr_t) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);
inline constexpr uintptr_t kHeapMagic = static_cast<uintptr_t>(0x5e0a11c5b10c0000ULL & UINTPTR_MAX);

inline void* payload_of(HeapHeader* h) { return reinterpret_cast<char*>(h) + kHeapHeaderSize; }
inline HeapHeader* header_of(void* p) {
  return reinterpret_cast<HeapHeader*>(static_cast<char*>(p) - kHeapHeaderSize);
}
inline uintptr_t* check_word(void* payload) { return static_cast<uintptr_t*>(payload) - 1; }
// True when p was returned by HeapList::allocate (and not released).
inline bool is_heap_payload(void* p) {
  return *check_word(p) == (reinterpret_cast<uintptr_t>(header_of(p)) ^ kHeapMagic);
}

class Registry;

// The heap blocks of one registry: a circular list around a sentinel.
class HeapList {
 public:
  HeapList();
  ~HeapList();  // frees the blocks still registered, unless kept
  // The process's list keeps its blocks at exit: a late static destructor
  // may still snow_free one.
  void keep_blocks_at_exit() { release_on_destroy_ = false; }
  HeapList(const HeapList&) = delete;
  HeapList& operator=(const HeapList&) = delete;

  // `site`: the allocating code's address, for error messages.
  void* allocate(size_t size, const snow_type* elem, bool zero, const void* site = nullptr);
  void* reallocate(void* p, size_t size, const snow_type* elem, const void* site = nullptr);
  // p must be a payload of this list (or NULL).
  void release(void* p);
  void release_all();

  size_t blocks() const { return blocks_; }
  size_t bytes() const { return bytes_; }

  // Iteration, oldest block first.
  HeapHeader* first() const { return sentinel_.next; }
  const HeapHeader* end() const { return &sentinel_; }

 private:
  void link(HeapHeader* h);
  static void unlink(HeapHeader* h);

  HeapHeader sentinel_{};
  size_t blocks_ = 0;
  size_t bytes_ = 0;
  bool release_on_destroy_ = true;
};

}  // namespace snow::msr
