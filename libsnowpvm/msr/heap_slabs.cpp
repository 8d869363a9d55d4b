#include "libsnowpvm/msr/heap_slabs.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>

namespace snow::msr {

namespace {

static_assert((kSlabBytes & (kSlabBytes - 1)) == 0, "slabs are aligned to their size");
static_assert(uint64_t{kSlabBytes} * kSlabMaxBlock <= (uint64_t{1} << 32),
              "slot index by reciprocal is exact for offset * block < 2^32");

// Slot sizes: multiples of 16 (so every slot is aligned like malloc's
// memory on each target), spaced at most 25% apart.
constexpr std::array<uint32_t, kSlabClasses> kClassBytes{16,  32,  48,  64,  80,  96,  112,
                                                         128, 160, 192, 224, 256, 320, 384,
                                                         448, 512, 640, 768, 896, 1024};
static_assert(kClassBytes.back() == kSlabMaxBlock);

// size -> class, by 16-byte steps.
constexpr std::array<uint8_t, kSlabMaxBlock / 16 + 1> kClassOf = [] {
  std::array<uint8_t, kSlabMaxBlock / 16 + 1> t{};
  size_t c = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    while (kClassBytes[c] < i * 16) ++c;
    t[i] = static_cast<uint8_t>(c);
  }
  return t;
}();

constexpr size_t kAlign = 16;
static_assert(kAlign % alignof(std::max_align_t) == 0);

constexpr size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

// Mapped memory, page-granular; NULL on failure.
void* map(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// kSlabBytes at a kSlabBytes-aligned address: map twice that, trim.
void* map_aligned_slab() {
  auto* raw = static_cast<char*>(map(2 * kSlabBytes));
  if (raw == nullptr) return nullptr;
  auto a = reinterpret_cast<uintptr_t>(raw);
  uintptr_t base = (a + kSlabBytes - 1) & ~(uintptr_t{kSlabBytes} - 1);
  size_t head = base - a, tail = kSlabBytes - head;
  if (head > 0) munmap(raw, head);
  if (tail > 0) munmap(reinterpret_cast<char*>(base) + kSlabBytes, tail);
  return reinterpret_cast<void*>(base);
}

constinit SlabTable g_table;

}  // namespace

SlabTable& slab_table() { return g_table; }

// Fibonacci hashing of the slab number.
size_t SlabTable::slot_of(const Table* t, uintptr_t base) {
  uint64_t k = static_cast<uint64_t>(base / kSlabBytes) * 0x9E3779B97F4A7C15ULL;
  return static_cast<size_t>(k >> (64 - t->bits));
}

Slab* SlabTable::find(uintptr_t base) const {
  const Table* t = t_.load(std::memory_order_acquire);
  if (t == nullptr) return nullptr;
  for (size_t i = slot_of(t, base);; i = (i + 1) & (t->cap - 1)) {
    Slab* s = t->slot[i].load(std::memory_order_acquire);
    if (s == nullptr) return nullptr;
    if (reinterpret_cast<uintptr_t>(s) == base) return s;
  }
}

// A table twice the size; the old one stays mapped for look-ups under way
// in other threads (the tables together stay below twice the last one).
void SlabTable::grow() {
  Table* old = t_.load(std::memory_order_relaxed);
  size_t cap = old == nullptr ? 512 : 2 * old->cap;
  void* mem = map(sizeof(Table) + cap * sizeof(std::atomic<Slab*>));
  if (mem == nullptr) throw std::bad_alloc();
  auto* t = ::new (mem) Table{cap, 0, nullptr};
  t->slot = reinterpret_cast<std::atomic<Slab*>*>(t + 1);
  for (size_t i = 0; i < cap; ++i) ::new (&t->slot[i]) std::atomic<Slab*>(nullptr);
  while ((size_t{1} << t->bits) < cap) ++t->bits;
  if (old != nullptr)
    for (size_t i = 0; i < old->cap; ++i)
      if (Slab* s = old->slot[i].load(std::memory_order_relaxed)) {
        size_t j = slot_of(t, reinterpret_cast<uintptr_t>(s));
        while (t->slot[j].load(std::memory_order_relaxed) != nullptr) j = (j + 1) & (cap - 1);
        t->slot[j].store(s, std::memory_order_relaxed);
      }
  t_.store(t, std::memory_order_release);
}

void SlabTable::insert(Slab* s) {
  Table* t = t_.load(std::memory_order_relaxed);
  if (t == nullptr || 2 * (n_ + 1) > t->cap) {  // at most half full: short probes
    grow();
    t = t_.load(std::memory_order_relaxed);
  }
  size_t i = slot_of(t, reinterpret_cast<uintptr_t>(s));
  while (t->slot[i].load(std::memory_order_relaxed) != nullptr) i = (i + 1) & (t->cap - 1);
  t->slot[i].store(s, std::memory_order_release);
  ++n_;
}

namespace {

// The pool of empty slabs, shared by every SlabHeap: `warm` ones whole,
// `cold` ones with their pages (but the record's) given back.
struct SlabPool {
  Slab* warm = nullptr;
  Slab* cold = nullptr;
  size_t warm_count = 0;
};
constinit SlabPool g_pool;
// Held while the table grows or the pool changes (SlabTable).
constinit std::mutex g_slab_mutex;

void pool_slab(Slab* s) {
  std::lock_guard lock(g_slab_mutex);
  s->bumped = 0;  // no live block: a pointer into it is stale
  s->partial = 0;
  s->prev = nullptr;
  if (g_pool.warm_count * kSlabBytes < kSlabPoolBytes) {
    s->next = g_pool.warm;
    g_pool.warm = s;
    ++g_pool.warm_count;
    return;
  }
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t keep = (sizeof(Slab) + page - 1) / page * page;
  if (keep < kSlabBytes) madvise(reinterpret_cast<char*>(s) + keep, kSlabBytes - keep, MADV_DONTNEED);
  s->next = g_pool.cold;
  g_pool.cold = s;
}

// With g_slab_mutex held.
Slab* pooled_slab() {
  Slab* s = g_pool.warm;
  if (s != nullptr) {
    g_pool.warm = s->next;
    --g_pool.warm_count;
    return s;
  }
  s = g_pool.cold;
  if (s != nullptr) g_pool.cold = s->next;
  return s;
}

}  // namespace

SlabHeap::~SlabHeap() {
  if (!release_on_destroy_) return;
  release_all();
  if (all_ != nullptr) munmap(all_, all_cap_ * sizeof(Slab*));
}

bool SlabHeap::track(Slab* s) {
  if (all_count_ == all_cap_) {
    size_t cap = all_cap_ == 0 ? 512 : 2 * all_cap_;
    auto** a = static_cast<Slab**>(map(cap * sizeof(Slab*)));
    if (a == nullptr) return false;
    if (all_count_ > 0) std::memcpy(a, all_, all_count_ * sizeof(Slab*));
    if (all_ != nullptr) munmap(all_, all_cap_ * sizeof(Slab*));
    all_ = a;
    all_cap_ = cap;
  }
  s->index = static_cast<uint32_t>(all_count_);
  all_[all_count_++] = s;
  all_sorted_ = false;
  return true;
}

void SlabHeap::init_slab(Slab* s, uint32_t cls) {
  uint32_t block = kClassBytes[cls];
  size_t head = round_up(sizeof(Slab), alignof(BlockMeta));
  uint32_t capacity =
      static_cast<uint32_t>((kSlabBytes - head - kAlign) / (block + sizeof(BlockMeta)));
  auto* base = reinterpret_cast<char*>(s);
  s->meta = reinterpret_cast<BlockMeta*>(base + head);
  s->data = base + round_up(head + capacity * sizeof(BlockMeta), kAlign);
  s->free_list = nullptr;
  s->cls = cls;
  s->block = block;
  s->recip = static_cast<uint32_t>(((uint64_t{1} << 32) + block - 1) / block);
  s->capacity = capacity;
  s->used = 0;
  s->bumped = 0;
  // In front of its class's list.
  s->prev = nullptr;
  s->next = partial_[cls];
  if (s->next != nullptr) s->next->prev = s;
  partial_[cls] = s;
  s->partial = 1;
}

Slab* SlabHeap::new_slab(uint32_t cls) {
  Slab* s;
  {
    std::lock_guard lock(g_slab_mutex);
    s = pooled_slab();
    if (s == nullptr) {
      s = static_cast<Slab*>(map_aligned_slab());
      if (s == nullptr) return nullptr;
      try {
        g_table.insert(s);
      } catch (const std::bad_alloc&) {
        munmap(s, kSlabBytes);
        return nullptr;
      }
    }
  }
  if (!track(s)) {
    pool_slab(s);
    return nullptr;
  }
  init_slab(s, cls);
  return s;
}

void* SlabHeap::allocate(size_t size, const snow_type* elem, const void* site) {
  uint32_t cls = kClassOf[(size + 15) / 16];
  Slab* s = partial_[cls];
  if (s == nullptr && (s = new_slab(cls)) == nullptr) return nullptr;
  void* p;
  uint32_t i;
  if (s->free_list != nullptr) {
    p = s->free_list;
    std::memcpy(&s->free_list, p, sizeof(void*));
    i = static_cast<uint32_t>(
        (uint64_t{static_cast<uint32_t>(static_cast<char*>(p) - s->data)} * s->recip) >> 32);
  } else {
    i = s->bumped++;
    p = s->data + size_t{i} * s->block;
  }
  s->meta[i] = BlockMeta{elem, site, static_cast<uint32_t>(size), 1};
  if (++s->used == s->capacity) {  // full: out of the class's list
    partial_[cls] = s->next;
    if (s->next != nullptr) s->next->prev = nullptr;
    s->partial = 0;
  }
  ++blocks_;
  bytes_ += size;
  return p;
}

void SlabHeap::release(void* p, Slab* s, BlockMeta* m) {
  --blocks_;
  bytes_ -= m->size;
  m->live = 0;
  std::memcpy(p, &s->free_list, sizeof(void*));
  s->free_list = p;
  --s->used;
  if (!s->partial) {  // was full: back in front of its class's list
    s->prev = nullptr;
    s->next = partial_[s->cls];
    if (s->next != nullptr) s->next->prev = s;
    partial_[s->cls] = s;
    s->partial = 1;
    return;
  }
  // Empty, and not the class's only slab with room: to the pool.
  if (s->used == 0 && (s->prev != nullptr || s->next != nullptr)) retire(s);
}

void SlabHeap::retire(Slab* s) {
  if (s->prev != nullptr)
    s->prev->next = s->next;
  else
    partial_[s->cls] = s->next;
  if (s->next != nullptr) s->next->prev = s->prev;
  give_back(s);
}

// Out of this heap, into the pool.
void SlabHeap::give_back(Slab* s) {
  Slab* last = all_[--all_count_];
  all_[s->index] = last;
  last->index = s->index;
  all_sorted_ = false;
  pool_slab(s);
}

void SlabHeap::sort_slabs() const {
  if (all_sorted_) return;
  std::sort(all_, all_ + all_count_);
  for (size_t k = 0; k < all_count_; ++k) all_[k]->index = static_cast<uint32_t>(k);
  all_sorted_ = true;
}

void SlabHeap::release_all() {
  while (all_count_ > 0) give_back(all_[all_count_ - 1]);
  partial_.fill(nullptr);
  blocks_ = 0;
  bytes_ = 0;
}

}  // namespace snow::msr
