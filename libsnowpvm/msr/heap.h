// Heap blocks of the MSRLT (seed 000).  Blocks up to kSlabMaxBlock bytes
// live in size-class slabs with their records beside them (heap_slabs.h):
// no per-block header, no list to link.  Larger blocks are malloc'd with a
// small header linking them into an intrusive list.  Registering and
// unregistering a block is O(1) either way; the address -> block index is
// only built when a collection needs it (block_graph.h).
#pragma once

#include "libsnowpvm/msr/heap_slabs.h"
#include "snowpvm_msr.h"

#include <cstddef>
#include <cstdint>

namespace snow::msr {

// The header of a large block.
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
inline bool is_large_payload(const void* p) {
  void* q = const_cast<void*>(p);
  return *check_word(q) == (reinterpret_cast<uintptr_t>(header_of(q)) ^ kHeapMagic);
}

// A live heap block, as the collector sees it.
struct HeapBlock {
  void* payload;
  const snow_type* elem;  // NULL: untyped bytes
  size_t size;            // payload bytes
  const void* site;       // allocating code, NULL: unknown
};

// What a pointer handed to free/realloc is.
struct BlockRef {
  enum Kind : uint8_t {
    Foreign,  // not the runtime's: malloc's or a library's memory
    Small,    // a live slab block
    Large,    // a live large block
    Stale,    // inside a slab but no live block's start: freed, or interior
  } kind = Foreign;
  Slab* slab = nullptr;  // Small
  BlockMeta* meta = nullptr;
  HeapHeader* header = nullptr;  // Large

  bool live() const { return kind == Small || kind == Large; }
  size_t size() const { return kind == Small ? meta->size : header->size; }
  const snow_type* elem() const { return kind == Small ? meta->elem : header->elem; }
  const void* site() const { return kind == Small ? meta->site : header->site; }
};

// Never reads memory that may be unmapped for a pointer malloc returned.
inline BlockRef find_block(const void* p) {
  BlockRef r;
  auto a = reinterpret_cast<uintptr_t>(p);
  if (Slab* s = slab_table().find(a & ~(uintptr_t{kSlabBytes} - 1))) {
    r.meta = slab_slot(s, p);
    r.kind = r.meta != nullptr ? BlockRef::Small : BlockRef::Stale;
    r.slab = s;
  } else if (is_large_payload(p)) {
    r.kind = BlockRef::Large;
    r.header = header_of(const_cast<void*>(p));
  }
  return r;
}

// True when p was returned by some HeapList's allocate (and not released).
inline bool is_heap_payload(const void* p) { return find_block(p).live(); }

class Registry;

// The heap blocks of one registry: slabs for small blocks, a circular list
// around a sentinel for large ones.
class HeapList {
 public:
  HeapList();
  ~HeapList();  // frees the blocks still registered, unless kept
  // The process's list keeps its blocks at exit: a late static destructor
  // may still snow_free one.
  void keep_blocks_at_exit() {
    release_on_destroy_ = false;
    slabs_.keep_at_exit();
  }
  HeapList(const HeapList&) = delete;
  HeapList& operator=(const HeapList&) = delete;

  // `site`: the allocating code's address, for error messages.
  void* allocate(size_t size, const snow_type* elem, bool zero, const void* site = nullptr);
  void* reallocate(void* p, size_t size, const snow_type* elem, const void* site = nullptr);
  // p must be a payload of this list (or NULL).
  void release(void* p);
  void release(void* p, const BlockRef& r);  // r: find_block(p), live
  // Its type changes (snow_heap_retype); r live.
  static void retype(const BlockRef& r, const snow_type* elem);
  void release_all();

  size_t blocks() const { return blocks_ + slabs_.blocks(); }
  size_t bytes() const { return bytes_ + slabs_.bytes(); }

  // Every live block, f(const HeapBlock&): the small ones in address
  // order, then the large ones oldest first.
  template <class F>
  void for_each(F&& f) const {
    slabs_.for_each([&](void* p, const BlockMeta& m) { f(HeapBlock{p, m.elem, m.size, m.site}); });
    for (const HeapHeader* h = sentinel_.next; h != &sentinel_; h = h->next)
      f(HeapBlock{payload_of(const_cast<HeapHeader*>(h)), h->elem, h->size, h->site});
  }

 private:
  void* allocate_large(size_t size, const snow_type* elem, bool zero, const void* site);
  void* reallocate_large(void* p, size_t size, const snow_type* elem, const void* site);
  void link(HeapHeader* h);
  static void unlink(HeapHeader* h);

  SlabHeap slabs_;
  HeapHeader sentinel_{};
  size_t blocks_ = 0;  // large ones
  size_t bytes_ = 0;
  bool release_on_destroy_ = true;
};

}  // namespace snow::msr
