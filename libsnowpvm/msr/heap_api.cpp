// The C API of heap blocks (snowpvm_msr.h): malloc & co. that register the
// block in the process's MSRLT.
#include "libsnowpvm/msr/freed_blocks.h"
#include "libsnowpvm/msr/heap.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/type_info.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using snow::msr::Registry;

namespace {

// Blocks whose type holds pointers start zeroed.  Real programs leave
// slots they never read uninitialised (a spare element of an array of
// pointers); as garbage, such a slot would make every migration refuse a
// "dangling pointer", as null it moves.  Reading it was undefined anyway.
bool holds_pointers(const snow_type* elem) {
  if (elem == nullptr) return false;
  try {
    return snow::msr::facts(elem).has_pointers;
  } catch (...) {
    return false;  // a malformed descriptor is reported when the state moves
  }
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
  if (p != nullptr && !snow::msr::is_heap_payload(p)) return std::realloc(p, size);  // not ours
  if (p != nullptr && size == 0) {
    snow_free(p);
    return nullptr;
  }
  auto& reg = Registry::process();
  size_t old = p != nullptr ? snow::msr::header_of(p)->size : 0;
  void* q = reg.heap().reallocate(p, size, elem, __builtin_return_address(0));
  if (q != nullptr && size > old && holds_pointers(snow::msr::header_of(q)->elem))
    std::memset(static_cast<char*>(q) + old, 0, size - old);  // as snow_malloc
  if (q != nullptr && p != nullptr) reg.move_unions(p, old, q, size);
  return q;
}

void snow_free(void* p) {
  if (p == nullptr) return;
  if (!snow::msr::is_heap_payload(p)) {  // memory a library handed out
    std::free(p);
    return;
  }
  auto& reg = Registry::process();
  size_t size = snow::msr::header_of(p)->size;
  reg.forget_unions(p, size);
  reg.heap().release(p);
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
  if (p == nullptr || !snow::msr::is_heap_payload(p)) return PvmBadParam;
  snow::msr::header_of(p)->elem = elem;
  return 0;
}

}  // extern "C"
