// Round trips of the type zoo through a state stream in one process
// (collect -> restore -> deep compare), the narrowing rules on both sides
// of a migration, and the errors a mismatched destination gets.
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/preflight.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/msr/state_error.h"
#include "snowpvm.h"
#include "test/programs/msr_zoo.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <memory>

using namespace snow;
using namespace snow::msr;

namespace {

// Source and destination zoos in one process: the source's roots are
// tracked, collected, untracked; the destination's take the same names.
struct ZooTrip {
  static inline struct zoo src, dst, expected;
  struct zoo_stack src_stack {
  }, dst_stack{}, exp_stack{};
  RestoreStats stats;

  std::vector<uint8_t> collect(std::optional<Platform> to) {
    zoo_register();
    REQUIRE(zoo_track(&src, "rt") == 0);
    snow_stack_block sb;
    snow_stack_push(&sb, &src_stack, &zoo_T_stack, "rt.stack");
    zoo_build(&src, &src_stack, 0);
    MemorySink sink;
    Collector(Registry::process(), to).run(sink);
    snow_stack_pop(&sb);
    zoo_untrack(&src);
    return sink.take();
  }

  void restore(std::vector<uint8_t> bytes) {
    REQUIRE(zoo_track(&dst, "rt") == 0);
    snow_stack_block sb;
    snow_stack_push(&sb, &dst_stack, &zoo_T_stack, "rt.stack");
    MemorySource in(std::move(bytes));
    Restorer r(Registry::process());
    try {
      r.run(in);
    } catch (...) {
      snow_stack_pop(&sb);
      zoo_untrack(&dst);
      throw;
    }
    stats = r.stats();
    snow_stack_pop(&sb);
    zoo_untrack(&dst);
  }

  int compare() {
    zoo_build(&expected, &exp_stack, 0);
    return zoo_compare(&expected, &exp_stack, &dst, &dst_stack);
  }
};

}  // namespace

TEST_CASE("the zoo round-trips bit-exact, with every pointer on its logical target",
          "[msr][roundtrip]") {
  ZooTrip t;
  t.restore(t.collect(Platform::local()));
  CHECK(t.compare() == 0);
  CHECK(zoo_values_compared > 400);
  CHECK(zoo_pointers_compared > 100);
  CHECK_FALSE(t.stats.converted);   // homogeneous: a copy, no conversion
  CHECK(t.dst.tree != t.src.tree);  // really new blocks
  CHECK(t.dst.str_lit2 == t.dst.str_lit);
  CHECK(t.dst.elems_end == t.dst.elems + 10);
  CHECK(t.dst.fn[1](7) == 49);

  SECTION("the comparison notices a changed value") {
    t.dst.sc.ld[2] *= 2;
    CHECK(t.compare() > 0);
  }
  SECTION("the comparison notices a pointer aimed at another object") {
    t.dst.dag[1] = t.dst.dag[2];
    CHECK(t.compare() > 0);
  }
  SECTION("the comparison notices lost aliasing") {
    t.dst.str_lit2 = snow_strdup(t.dst.str_lit);
    CHECK(t.compare() > 0);
  }
}

TEST_CASE("a checkpoint-style (portable) stream restores the same zoo", "[msr][roundtrip]") {
  ZooTrip t;
  t.restore(t.collect(std::nullopt));
  CHECK(t.compare() == 0);
}

TEST_CASE("a stream restores only into a program that has the same roots", "[msr][roundtrip]") {
  ZooTrip t;
  auto bytes = t.collect(Platform::local());
  static long lonely;
  REQUIRE(snow_track(&lonely, SNOW_TYPE(long), "lonely") == 0);
  MemorySource in(bytes);
  CHECK_THROWS_WITH(Restorer(Registry::process()).run(in),
                    Catch::Contains("does not track") && Catch::Contains("rt.sc"));
  snow_untrack(&lonely);
}

// ---------------------------------------------------------------- narrowing

