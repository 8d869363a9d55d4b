#include "libsnowpvm/util/platform.h"

#include "libsnowpvm/util/error.h"

#include <catch2/catch.hpp>

using snow::Platform;

TEST_CASE("the local platform knows its own data model", "[platform]") {
  const auto& p = Platform::local();
  CHECK(p.size_int == sizeof(int));
  CHECK(p.size_long == sizeof(long));
  CHECK(p.size_ptr == sizeof(void*));
  CHECK(p.same_layout(p));
}

TEST_CASE("a platform description round-trips and rejects garbage", "[platform]") {
  Platform s390;
  s390.arch = "s390x";
  s390.big_endian = true;
  s390.char_is_signed = false;
  s390.ldouble_digits = 113;
  auto bytes = s390.encode();
  auto back = Platform::decode(bytes.data(), bytes.size());
  CHECK(back == s390);
  CHECK_FALSE(back.same_layout(Platform::local()));

  auto bad = bytes;
  bad[0] = 99;
  CHECK_THROWS_WITH(Platform::decode(bad.data(), bad.size()), Catch::Contains("version 99"));
  CHECK_THROWS_AS(Platform::decode(bytes.data(), 3), snow::Error);
  CHECK_THROWS_AS(Platform::decode(bytes.data(), bytes.size() - 1), snow::Error);
}
