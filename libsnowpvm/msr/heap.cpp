#include "libsnowpvm/msr/heap.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace snow::msr {

HeapList::HeapList() {
  sentinel_.prev = &sentinel_;
  sentinel_.next = &sentinel_;
}

HeapList::~HeapList() {
  if (release_on_destroy_) release_all();
}

void HeapList::link(HeapHeader* h) {
  // Appended: iteration runs oldest first, which is nearly address order
  // for a fresh heap and makes the collection-time sort cheap.
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
  HeapHeader* h = header_of(p);
  unlink(h);
  --blocks_;
  bytes_ -= h->size;
  std::free(h);
}

void HeapList::release_all() {
  while (sentinel_.next != &sentinel_) release(payload_of(sentinel_.next));
}

}  // namespace snow::msr
