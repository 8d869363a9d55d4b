// The state stream's building blocks: CRC-32C, varints, frames, and the
// exact long double conversions between x87 and binary128.
#include "libsnowpvm/msr/crc32c.h"
#include "libsnowpvm/msr/float_format.h"
#include "libsnowpvm/msr/framing.h"
#include "libsnowpvm/msr/wire.h"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>

using namespace snow;
using namespace snow::msr;

TEST_CASE("CRC-32C matches the standard check value, in hardware and in software", "[msr][codec]") {
  const char* s = "123456789";
  CHECK(crc32c(0, s, 9) == 0xE3069283u);
  CHECK(crc32c_portable(0, s, 9) == 0xE3069283u);
  std::mt19937 rng(7);
  std::vector<uint8_t> data(100003);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t off : {0, 1, 3, 7}) {
    CHECK(crc32c(0, data.data() + off, data.size() - off) ==
          crc32c_portable(0, data.data() + off, data.size() - off));
  }
  // Continuation equals one pass.
  CHECK(crc32c(crc32c(0, data.data(), 1000), data.data() + 1000, 5000) ==
        crc32c(0, data.data(), 6000));
}

namespace {

std::vector<uint8_t> framed(const std::function<void(Encoder&)>& f) {
  MemorySink sink;
  FrameWriter w(sink);
  Encoder e(w);
  f(e);
  w.flush();
  return sink.take();
}

}  // namespace

TEST_CASE("varints and strings round-trip through frames", "[msr][codec]") {
  std::vector<uint64_t> values{0, 1, 127, 128, 300, UINT32_MAX, UINT64_MAX - 1, UINT64_MAX};
  auto bytes = framed([&](Encoder& e) {
    for (auto v : values) e.varint(v);
    e.svarint(-1);
    e.svarint(INT64_MIN);
    e.string("hello");
  });
  MemorySource src(bytes);
  FrameReader r(src);
  Decoder d(r);
  for (auto v : values) CHECK(d.varint() == v);
  CHECK(d.svarint() == -1);
  CHECK(d.svarint() == INT64_MIN);
  CHECK(d.string() == "hello");
  CHECK_THROWS_WITH(d.u8(), Catch::Contains("truncated"));
}

TEST_CASE("a varint longer than 64 bits is corrupt", "[msr][codec]") {
  auto bytes = framed([](Encoder& e) {
    for (int i = 0; i < 10; ++i) e.u8(0xff);
    e.u8(0x01);
  });
  MemorySource src(bytes);
  FrameReader r(src);
  Decoder d(r);
  CHECK_THROWS_WITH(d.varint(), Catch::Contains("longer than 64 bits"));
}

TEST_CASE("frames catch every kind of damage", "[msr][codec]") {
  std::vector<uint8_t> payload(600000);
  std::iota(payload.begin(), payload.end(), 0);
  auto good = framed([&](Encoder& e) { e.bytes(payload.data(), payload.size()); });
  auto read_all = [&](std::vector<uint8_t> bytes) {
    MemorySource src(std::move(bytes));
    FrameReader r(src);
    std::vector<uint8_t> out(payload.size());
    Decoder d(r);
    d.bytes(out.data(), out.size());
    return out;
  };
  CHECK(read_all(good) == payload);

  SECTION("a flipped payload bit") {
    auto bad = good;
    bad[12 + 8 + 1000] ^= 0x10;
    CHECK_THROWS_WITH(read_all(bad), Catch::Contains("checksum mismatch in frame 1"));
  }
  SECTION("a flipped bit in a later frame") {
    auto bad = good;
    bad[bad.size() - 5] ^= 1;
    CHECK_THROWS_WITH(read_all(bad), Catch::Contains("checksum mismatch in frame 3"));
  }
  SECTION("a frame length out of range") {
    auto bad = good;
    bad[12] = 0x7f;
    CHECK_THROWS_WITH(read_all(bad), Catch::Contains("claims"));
  }
  SECTION("truncation anywhere") {
    for (size_t cut : {size_t{0}, size_t{5}, size_t{12}, size_t{15}, size_t{20}, good.size() / 2,
                       good.size() - 1}) {
      auto bad = std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(cut));
      CHECK_THROWS_AS(read_all(bad), StateError);
    }
  }
  SECTION("another magic or version") {
    auto bad = good;
    bad[0] = 'X';
    CHECK_THROWS_WITH(read_all(bad), Catch::Contains("not a SNOW-PVM state stream"));
    bad = good;
    bad[9] = 99;
    CHECK_THROWS_WITH(read_all(bad), Catch::Contains("version 99 is not supported"));
  }
}

