// The MSRLT: heap headers and the intrusive list, roots, union records,
// stack blocks, and frames saved while unwinding and resumed after a
// restore.
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/heap.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/msr/state_error.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

using namespace snow;
using namespace snow::msr;

TEST_CASE("heap blocks: O(1) registration, realloc keeps the heap whole, foreign pointers pass through",
          "[msr][registry]") {
  HeapList heap;
  void* a = heap.allocate(10, &snow_type_char, false);
  void* b = heap.allocate(100, &snow_type_int, true);
  void* c = heap.allocate(0, nullptr, false);
  REQUIRE((a && b && c));
  CHECK(heap.blocks() == 3);
  CHECK(heap.bytes() == 110);
  CHECK(is_heap_payload(a));
  CHECK(reinterpret_cast<uintptr_t>(b) % alignof(std::max_align_t) == 0);
  CHECK(static_cast<int*>(b)[24] == 0);
  b = heap.reallocate(b, 1 << 20, nullptr);
  REQUIRE(b != nullptr);
  CHECK(find_block(b).elem() == &snow_type_int);  // NULL keeps the type
  CHECK(heap.bytes() == 10 + (1 << 20));
  heap.release(a);
  int n = 0;
  heap.for_each([&](const HeapBlock&) { ++n; });
  CHECK(n == 2);
  void* foreign = std::malloc(64);
  snow_free(foreign);  // must simply free it
}

TEST_CASE("snow_malloc & co. register in the process registry", "[msr][registry]") {
  auto& heap = Registry::process().heap();
  size_t before = heap.blocks();
  char* s = snow_strdup("abc");
  long* v = static_cast<long*>(snow_calloc(4, sizeof(long), SNOW_TYPE(long)));
  CHECK(heap.blocks() == before + 2);
  CHECK(std::strcmp(s, "abc") == 0);
  CHECK(v[3] == 0);
  CHECK(snow_calloc(SIZE_MAX / 2, 4, nullptr) == nullptr);  // overflow
  CHECK(snow_heap_retype(v, SNOW_TYPE(ulong)) == 0);
  CHECK(find_block(v).elem() == SNOW_TYPE(ulong));
  snow_free(s);
  snow_free(v);
  CHECK(heap.blocks() == before);
}

TEST_CASE("union records move with realloc and go with free", "[msr][registry]") {
  auto& reg = Registry::process();
  auto* u = static_cast<double*>(snow_malloc(4 * sizeof(double), nullptr));
  snow_union_set_active(&u[1], 2);
  CHECK(reg.union_active(&u[1]) == 2);
  auto* w = static_cast<double*>(snow_realloc(u, 1 << 16, nullptr));
  CHECK(reg.union_active(&w[1]) == 2);
  if (w != u) CHECK(reg.union_active(&u[1]) == -1);
  snow_free(w);
  CHECK(reg.union_active(&w[1]) == -1);
}

TEST_CASE("roots: unique names, no overlap, valid types", "[msr][registry]") {
  Registry reg;
  static double field[8];
  static long step;
  reg.track(field, snow_array_of(SNOW_TYPE(double), 8), "field");
  CHECK_THROWS_WITH(reg.track(&step, SNOW_TYPE(long), "field"), Catch::Contains("already tracked"));
  CHECK_THROWS_WITH(reg.track(&field[3], SNOW_TYPE(double), "f3"),
                    Catch::Contains("overlaps the tracked root field"));
  snow_type bad{SNOW_K_INT, "int", 3, 1, 1, nullptr, 0, 0, nullptr, nullptr};
  CHECK_THROWS_WITH(reg.track(&step, &bad, "step"), Catch::Contains("unsupported size"));
  CHECK(snow_track(&step, nullptr, "x") == PvmBadParam);
  CHECK(std::string(snow_msr_last_error()).find("NULL type") != std::string::npos);
  reg.track(&step, SNOW_TYPE(long), "step");
  CHECK(reg.roots().size() == 2);
  CHECK(reg.untrack(field));
  CHECK_FALSE(reg.untrack(field));
}

TEST_CASE("stack blocks push and pop as a LIFO list", "[msr][registry]") {
  snow_stack_block* saved = snow_stack_top;
  int x = 1, y = 2;
  snow_stack_block bx, by;
  snow_stack_push(&bx, &x, SNOW_TYPE(int), "f.x");
  snow_stack_push(&by, &y, SNOW_TYPE(int), "g.y");
  auto v = Registry::process().stack_bottom_up();
  REQUIRE(v.size() >= 2);
  CHECK(v[v.size() - 2] == &bx);
  CHECK(v.back() == &by);
  snow_stack_pop(&by);
  snow_stack_pop(&bx);
  CHECK(snow_stack_top == saved);
}

// ------------------------------------------------------------------ frames

