// The heap of the MSRLT (heap.h, heap_slabs.h): small blocks in size-class
// slabs, large ones malloc'd with a header; foreign pointers recognised.
#include <catch2/catch.hpp>
#include "libsnowpvm/msr/heap.h"
#include "libsnowpvm/msr/registry.h"
#include "snowpvm_msr.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <thread>
#include <vector>

using namespace snow::msr;

namespace {

bool aligned(const void* p) { return reinterpret_cast<uintptr_t>(p) % alignof(std::max_align_t) == 0; }

// Every block the heap reports, payload -> size; checks address order of
// the small ones on the way.
std::map<void*, size_t> listed(const HeapList& heap) {
  std::map<void*, size_t> m;
  const char* last_small = nullptr;
  bool order = true;
  heap.for_each([&](const HeapBlock& b) {
    if (b.size <= kSlabMaxBlock && find_block(b.payload).kind == BlockRef::Small) {
      if (last_small != nullptr && static_cast<const char*>(b.payload) <= last_small) order = false;
      last_small = static_cast<const char*>(b.payload);
    }
    m[b.payload] = b.size;
  });
  CHECK(order);
  return m;
}

}  // namespace

TEST_CASE("heap: small and large blocks, sizes, types and sites", "[heap]") {
  HeapList heap;
  int site = 0;
  void* z = heap.allocate(0, nullptr, false);
  void* s = heap.allocate(24, &snow_type_int, true, &site);
  void* l = heap.allocate(kSlabMaxBlock + 1, &snow_type_double, true);
  void* huge = heap.allocate(size_t{64} << 20, &snow_type_char, false);
  REQUIRE((z && s && l && huge));
  CHECK(z != s);
  for (void* p : {z, s, l, huge}) {
    CHECK(aligned(p));
    CHECK(is_heap_payload(p));
  }
  CHECK(find_block(s).kind == BlockRef::Small);
  CHECK(find_block(l).kind == BlockRef::Large);
  CHECK(find_block(s).size() == 24);
  CHECK(find_block(s).elem() == &snow_type_int);
  CHECK(find_block(s).site() == &site);
  CHECK(find_block(z).size() == 0);
  CHECK(static_cast<int*>(s)[5] == 0);
  CHECK(static_cast<double*>(l)[kSlabMaxBlock / 8] == 0.0);
  std::memset(huge, 7, size_t{64} << 20);
  CHECK(heap.blocks() == 4);
  CHECK(heap.bytes() == 24 + kSlabMaxBlock + 1 + (size_t{64} << 20));
  CHECK_FALSE(is_heap_payload(static_cast<char*>(s) + 16));  // inside a block
  heap.release(huge);
  heap.release(z);
  CHECK(heap.blocks() == 2);
  CHECK(listed(heap) == std::map<void*, size_t>{{s, 24}, {l, kSlabMaxBlock + 1}});
}

TEST_CASE("heap: a freed slot is no block, and foreign pointers pass through snow_free", "[heap]") {
  HeapList heap;
  void* a = heap.allocate(40, nullptr, false);
  void* keep = heap.allocate(40, nullptr, false);  // the slab stays
  heap.release(a);
  CHECK_FALSE(is_heap_payload(a));
  CHECK(find_block(a).kind == BlockRef::Stale);
  for (size_t n : {size_t{1}, size_t{24}, size_t{1000}, size_t{100000}}) {
    void* foreign = std::malloc(n);
    REQUIRE(foreign != nullptr);
    CHECK(find_block(foreign).kind == BlockRef::Foreign);
    snow_free(foreign);  // must simply free it
  }
  void* r = snow_realloc(std::malloc(16), 4000, nullptr);  // a library's block grows
  REQUIRE(r != nullptr);
  CHECK(find_block(r).kind == BlockRef::Foreign);
  std::free(r);
  heap.release(keep);
}

TEST_CASE("heap: realloc within a slot, across size classes, to and from large blocks", "[heap]") {
  HeapList heap;
  auto* p = static_cast<unsigned char*>(heap.allocate(20, &snow_type_uchar, false));
  for (int i = 0; i < 20; ++i) p[i] = static_cast<unsigned char>(i);
  auto* q = static_cast<unsigned char*>(heap.reallocate(p, 30, nullptr));
  CHECK(q == p);  // same 32-byte slot
  CHECK(find_block(q).size() == 30);
  size_t sizes[] = {100, 1000, 5000, 100000, 3000, 500, 17};
  size_t have = 20;
  for (size_t n : sizes) {
    q = static_cast<unsigned char*>(heap.reallocate(q, n, nullptr));
    REQUIRE(q != nullptr);
    for (size_t i = 0; i < std::min(have, n); ++i)
      if (i < 20) REQUIRE(q[i] == i);
    for (size_t i = 20; i < n; ++i) q[i] = 0xee;
    have = n;
    CHECK(aligned(q));
    CHECK(find_block(q).elem() == &snow_type_uchar);  // NULL keeps the type
    CHECK(find_block(q).size() == n);
    CHECK(heap.blocks() == 1);
    CHECK(heap.bytes() == n);
  }
  heap.release(q);
  CHECK(heap.blocks() == 0);
}