TEST_CASE("an abort frame carries the source's reason", "[msr][codec]") {
  MemorySink sink;
  {
    FrameWriter w(sink);
    Encoder e(w);
    e.varint(42);
    e.u8(1);  // half a record
    w.abort("x.y points to freed memory");
  }
  MemorySource src(sink.take());
  FrameReader r(src);
  Decoder d(r);
  CHECK(d.varint() == 42);
  CHECK(d.u8() == 1);
  CHECK_THROWS_WITH(
      d.u8(),
      Catch::Contains("the source gave up collecting its state: x.y points to freed memory"));
}

// ---------------------------------------------------------------- long double

namespace {

// x87 extended as 10 little-endian bytes (what x86_64/i386 store).
std::array<uint8_t, 16> x87(bool neg, uint16_t exp, uint64_t sig) {
  std::array<uint8_t, 16> b{};
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(sig >> (8 * i));
  uint16_t se = static_cast<uint16_t>((neg ? 0x8000 : 0) | exp);
  b[8] = static_cast<uint8_t>(se);
  b[9] = static_cast<uint8_t>(se >> 8);
  return b;
}

// binary128 as 16 big-endian bytes (what s390x stores).
std::array<uint8_t, 16> quad(bool neg, uint16_t exp, uint64_t frac_hi48, uint64_t frac_lo64) {
  std::array<uint8_t, 16> b{};
  uint64_t hi = (uint64_t{neg} << 63) | (uint64_t{exp} << 48) | (frac_hi48 & 0xFFFFFFFFFFFFull);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<uint8_t>(frac_lo64 >> (56 - 8 * i));
  return b;
}

// Converts on a little-endian host: quad bytes from a big-endian source.
bool q2x(const std::array<uint8_t, 16>& q, std::array<uint8_t, 16>& out) {
  return convert_float(FloatFormat::Binary128, q.data(), 16, true, FloatFormat::X87, out.data(),
                       16);
}

}  // namespace