namespace {

// The destination's long as i386 has it, for a destination simulated in
// this 64-bit process.
const snow_type T_long32 = {SNOW_K_INT, "long", 4, 4, 1, nullptr, 0, 0, nullptr, nullptr};
const snow_type T_ulong32 = {SNOW_K_INT, "unsigned long", 4, 4, 0, nullptr, 0, 0, nullptr, nullptr};

Platform i386_like() {
  Platform p = Platform::local();
  p.arch = "i386";
  p.size_long = 4;
  p.size_ptr = 4;
  p.align_double = 4;
  p.align_llong = 4;
  p.size_ldouble = 12;
  return p;
}

struct Narrow {
  Registry src;
  Registry dst;
  long wide = 0;
  unsigned long uwide = 0;
  int32_t wide32 = 0;
  uint32_t uwide32 = 0;
  Narrow() {
    src.track(&wide, SNOW_TYPE(long), "wide");
    src.track(&uwide, SNOW_TYPE(ulong), "uwide");
    dst.track(&wide32, &T_long32, "wide");
    dst.track(&uwide32, &T_ulong32, "uwide");
  }
  void move() {
    MemorySink sink;
    Collector(src, i386_like()).run(sink);
    MemorySource in(sink.take());
    Restorer(dst).run(in);
  }
};

}  // namespace

TEST_CASE("narrowing: values that fit are converted", "[msr][narrowing]") {
  Narrow n;
  n.wide = -2147483648L;
  n.uwide = 4294967295UL;
  CHECK_NOTHROW(preflight(n.src, i386_like()));
  n.move();
  CHECK(n.wide32 == INT32_MIN);
  CHECK(n.uwide32 == UINT32_MAX);
}

TEST_CASE("narrowing: a value that does not fit is refused before anything moves, naming it",
          "[msr][narrowing]") {
  Narrow n;
  n.wide = 5;
  n.uwide = 4294967296UL;
  try {
    preflight(n.src, i386_like());
    FAIL("the pre-flight check accepted 2^32 for a 32-bit unsigned long");
  } catch (const migrate::NotMigratable& e) {
    CHECK(e.variable() == "uwide");
    CHECK_THAT(e.what(),
               Catch::Contains("4294967296") && Catch::Contains("32-bit unsigned long of i386"));
  }
  n.uwide = 0;
  n.wide = -2147483649L;
  CHECK_THROWS_AS(preflight(n.src, i386_like()), migrate::NotMigratable);
  SECTION("and the receiver refuses it too, should a stream carry it") {
    n.wide32 = 17;
    try {
      n.move();
      FAIL("restored a long of -2^31-1 into 32 bits");
    } catch (const migrate::NotMigratable& e) {
      CHECK(e.variable() == "wide");
    }
  }
  SECTION("the same state moves to a 64-bit destination untouched") {
    CHECK_NOTHROW(preflight(n.src, Platform::local()));
  }
}

TEST_CASE("narrowing: a field deep in a heap structure is named by the path that reaches it",
          "[msr][narrowing]") {
  struct rec {
    int id;
    long v;
  };
  static const snow_field fields[] = {
      {"id", &snow_type_int, offsetof(rec, id), 0, nullptr, nullptr},
      {"v", &snow_type_long, offsetof(rec, v), 0, nullptr, nullptr}};
  static const snow_type T_rec = {
      SNOW_K_STRUCT, "struct test_narrow_rec", sizeof(rec), alignof(rec), 0, nullptr, 0, 2, fields,
      nullptr};
  static const snow_type T_rec_p = {SNOW_K_POINTER,
                                    "struct test_narrow_rec *",
                                    sizeof(void*),
                                    alignof(void*),
                                    0,
                                    &T_rec,
                                    0,
                                    0,
                                    nullptr,
                                    nullptr};
  Registry reg;
  rec* recs = static_cast<rec*>(reg.heap().allocate(3 * sizeof(rec), &T_rec, true));
  recs[2].v = 1L << 40;
  rec* root = recs;
  reg.track(&root, &T_rec_p, "records");
  try {
    preflight(reg, i386_like());
    FAIL("accepted");
  } catch (const migrate::NotMigratable& e) {
    CHECK(e.variable() == "(*records)[2].v");  // records[2].v
  }
}

