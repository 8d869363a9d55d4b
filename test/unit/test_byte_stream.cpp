#include "libsnowpvm/util/byte_stream.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <numeric>
#include <thread>

using namespace snow;

TEST_CASE("memory streams round-trip and report truncation", "[stream]") {
  MemorySink sink;
  uint32_t v = 0xdeadbeef;
  sink.write(&v, sizeof v);
  MemorySource src(sink.take());
  uint32_t w = 0;
  src.read_exact(&w, sizeof w);
  CHECK(w == v);
  CHECK_THROWS_WITH(src.read_exact(&w, 1), Catch::Contains("truncated state stream"));
}

TEST_CASE("fd streams carry more than their buffers through a pipe", "[stream]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::vector<uint8_t> data(1 << 20);
  std::iota(data.begin(), data.end(), 0);
  std::thread writer([&] {
    FdSink sink(fds[1], /*owns=*/true, 4096);
    for (size_t i = 0; i < data.size(); i += 1000)
      sink.write(data.data() + i, std::min<size_t>(1000, data.size() - i));
  });
  FdSource src(fds[0], /*owns=*/true, 8192);
  std::vector<uint8_t> got(data.size());
  src.read_exact(got.data(), got.size());
  writer.join();
  CHECK(got == data);
  uint8_t extra;
  CHECK(src.read_some(&extra, 1) == 0);
}