TEST_CASE("x87 <-> binary128: exact both ways when the value fits, refused otherwise",
          "[msr][codec][float]") {
  // 1 + 2^-63: all 64 significant bits used.
  auto one_plus = x87(false, 16383, 0x8000000000000001ull);
  std::array<uint8_t, 16> q{}, back{};
  REQUIRE(convert_float(FloatFormat::X87, one_plus.data(), 16, false, FloatFormat::Binary128,
                        q.data(), 16));
  // binary128 on this little-endian host: compare with the expected pattern reversed.
  auto expect = quad(false, 16383, 0, uint64_t{1} << 49);
  CHECK(std::equal(q.begin(), q.end(), expect.rbegin()));
  CHECK(q2x(expect, back));
  CHECK(std::memcmp(back.data(), one_plus.data(), 10) == 0);

  SECTION("a binary128 value with more than 64 significant bits is refused") {
    std::array<uint8_t, 16> out{};
    CHECK_FALSE(q2x(quad(false, 16383, 0, 1), out));  // 1 + 2^-112
  }
  SECTION("zero, infinity, NaN payloads, subnormals") {
    std::array<uint8_t, 16> out{};
    CHECK(q2x(quad(true, 0, 0, 0), out));
    CHECK(std::memcmp(out.data(), x87(true, 0, 0).data(), 10) == 0);
    CHECK(q2x(quad(false, 0x7fff, 0, 0), out));
    CHECK(std::memcmp(out.data(), x87(false, 0x7fff, 0x8000000000000000ull).data(), 10) == 0);
    CHECK(q2x(quad(false, 0x7fff, 0x800000000000ull, 0), out));  // quiet NaN
    CHECK(std::memcmp(out.data(), x87(false, 0x7fff, 0xC000000000000000ull).data(), 10) == 0);
    CHECK_FALSE(q2x(quad(false, 0x7fff, 0x800000000000ull, 1), out));  // payload bits x87 lacks
    // 2^-16400 is subnormal in both formats.
    auto sub = x87(false, 0, uint64_t{1} << (63 - 18));
    std::array<uint8_t, 16> qq{};
    REQUIRE(convert_float(FloatFormat::X87, sub.data(), 16, false, FloatFormat::Binary128,
                          qq.data(), 16));
    CHECK(convert_float(FloatFormat::Binary128, qq.data(), 16, false, FloatFormat::X87, out.data(),
                        16));
    CHECK(std::memcmp(out.data(), sub.data(), 10) == 0);
    // The smallest binary128 subnormal is far below x87's range.
    CHECK_FALSE(q2x(quad(false, 0, 0, 1), out));
  }
  SECTION("invalid x87 encodings are refused, not guessed") {
    auto unnormal = x87(false, 16383, 0x4000000000000000ull);  // J bit clear
    CHECK_FALSE(convert_float(FloatFormat::X87, unnormal.data(), 16, false, FloatFormat::Binary128,
                              q.data(), 16));
  }
#if LDBL_MANT_DIG == 64
  SECTION("this machine's own long double values survive a trip through binary128") {
    for (long double v : {1.0L / 3.0L, -LDBL_MAX, LDBL_MIN, LDBL_TRUE_MIN, 0.1L, -0.0L}) {
      std::array<uint8_t, 16> in{}, mid{}, out{};
      std::memcpy(in.data(), &v, sizeof v);
      REQUIRE(convert_float(FloatFormat::X87, in.data(), 16, false, FloatFormat::Binary128,
                            mid.data(), 16));
      REQUIRE(convert_float(FloatFormat::Binary128, mid.data(), 16, false, FloatFormat::X87,
                            out.data(), 16));
      CHECK(std::memcmp(in.data(), out.data(), 10) == 0);
    }
  }
#endif
}

TEST_CASE("double and float convert to long double exactly, and back only when exact",
          "[msr][codec][float]") {
  double d = 1.0 / 3.0;
  std::array<uint8_t, 16> out{}, back{};
  REQUIRE(convert_float(FloatFormat::Binary64, reinterpret_cast<uint8_t*>(&d), 8, false,
                        FloatFormat::X87, out.data(), 16));
  REQUIRE(convert_float(FloatFormat::X87, out.data(), 16, false, FloatFormat::Binary64, back.data(),
                        8));
  CHECK(std::memcmp(back.data(), &d, 8) == 0);
  double tiny = 5e-324;  // the smallest subnormal double
  REQUIRE(convert_float(FloatFormat::Binary64, reinterpret_cast<uint8_t*>(&tiny), 8, false,
                        FloatFormat::Binary128, out.data(), 16));
  REQUIRE(convert_float(FloatFormat::Binary128, out.data(), 16, false, FloatFormat::Binary64,
                        back.data(), 8));
  CHECK(std::memcmp(back.data(), &tiny, 8) == 0);
  CHECK_FALSE(convert_float(FloatFormat::Binary64, reinterpret_cast<uint8_t*>(&d), 8, false,
                            FloatFormat::Binary32, back.data(), 4));
}
