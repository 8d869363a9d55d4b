#include "libsnowpvm/msr/heap.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace snow::msr {

namespace {

// Under AddressSanitizer every block is malloc'd, so that ASan still sees
// each block's bounds (the fuzz target of the state decoder relies on it).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUseSlabs = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUseSlabs = false;
#else
constexpr bool kUseSlabs = true;
#endif
#else
constexpr bool kUseSlabs = true;
#endif

}  // namespace

HeapList::HeapList() {
  sentinel_.prev = &sentinel_;
  sentinel_.next = &sentinel_;
}

HeapList::~HeapList() {
  if (release_on_destroy_) release_all();
}

void HeapList::link(HeapHeader* h) {
  // Appended: large blocks iterate oldest first.
  h->next = &sentinel_;
  h->prev = sentinel_.prev;
  sentinel_.prev->next = h;
  sentinel_.prev = h;
  *check_word(payload_of(h)) = reinterpret_cast<uintptr_t>(h) ^ kHeapMagic;
  ++blocks_;
  bytes_ += h->size;
}

void HeapList::unlink(HeapHeader* h) {
  h->prev->next = h->next;
  h->next->prev = h->prev;
  *check_word(payload_of(h)) = 0;
}

void* HeapList::allocate(size_t size, const snow_type* elem, bool zero, const void* site) {
  if (!kUseSlabs || size > kSlabMaxBlock) return allocate_large(size, elem, zero, site);
  void* p = slabs_.allocate(size, elem, site);
  if (p != nullptr && zero) std::memset(p, 0, size);
  return p;
}

void* HeapList::allocate_large(size_t size, const snow_type* elem, bool zero, const void* site) {
  if (size > SIZE_MAX - kHeapHeaderSize) return nullptr;
  void* raw = zero ? std::calloc(1, kHeapHeaderSize + size) : std::malloc(kHeapHeaderSize + size);
  if (raw == nullptr) return nullptr;
  auto* h = static_cast<HeapHeader*>(raw);
  h->elem = elem;
  h->size = size;
  h->site = site;
  link(h);
  return payload_of(h);
}

void* HeapList::reallocate(void* p, size_t size, const snow_type* elem, const void* site) {
  if (p == nullptr) return allocate(size, elem, false, site);
  BlockRef r = find_block(p);
  if (r.kind == BlockRef::Large && (!kUseSlabs || size > kSlabMaxBlock)) return reallocate_large(p, size, elem, site);
  if (r.kind == BlockRef::Small && size <= r.slab->block) {  // still fits its slot
    slabs_.resize(r.meta, size);
    if (elem != nullptr) r.meta->elem = elem;
    if (site != nullptr) r.meta->site = site;
    return p;
  }
  // Between slots, or between a slot and a large block: move.
  void* q = allocate(size, elem != nullptr ? elem : r.elem(), false, site != nullptr ? site : r.site());
  if (q == nullptr) return nullptr;  // the old block is untouched
  std::memcpy(q, p, std::min(size, r.size()));
  release(p, r);
  return q;
}

void* HeapList::reallocate_large(void* p, size_t size, const snow_type* elem, const void* site) {
  if (size > SIZE_MAX - kHeapHeaderSize) return nullptr;
  HeapHeader* h = header_of(p);
  size_t old = h->size;
  // Unlink first: realloc may move the header, and the neighbours point at it.
  unlink(h);
  --blocks_;
  bytes_ -= old;
  void* raw = std::realloc(h, kHeapHeaderSize + size);
  if (raw == nullptr) {  // the old block is untouched: put it back
    h->size = old;
    link(h);
    return nullptr;
  }
  auto* nh = static_cast<HeapHeader*>(raw);
  nh->size = size;
  if (elem != nullptr) nh->elem = elem;
  if (site != nullptr) nh->site = site;
  link(nh);
  return payload_of(nh);
}

void HeapList::release(void* p) {
  if (p == nullptr) return;
  release(p, find_block(p));
}

void HeapList::release(void* p, const BlockRef& r) {
  if (r.kind == BlockRef::Small) {
    slabs_.release(p, r.slab, r.meta);
    return;
  }
  HeapHeader* h = header_of(p);
  unlink(h);
  --blocks_;
  bytes_ -= h->size;
  std::free(h);
}

void HeapList::retype(const BlockRef& r, const snow_type* elem) {
  if (r.kind == BlockRef::Small)
    r.meta->elem = elem;
  else
    r.header->elem = elem;
}

void HeapList::release_all() {
  slabs_.release_all();
  while (sentinel_.next != &sentinel_) release(payload_of(sentinel_.next), BlockRef{BlockRef::Large});
}

}  // namespace snow::msr
