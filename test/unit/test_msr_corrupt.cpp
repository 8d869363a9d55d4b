// Corrupt and truncated streams always end in a clear error (never a
// crash, a hang or a half-registered heap).  test/fuzz/ does the same with
// libFuzzer's mutations for a bounded time in CI.
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/msr/wire.h"
#include "snowpvm.h"
#include "test/fuzz/msr_frames.h"
#include "test/programs/msr_zoo.h"

#include <catch2/catch.hpp>

#include <random>

using namespace snow;
using namespace snow::msr;

namespace {

struct zoo g_src, g_dst;

std::vector<uint8_t> valid_stream() {
  zoo_register();
  REQUIRE(zoo_track(&g_src, "cz") == 0);
  zoo_build(&g_src, nullptr, 0);
  MemorySink sink;
  Collector(Registry::process(), std::nullopt).run(sink);
  zoo_untrack(&g_src);
  return sink.take();
}

// Restores into fresh roots; returns true on success, false on a clean
// snow::Error.  Anything else fails the test.
bool try_restore(const std::vector<uint8_t>& bytes, uint64_t max_bytes = 64u << 20) {
  auto& heap = Registry::process().heap();
  size_t before = heap.blocks();
  REQUIRE(zoo_track(&g_dst, "cz") == 0);
  bool ok = false;
  try {
    MemorySource in(bytes);
    RestoreOptions opt;
    opt.max_bytes = max_bytes;
    Restorer(Registry::process(), opt).run(in);
    ok = true;
  } catch (const snow::Error& e) {
    CHECK(std::string(e.what()).size() > 10);
  }
  zoo_untrack(&g_dst);
  if (!ok) CHECK(heap.blocks() == before);  // nothing left behind
  return ok;
}

}  // namespace

TEST_CASE("every truncation of a valid stream is an error", "[msr][corrupt]") {
  auto s = valid_stream();
  REQUIRE(try_restore(s));
  for (size_t cut = 0; cut < s.size(); cut += (cut < 200 ? 1 : 7)) {
    INFO("cut at " << cut << " of " << s.size());
    CHECK_FALSE(try_restore(std::vector<uint8_t>(s.begin(), s.begin() + static_cast<long>(cut))));
  }
}

TEST_CASE("a flipped bit anywhere is caught by a checksum", "[msr][corrupt]") {
  auto s = valid_stream();
  for (size_t i = 0; i < s.size(); i += 13) {
    auto bad = s;
    bad[i] ^= static_cast<uint8_t>(1u << (i % 8));
    INFO("byte " << i);
    CHECK_FALSE(try_restore(bad));
  }
}

TEST_CASE("mutated records behind valid checksums never crash the decoder", "[msr][corrupt]") {
  auto records = msr_test::unframe(valid_stream());
  REQUIRE(!records.empty());
  std::mt19937 rng(2024);
  int ok = 0, refused = 0;
  for (int round = 0; round < 1500; ++round) {
    auto r = records;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t at = rng() % r.size();
      switch (rng() % 4) {
        case 0:
          r[at] = static_cast<uint8_t>(rng());
          break;
        case 1:
          r[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
          break;
        case 2:
          r.erase(r.begin() + static_cast<long>(at));
          break;
        default:
          r.insert(r.begin() + static_cast<long>(at), static_cast<uint8_t>(rng()));
          break;
      }
      if (r.empty()) r.push_back(0);
    }
    (try_restore(msr_test::reframe(r.data(), r.size())) ? ok : refused)++;
  }
  CHECK(refused > 1000);  // most edits must be noticed
  INFO("accepted " << ok << " harmless edits (e.g. a changed value)");
}

TEST_CASE("hostile sizes are refused before anything is allocated", "[msr][corrupt]") {
  std::vector<uint8_t> rec;
  MemorySink sink;
  {
    FrameWriter w(sink);
    Encoder e(w);
    e.tag(Tag::Hello);
    auto blob = Platform::local().encode();
    e.varint(blob.size());
    e.bytes(blob.data(), blob.size());
    e.varint(0);
    e.string("hostile");
    e.varint(1);
    e.u8(static_cast<uint8_t>(Tag::Type));  // type 0: double
    e.u8(SNOW_K_FLOAT);
    e.string("double");
    e.varint(8);
    e.varint(8);
    e.u8(1);
    e.u8(53);
    e.u8(static_cast<uint8_t>(Tag::Type));  // type 1: double *
    e.u8(SNOW_K_POINTER);
    e.string("");
    e.varint(sizeof(void*));
    e.varint(sizeof(void*));
    e.u8(0);
    e.u8(static_cast<uint8_t>(Tag::Root));
    e.u8(static_cast<uint8_t>(RootKind::Global));
    e.string("cz.mid");
    e.varint(1);
    e.u8(static_cast<uint8_t>(Tag::Data));
    e.varint(0);
    e.bytes("\0\0\0\0\0\0\0\0", sizeof(void*));
    e.u8(static_cast<uint8_t>(PtrTag::NewHeap));
    e.varint(0);                  // of double
    e.varint(uint64_t{1} << 40);  // 8 TiB of them
    e.varint(0);
    w.flush();
  }
  auto s = sink.take();
  CHECK_FALSE(try_restore(s));
  REQUIRE(zoo_track(&g_dst, "cz") == 0);
  MemorySource in(s);
  RestoreOptions opt;
  opt.max_bytes = 1u << 20;
  CHECK_THROWS_WITH(Restorer(Registry::process(), opt).run(in),
                    Catch::Contains("needs more than 1048576 bytes"));
  zoo_untrack(&g_dst);
}

// Found by the fuzzer: a root whose type the stream describes as a struct
// of 2^40 bytes made the restorer stage the whole "element" in memory.
TEST_CASE("a source type far larger than the native one is not the same type", "[msr][corrupt][regression]") {
  struct small {
    int a;
  };
  static const snow_field fields[] = {{"a", &snow_type_int, 0, 0, nullptr, nullptr}};
  static const snow_type T_small = {SNOW_K_STRUCT, "struct test_small", sizeof(small), alignof(small), 0, nullptr, 0,
                                    1, fields, nullptr};
  MemorySink sink;
  {
    FrameWriter w(sink);
    Encoder e(w);
    e.tag(Tag::Hello);
    auto blob = Platform::local().encode();
    e.varint(blob.size());
    e.bytes(blob.data(), blob.size());
    e.varint(0);
    e.string("hostile");
    e.varint(1);
    e.u8(static_cast<uint8_t>(Tag::Type));  // type 0: int
    e.u8(SNOW_K_INT);
    e.string("int");
    e.varint(4);
    e.varint(4);
    e.u8(1);
    e.u8(static_cast<uint8_t>(Tag::Type));  // type 1: struct test_small of 2^40 bytes
    e.u8(SNOW_K_STRUCT);
    e.string("struct test_small");
    e.varint(uint64_t{1} << 40);
    e.varint(4);
    e.u8(0);
    e.varint(1);
    e.string("a");
    e.varint(0);
    e.varint(0);
    e.varint(0);
    e.u8(static_cast<uint8_t>(Tag::Root));
    e.u8(static_cast<uint8_t>(RootKind::Global));
    e.string("small");
    e.varint(1);
    e.u8(static_cast<uint8_t>(Tag::Data));
    e.varint(0);
    w.flush();
  }
  Registry reg;
  small v{};
  reg.track(&v, &T_small, "small");
  MemorySource in(sink.take());
  CHECK_THROWS_WITH(Restorer(reg).run(in), Catch::Contains("1099511627776 bytes there, 4 here"));
}