TEST_CASE("heap: enumeration after many allocations and frees", "[heap]") {
  HeapList heap;
  std::mt19937 rng(12);
  std::map<void*, size_t> live;
  for (int round = 0; round < 20000; ++round) {
    if (!live.empty() && rng() % 3 == 0) {
      auto it = live.begin();
      std::advance(it, static_cast<long>(rng() % std::min<size_t>(live.size(), 64)));
      CHECK(*static_cast<unsigned char*>(it->first) == static_cast<unsigned char>(it->second));
      heap.release(it->first);
      live.erase(it);
    } else {
      size_t n = rng() % 8 == 0 ? 1 + rng() % 3000 : 1 + rng() % 200;
      void* p = heap.allocate(n, nullptr, false);
      REQUIRE(p != nullptr);
      REQUIRE(live.count(p) == 0);
      *static_cast<unsigned char*>(p) = static_cast<unsigned char>(n);
      live[p] = n;
    }
  }
  size_t bytes = 0;
  for (auto& [p, n] : live) bytes += n;
  CHECK(heap.blocks() == live.size());
  CHECK(heap.bytes() == bytes);
  CHECK(listed(heap) == live);
  // Free everything; empty slabs go back, and the heap starts again clean.
  for (auto& [p, n] : live) heap.release(p);
  CHECK(heap.blocks() == 0);
  CHECK(listed(heap).empty());
  void* again = heap.allocate(8, nullptr, true);
  CHECK(is_heap_payload(again));
  CHECK(listed(heap).size() == 1);
}

TEST_CASE("heap: binary-tree churn reuses slabs and keeps every block apart", "[heap]") {
  HeapList heap;
  for (int round = 0; round < 3; ++round) {
    std::vector<void*> v(1 << 16);
    for (size_t i = 0; i < v.size(); ++i) {
      v[i] = heap.allocate(24, &snow_type_long, false);
      REQUIRE(v[i] != nullptr);
      std::memcpy(v[i], &i, sizeof i);
    }
    for (size_t i = 0; i < v.size(); ++i) {
      size_t j;
      std::memcpy(&j, v[i], sizeof j);
      REQUIRE(j == i);
    }
    CHECK(heap.blocks() == v.size());
    for (size_t i = 0; i < v.size(); i += 2) heap.release(v[i]);
    for (size_t i = 1; i < v.size(); i += 2) heap.release(v[i]);
    CHECK(heap.blocks() == 0);
  }
}

TEST_CASE("heap: two heaps share the table of slabs but not their blocks", "[heap]") {
  HeapList a, b;
  void* pa = a.allocate(64, nullptr, false);
  void* pb = b.allocate(64, nullptr, false);
  CHECK(a.blocks() == 1);
  CHECK(b.blocks() == 1);
  a.release_all();
  CHECK_FALSE(is_heap_payload(pa));
  CHECK(is_heap_payload(pb));
  CHECK(listed(b).size() == 1);
}

TEST_CASE("heap: snow_calloc, snow_realloc and snow_free in the process heap", "[heap]") {
  auto& heap = Registry::process().heap();
  size_t before = heap.blocks();
  auto* v = static_cast<long*>(snow_calloc(3, sizeof(long), SNOW_TYPE(long)));
  REQUIRE(v != nullptr);
  CHECK(v[2] == 0);
  v[0] = 42;
  v = static_cast<long*>(snow_realloc(v, 300 * sizeof(long), nullptr));  // to a large block
  REQUIRE(v != nullptr);
  CHECK(v[0] == 42);
  CHECK(find_block(v).elem() == SNOW_TYPE(long));
  v = static_cast<long*>(snow_realloc(v, 2 * sizeof(long), nullptr));  // back to a slab
  REQUIRE(v != nullptr);
  CHECK(v[0] == 42);
  CHECK(find_block(v).kind == BlockRef::Small);
  CHECK(heap.blocks() == before + 1);
  CHECK(snow_realloc(v, 0, nullptr) == nullptr);  // frees it
  CHECK(heap.blocks() == before);
}

TEST_CASE("heap: two heaps used by two threads at once share the slab table safely", "[heap]") {
  // Each heap stays single-threaded; the table of slabs and the pool of
  // empty slabs are shared, and grow while the other thread looks up.
  auto churn = [](HeapList& heap, size_t n, bool& ok) {
    std::vector<void*> v(n);
    for (int round = 0; round < 4; ++round) {
      for (size_t i = 0; i < n; ++i) {
        v[i] = heap.allocate(8 + i % 500, nullptr, false);
        if (v[i] == nullptr) ok = false;
        std::memcpy(v[i], &i, sizeof i);
      }
      for (size_t i = 0; i < n; ++i) {
        size_t j;
        std::memcpy(&j, v[i], sizeof j);
        if (j != i || !is_heap_payload(v[i])) ok = false;
        heap.release(v[i]);
      }
    }
  };
  HeapList a, b;
  bool ok_a = true, ok_b = true;
  std::thread t([&] { churn(a, 40000, ok_a); });
  churn(b, 40000, ok_b);
  t.join();
  CHECK(ok_a);
  CHECK(ok_b);
  CHECK(a.blocks() == 0);
  CHECK(b.blocks() == 0);
}
