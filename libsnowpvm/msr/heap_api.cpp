// The C API of heap blocks (snowpvm_msr.h): malloc & co. that register the
// block in the process's MSRLT.
#include "libsnowpvm/msr/freed_blocks.h"
#include "libsnowpvm/msr/heap.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/type_info.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using snow::msr::Registry;

namespace {

// Blocks whose type holds pointers start zeroed.  Real programs leave
// slots they never read uninitialised (a spare element of an array of
// pointers); as garbage, such a slot would make every migration refuse a
// "dangling pointer", as null it moves.  Reading it was undefined anyway.
bool holds_pointers_uncached(const snow_type* elem) {
  try {
    return snow::msr::facts(elem).has_pointers;
  } catch (...) {
    return false;  // a malformed descriptor is reported when the state moves
  }
}

// facts() is a hash look-up; a program allocates a few types over and over,
// so the answer is remembered in a small direct-mapped cache (descriptors
// are immutable, and facts() keys on their address as well).
constexpr size_t kPointerCacheSize = 64;
struct PointerCacheEntry {
  const snow_type* elem;
  bool has_pointers;
};
PointerCacheEntry g_pointer_cache[kPointerCacheSize];

bool holds_pointers(const snow_type* elem) {
  if (elem == nullptr) return false;
  auto& e = g_pointer_cache[(reinterpret_cast<uintptr_t>(elem) >> 4) % kPointerCacheSize];
  if (e.elem != elem) e = {elem, holds_pointers_uncached(elem)};
  return e.has_pointers;
}

// A pointer inside the runtime's slabs that is no live block: C leaves a
// double free undefined; glibc stops the program, and so does this.
[[noreturn]] void stale_pointer(const char* call, const void* p) {
  std::fprintf(stderr, "snowpvm: %s(%p): not a live heap block (freed twice, or inside a block)\n",
               call, p);
  std::abort();
}

}  // namespace

extern "C" {

// Each block remembers the code that allocated it (the caller's return
// address), so that an error about it can say where it came from.
void* snow_malloc(size_t size, const snow_type* elem) {
  return Registry::process().heap().allocate(size, elem, holds_pointers(elem), __builtin_return_address(0));
}

void* snow_calloc(size_t n, size_t size, const snow_type* elem) {
  if (size != 0 && n > SIZE_MAX / size) return nullptr;
  return Registry::process().heap().allocate(n * size, elem, true, __builtin_return_address(0));
}

void* snow_realloc(void* p, size_t size, const snow_type* elem) {
  snow::msr::BlockRef r;
  if (p != nullptr) {
    r = snow::msr::find_block(p);
    if (r.kind == snow::msr::BlockRef::Foreign) return std::realloc(p, size);  // not ours
    if (r.kind == snow::msr::BlockRef::Stale) stale_pointer("realloc", p);
    if (size == 0) {
      snow_free(p);
      return nullptr;
    }
  }
  auto& reg = Registry::process();
  size_t old = p != nullptr ? r.size() : 0;
  void* q = reg.heap().reallocate(p, size, elem, __builtin_return_address(0));
  if (q != nullptr && size > old && holds_pointers(snow::msr::find_block(q).elem()))
    std::memset(static_cast<char*>(q) + old, 0, size - old);  // as snow_malloc
  if (q != nullptr && p != nullptr) reg.move_unions(p, old, q, size);
  return q;
}

void snow_free(void* p) {
  if (p == nullptr) return;
  snow::msr::BlockRef r = snow::msr::find_block(p);
  if (r.kind == snow::msr::BlockRef::Foreign) {  // memory a library handed out
    std::free(p);
    return;
  }
  if (r.kind == snow::msr::BlockRef::Stale) stale_pointer("free", p);
  auto& reg = Registry::process();
  size_t size = r.size();
  reg.forget_unions(p, size);
  reg.heap().release(p, r);
  snow::msr::note_freed(p, size);
}

char* snow_strdup(const char* s) {
  size_t n = std::strlen(s) + 1;
  auto* d = static_cast<char*>(
      Registry::process().heap().allocate(n, &snow_type_char, false, __builtin_return_address(0)));
  if (d != nullptr) std::memcpy(d, s, n);
  return d;
}

int snow_heap_retype(void* p, const snow_type* elem) {
  if (p == nullptr) return PvmBadParam;
  snow::msr::BlockRef r = snow::msr::find_block(p);
  if (!r.live()) return PvmBadParam;
  snow::msr::HeapList::retype(r, elem);
  return 0;
}

}  // extern "C"