TEST_CASE("pre-flight: a union without a recorded member cannot go to another layout",
          "[msr][narrowing]") {
  union u2 {
    int i;
    float f;
  };
  static const snow_field fields[] = {{"i", &snow_type_int, 0, 0, nullptr, nullptr},
                                      {"f", &snow_type_float, 0, 0, nullptr, nullptr}};
  static const snow_type T_u2 = {
      SNOW_K_UNION, "union test_u2", sizeof(u2), alignof(u2), 0, nullptr, 0, 2, fields, nullptr};
  Registry reg;
  u2 v{};
  reg.track(&v, &T_u2, "v");
  Platform be = Platform::local();
  be.big_endian = !be.big_endian;
  be.arch = "other";
  CHECK_THROWS_WITH(preflight(reg, be), Catch::Contains("active member is not recorded"));
  CHECK_NOTHROW(preflight(reg, Platform::local()));
  reg.set_union_active(&v, 1);
  CHECK_NOTHROW(preflight(reg, be));
}

// ---------------------------------------------------------------- refusals at collection

TEST_CASE("collection refuses what cannot be translated, naming it", "[msr][roundtrip]") {
  Registry reg;
  static const snow_type T_fn = {
      SNOW_K_FUNCPTR, "fn",   sizeof(void (*)()), alignof(void (*)()), 0, nullptr, 0, 0,
      nullptr,        nullptr};
  static const snow_type T_dp = {
      SNOW_K_POINTER, "double *", sizeof(void*), alignof(void*), 0, &snow_type_double, 0, 0,
      nullptr,        nullptr};
  MemorySink sink;
  SECTION("a function that is not registered") {
    void (*fn)() = +[] {};
    reg.track(&fn, &T_fn, "callback");
    CHECK_THROWS_WITH(Collector(reg, Platform::local()).run(sink),
                      Catch::Contains("callback points to a function that is not registered"));
  }
  SECTION("a pointer to memory outside every block") {
    static double outside = 1;
    double* p = &outside;
    reg.track(&p, &T_dp, "p");
    CHECK_THROWS_WITH(Collector(reg, Platform::local()).run(sink),
                      Catch::Contains("p points to") && Catch::Contains("in no registered block"));
    // ... and the stream tells the reader why it ends.
    MemorySource in(sink.take());
    Registry other;
    double* q = nullptr;
    other.track(&q, &T_dp, "p");
    CHECK_THROWS_WITH(Restorer(other).run(in), Catch::Contains("the source gave up"));
  }
  SECTION("a pointer held in a heap block: what the memory is and where the block came from") {
    static double outside = 1;  // in the test binary's data
    static const snow_field F[] = {{"p", &T_dp, 0, 0, nullptr, nullptr}};
    static const snow_type T_holder = {SNOW_K_STRUCT, "struct holder", sizeof(double*), alignof(double*), 0,
                                       nullptr, 0, 1, F, nullptr};
    static const snow_type T_hp = {SNOW_K_POINTER, "struct holder *", sizeof(void*), alignof(void*), 0,
                                   &T_holder, 0, 0, nullptr, nullptr};
    auto** h = static_cast<double**>(reg.heap().allocate(sizeof(double*), &T_holder, false, __builtin_return_address(0)));
    *h = &outside;
    reg.track(&h, &T_hp, "holder");
    CHECK_THROWS_WITH(Collector(reg, Platform::local()).run(sink),
                      Catch::Contains("(*holder).p points to") && Catch::Contains("in no registered block but in ") &&
                          Catch::Contains("a global or static variable that is not tracked") &&
                          Catch::Contains("the struct holder holding it was allocated at") &&
                          Catch::Contains("addr2line -f -e"));
    reg.heap().release(h);
  }
}