namespace {

struct inner_rec {
  long* p;  // into the frame's own local
  int step;
};
struct outer_rec {
  int* pa;  // into the frame's own local array
};
struct heap_cell {
  long* px;  // heap -> inner frame local
  int* pa;   // heap -> outer frame local
};

const snow_type T_long_p = {
    SNOW_K_POINTER, "long *", sizeof(long*), alignof(long*), 0, &snow_type_long, 0, 0,
    nullptr,        nullptr};
const snow_type T_int_p = {
    SNOW_K_POINTER, "int *", sizeof(int*), alignof(int*), 0, &snow_type_int, 0, 0,
    nullptr,        nullptr};
const snow_field inner_fields[] = {
    {"p", &T_long_p, offsetof(inner_rec, p), 0, nullptr, nullptr},
    {"step", &snow_type_int, offsetof(inner_rec, step), 0, nullptr, nullptr}};
const snow_type T_inner = {SNOW_K_STRUCT,
                           "struct test_inner_frame",
                           sizeof(inner_rec),
                           alignof(inner_rec),
                           0,
                           nullptr,
                           0,
                           2,
                           inner_fields,
                           nullptr};
const snow_field outer_fields[] = {{"pa", &T_int_p, offsetof(outer_rec, pa), 0, nullptr, nullptr}};
const snow_type T_outer = {SNOW_K_STRUCT,
                           "struct test_outer_frame",
                           sizeof(outer_rec),
                           alignof(outer_rec),
                           0,
                           nullptr,
                           0,
                           1,
                           outer_fields,
                           nullptr};
const snow_field cell_fields[] = {{"px", &T_long_p, offsetof(heap_cell, px), 0, nullptr, nullptr},
                                  {"pa", &T_int_p, offsetof(heap_cell, pa), 0, nullptr, nullptr}};
const snow_type T_cell = {SNOW_K_STRUCT,
                          "struct test_cell",
                          sizeof(heap_cell),
                          alignof(heap_cell),
                          0,
                          nullptr,
                          0,
                          2,
                          cell_fields,
                          nullptr};
const snow_type T_cell_p = {
    SNOW_K_POINTER, "struct test_cell *", sizeof(void*), alignof(void*), 0, &T_cell, 0, 0, nullptr,
    nullptr};
const snow_type T_int4 = {
    SNOW_K_ARRAY, nullptr, sizeof(int[4]), alignof(int), 0, &snow_type_int, 4, 0, nullptr, nullptr};

heap_cell* g_cell;

// What pre-compiled code does: unwinding saves frames innermost first.
void unwind_two_frames() {
  int a[4] = {10, 20, 30, 40};
  snow_stack_block sa;
  snow_stack_push(&sa, a, &T_int4, "outer.a");
  {
    long x = 4242;
    snow_stack_block sx;
    snow_stack_push(&sx, &x, SNOW_TYPE(long), "inner.x");
    g_cell = static_cast<heap_cell*>(snow_malloc(sizeof(heap_cell), &T_cell));
    g_cell->px = &x;
    g_cell->pa = &a[2];
    inner_rec ri{&x, 5};
    REQUIRE(snow_frame_save(&ri, &T_inner, "inner", 1) == 0);
  }
  outer_rec ro{&a[1]};
  REQUIRE(snow_frame_save(&ro, &T_outer, "outer", 1) == 0);
}

}  // namespace

TEST_CASE(
    "frames saved while unwinding are collected, restored, and resumed with pointers re-aimed",
    "[msr][registry][frames]") {
  auto& reg = Registry::process();
  snow_stack_block* top_before = snow_stack_top;
  REQUIRE(snow_track(&g_cell, &T_cell_p, "test.frames.cell") == 0);
  unwind_two_frames();
  CHECK(snow_stack_top == top_before);  // saving took the stack blocks over
  CHECK(reg.frames().size() == 2);

  MemorySink sink;
  Collector(reg, Platform::local()).run(sink);

  // The source's migration aborted: it restores its own state (heap and
  // frames are replaced by the stream's), then re-enters its call chain.
  RestoreOptions opt;
  opt.discard_existing = true;
  MemorySource src(sink.take());
  Restorer r(reg, opt);
  r.run(src);
  CHECK(r.stats().frames == 2);
  REQUIRE(snow_frames_pending() == 2);

  // Resuming in the wrong order is refused.
  inner_rec ri{};
  CHECK(snow_frame_resume(&ri, &T_inner, "inner", 0) == SnowBadState);
  CHECK(std::string(snow_msr_last_error()).find("belongs to outer") != std::string::npos);

  int a2[4] = {};
  snow_stack_block sa;
  snow_stack_push(&sa, a2, &T_int4, "outer.a");
  outer_rec ro{};
  REQUIRE(snow_frame_resume(&ro, &T_outer, "outer", 1) == 0);
  CHECK(a2[3] == 40);
  CHECK(ro.pa == &a2[1]);
  CHECK(g_cell->pa == &a2[2]);
  long x2 = 0;
  snow_stack_block sx;
  snow_stack_push(&sx, &x2, SNOW_TYPE(long), "inner.x");
  REQUIRE(snow_frame_resume(&ri, &T_inner, "inner", 1) == 0);
  CHECK(x2 == 4242);
  CHECK(ri.p == &x2);
  CHECK(ri.step == 5);
  CHECK(g_cell->px == &x2);
  CHECK(snow_frames_pending() == 0);
  snow_stack_pop(&sx);
  snow_stack_pop(&sa);
  snow_untrack(&g_cell);
}

TEST_CASE("a pointer from an outer frame's record into an inner frame's local is refused",
          "[msr][registry][frames]") {
  auto& reg = Registry::process();
  long x = 1;
  snow_stack_block sx;
  snow_stack_push(&sx, &x, SNOW_TYPE(long), "inner.x");
  inner_rec ri{nullptr, 1};
  REQUIRE(snow_frame_save(&ri, &T_inner, "inner", 1) == 0);
  inner_rec outer_holding{&x, 2};  // an outer frame whose record points into inner.x
  REQUIRE(snow_frame_save(&outer_holding, &T_inner, "outer", 0) == 0);
  MemorySink sink;
  CHECK_THROWS_WITH(Collector(reg, Platform::local()).run(sink), Catch::Contains("inner frame"));
  reg.discard_state();
}
