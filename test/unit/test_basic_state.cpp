// INTERIM provider (libsnowpvm/migrate/basic_state.h).
#include "libsnowpvm/migrate/basic_state.h"
#include "libsnowpvm/util/platform.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

using namespace snow;
using namespace snow::migrate;

TEST_CASE("tracked scalars and arrays survive collect and restore", "[state]") {
  static int counter;
  static long wide;
  static double field[4];
  static bool flag;
  static unsigned char name[8];
  counter = -42;
  wide = 123456789;
  field[0] = -0.0, field[1] = 1e300, field[2] = NAN, field[3] = 0.1;
  flag = true;
  std::memcpy(name, "ring", 5);
  REQUIRE(snow_track(&counter, SNOW_TYPE(int), "counter") == 0);
  REQUIRE(snow_track(&wide, SNOW_TYPE(long), "wide") == 0);
  REQUIRE(snow_track(field, snow_array_of(SNOW_TYPE(double), 4), "field") == 0);
  REQUIRE(snow_track(&flag, SNOW_TYPE(bool), "flag") == 0);
  REQUIRE(snow_track(name, snow_array_of(SNOW_TYPE(uchar), 8), "name") == 0);
  auto& p = basic_state_provider();
  MemorySink sink;
  p.check(Platform::local());
  p.collect(sink, Platform::local());
  counter = 0, wide = 0, field[0] = field[1] = field[2] = field[3] = 5, flag = false;
  std::memset(name, 0, sizeof name);
  MemorySource src(sink.take());
  p.restore(src);
  CHECK(counter == -42);
  CHECK(wide == 123456789);
  CHECK(std::signbit(field[0]));
  CHECK(field[1] == 1e300);
  CHECK(std::isnan(field[2]));
  CHECK(field[3] == 0.1);
  CHECK(flag);
  CHECK(std::string(reinterpret_cast<char*>(name)) == "ring");

  SECTION("a value too wide for the destination is refused, naming it") {
    Platform i386 = Platform::local();
    i386.size_long = 4;
    i386.arch = "i386";
    wide = 1L << 40;
    CHECK_THROWS_WITH(p.check(i386), Catch::Contains("wide") && Catch::Contains("does not fit a 32-bit long"));
    wide = -5;
    CHECK_NOTHROW(p.check(i386));
  }
  SECTION("a damaged or foreign state is refused") {
    MemorySink s2;
    p.collect(s2, Platform::local());
    auto bytes = s2.take();
    bytes.resize(bytes.size() - 3);
    MemorySource cut(bytes);
    CHECK_THROWS_WITH(p.restore(cut), Catch::Contains("truncated"));
    snow_untrack(name);
    MemorySource fewer(s2.bytes());
    MemorySink s3;
    p.collect(s3, Platform::local());
    snow_track(name, snow_array_of(SNOW_TYPE(uchar), 8), "name");
    MemorySource mismatch(s3.take());
    CHECK_THROWS_WITH(p.restore(mismatch), Catch::Contains("tracked here"));
  }
  for (void* a : {static_cast<void*>(&counter), static_cast<void*>(&wide), static_cast<void*>(field),
                  static_cast<void*>(&flag), static_cast<void*>(name)})
    snow_untrack(a);
}
