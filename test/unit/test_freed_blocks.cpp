// Pointers to blocks the program freed are dangling; the memory-state
// runtime recognises them (and sends them as NULL) instead of refusing.
#include "libsnowpvm/msr/freed_blocks.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <catch2/catch.hpp>

#include <cstdint>

TEST_CASE("blocks freed with snow_free are remembered as freed", "[msr]") {
  auto* p = static_cast<int*>(snow_malloc(8 * sizeof(int), &snow_type_int));
  REQUIRE(p != nullptr);
  auto a = reinterpret_cast<uintptr_t>(p);
  snow_free(p);
  CHECK(snow::msr::was_freed(a));
  CHECK(snow::msr::was_freed(a + 4 * sizeof(int)));
  CHECK(snow::msr::was_freed(a + 8 * sizeof(int)));  // one past the end
  int on_stack = 0;  // never a heap block
  CHECK_FALSE(snow::msr::was_freed(reinterpret_cast<uintptr_t>(&on_stack)));
}
