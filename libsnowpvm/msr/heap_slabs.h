// Small heap blocks of the MSRLT without a per-block header: size-class
// slabs.  A slab is kSlabBytes of memory mapped at a kSlabBytes-aligned
// address; it starts with its record (size class, free list, counts)
// and one BlockMeta (type, exact size, allocating code) per slot, then the
// slots themselves.  A block's record is found from its address: the slab
// base is the address with the low bits cleared, and a process-wide table
// of slab bases (SlabTable) says whether that base is a slab at all, so a
// foreign pointer is recognised without reading memory that may not be
// mapped.  Blocks larger than kSlabMaxBlock go to HeapList's large blocks
// (heap.h).
//
// Like HeapList, a SlabHeap is used by one thread (as before); what all
// heaps share (SlabTable, the pool) is safe across threads.
#pragma once

#include "snowpvm_msr.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace snow::msr {

// Every limit of the slab heap, in one place.
inline constexpr size_t kSlabBytes = 64 * 1024;   // a slab: mapped and aligned to this
inline constexpr size_t kSlabMaxBlock = 1024;     // larger blocks: malloc'd with a header
inline constexpr size_t kSlabPoolBytes = 64 << 20;  // empty slabs kept whole for reuse
inline constexpr size_t kSlabClasses = 20;

struct BlockMeta {
  const snow_type* elem;  // NULL: untyped bytes
  const void* site;       // allocating code, NULL: unknown
  uint32_t size;          // payload bytes
  uint32_t live;          // 1: allocated, 0: free slot
};

struct Slab {
  Slab* prev;  // in its class's list of slabs with free slots, or the pool
  Slab* next;
  char* data;       // first slot
  BlockMeta* meta;  // one per slot
  void* free_list;  // freed slots, linked through their first word
  uint32_t cls;
  uint32_t block;     // slot bytes
  uint32_t recip;     // ceil(2^32 / block): offset -> slot without dividing
  uint32_t capacity;  // slots
  uint32_t used;      // live blocks
  uint32_t bumped;    // slots ever handed out since (re)initialised
  uint32_t index;     // in SlabHeap::all_
  uint32_t partial;   // 1: in its class's list
};

// Slab bases -> slabs, for every SlabHeap of the process.  Open
// addressing; its storage is mapped directly so that it stays usable
// during static destruction (a late destructor may snow_free).  A slab is
// never unmapped: an empty one goes to a process-wide pool (beyond
// kSlabPoolBytes its pages are given back to the system, its record
// stays), so a stale pointer is still recognised as no block.
//
// The table and the pool are shared by every heap of the process, while
// each heap stays single-threaded: two heaps may be used by two threads
// at once (as before slabs), so look-ups take no lock -- the table is
// insert-only, published with release/acquire, and a grown table leaves
// the old one mapped -- and inserting or using the pool takes a mutex.
class SlabTable {
 public:
  Slab* find(uintptr_t base) const;
  void insert(Slab* s);  // with the slab mutex held (heap_slabs.cpp)

 private:
  struct Table {
    size_t cap;  // power of two
    unsigned bits;
    std::atomic<Slab*>* slot;  // cap of them, right after the Table
  };
  static size_t slot_of(const Table* t, uintptr_t base);
  void grow();
  std::atomic<Table*> t_{nullptr};
  size_t n_ = 0;
};

SlabTable& slab_table();

// The live block of slab s at exactly p, or NULL (interior, freed).
inline BlockMeta* slab_slot(Slab* s, const void* p) {
  auto off = static_cast<uintptr_t>(static_cast<const char*>(p) - s->data);
  if (static_cast<const char*>(p) < s->data || off >= uintptr_t{s->bumped} * s->block) return nullptr;
  auto i = static_cast<uint32_t>((uint64_t{off} * s->recip) >> 32);
  if (i * s->block != off) return nullptr;  // not a slot's start
  BlockMeta* m = &s->meta[i];
  return m->live ? m : nullptr;
}

class SlabHeap {
 public:
  SlabHeap() = default;
  ~SlabHeap();  // its slabs go to the pool, unless kept
  SlabHeap(const SlabHeap&) = delete;
  SlabHeap& operator=(const SlabHeap&) = delete;
  void keep_at_exit() { release_on_destroy_ = false; }

  // size <= kSlabMaxBlock.  Not zeroed.  NULL: out of memory.
  void* allocate(size_t size, const snow_type* elem, const void* site);
  // p is a live block of this heap, with slab s and record m (slab_block).
  void release(void* p, Slab* s, BlockMeta* m);
  void release_all();
  // A block's size changes within its slot.
  void resize(BlockMeta* m, size_t size) {
    bytes_ += size;
    bytes_ -= m->size;
    m->size = static_cast<uint32_t>(size);
  }

  size_t blocks() const { return blocks_; }
  size_t bytes() const { return bytes_; }

  // Every live block, in address order: f(payload, const BlockMeta&).
  template <class F>
  void for_each(F&& f) const {
    sort_slabs();
    for (size_t k = 0; k < all_count_; ++k) {
      const Slab* s = all_[k];
      for (uint32_t i = 0; i < s->bumped; ++i)
        if (s->meta[i].live) f(static_cast<void*>(s->data + size_t{i} * s->block), s->meta[i]);
    }
  }

 private:
  Slab* new_slab(uint32_t cls);
  void init_slab(Slab* s, uint32_t cls);
  void retire(Slab* s);
  void give_back(Slab* s);
  void sort_slabs() const;
  bool track(Slab* s);

  std::array<Slab*, kSlabClasses> partial_{};  // per class: slabs with free slots
  // Every slab of this heap (full or partial); mapped storage.
  mutable Slab** all_ = nullptr;
  size_t all_count_ = 0, all_cap_ = 0;
  mutable bool all_sorted_ = true;
  size_t blocks_ = 0, bytes_ = 0;
  bool release_on_destroy_ = true;
};

}  // namespace snow::msr
