#include "libsnowpvm/msr/crc32c.h"
#include "libsnowpvm/migrate/state_stream.h"
#include "libsnowpvm/migrate/streamed_state.h"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

using namespace snow;
using namespace snow::migrate;
using namespace std::chrono_literals;

namespace {

struct Pair {
  Socket a, b;
  Pair() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    a = Socket(fds[0]);
    b = Socket(fds[1]);
  }
};

}  // namespace

TEST_CASE("a frame ends with the CRC-32C of its header and payload", "[stream]") {
  const std::string s = "123456789";
  CHECK(msr::crc32c(0, s.data(), s.size()) == 0xe3069283u);  // the reference value
  std::vector<uint8_t> payload(s.begin(), s.end());
  auto f = encode_frame(FrameKind::State, 7, payload);
  REQUIRE(f.size() == 15 + payload.size() + 4);
  uint32_t tail = (uint32_t{f[f.size() - 4]} << 24) | (uint32_t{f[f.size() - 3]} << 16) |
                  (uint32_t{f[f.size() - 2]} << 8) | f[f.size() - 1];
  CHECK(tail == msr::crc32c(0, f.data(), f.size() - 4));
  CHECK(tail == frame_checksum(f.data(), f.data() + 15, payload.size()));
}

TEST_CASE("frames round-trip, verdicts carry the reason", "[stream]") {
  Pair p;
  StateStream src(std::move(p.a), 7, {});
  StateStream dst(std::move(p.b), 7, {});
  std::vector<uint8_t> big(100000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  src.send(FrameKind::State, big);
  CHECK(dst.receive(FrameKind::State, 5s) == big);
  std::vector<uint8_t> none;
  src.send(FrameKind::Output, none);
  CHECK(dst.receive(FrameKind::Output, 5s).empty());
  dst.send(FrameKind::Verdict, verdict_refuse("x: too wide"));
  CHECK(verdict_reason(src.receive(FrameKind::Verdict, 5s)) == "x: too wide");
  dst.send(FrameKind::Verdict, verdict_ok());
  CHECK(verdict_reason(src.receive(FrameKind::Verdict, 5s)).empty());
}

TEST_CASE("a damaged, foreign or mismatched frame is refused", "[stream]") {
  auto check = [](std::vector<uint8_t> frame, FrameKind want, const char* what) {
    Pair p;
    REQUIRE(::write(p.a.fd(), frame.data(), frame.size()) == static_cast<ssize_t>(frame.size()));
    StateStream dst(std::move(p.b), 7, {});
    CHECK_THROWS_WITH(dst.receive(want, 2s), Catch::Contains(what));
  };
  auto good = encode_frame(FrameKind::State, 7, {1, 2, 3, 4});
  auto flipped = good;
  flipped[16] ^= 0x40;
  check(flipped, FrameKind::State, "checksum mismatch");
  check(good, FrameKind::Hello, "expected hello");
  check(encode_frame(FrameKind::State, 8, {1}), FrameKind::State, "migration 8");
  auto version = good;
  version[5] = 9;
  check(version, FrameKind::State, "version");
  check({'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '0', '\n'}, FrameKind::Hello,
        "bad magic");
}

TEST_CASE("a closed stream and a silent one fail with a reason", "[stream]") {
  {
    Pair p;
    StateStream dst(std::move(p.b), 1, {});
    p.a = Socket();
    CHECK_THROWS_WITH(dst.receive(FrameKind::Hello, 2s), Catch::Contains("closed"));
  }
  Pair p;
  int idle = 0;
  StateStream dst(std::move(p.b), 1, [&] { ++idle; });
  CHECK_THROWS_WITH(dst.receive(FrameKind::Hello, 100ms), Catch::Contains("timed out"));
  CHECK(idle > 0);  // the runtime keeps serving PVM messages while it waits
}

TEST_CASE("with wake descriptors a wait serves them as soon as they are readable", "[stream]") {
  Pair p, pvm;  // pvm.b stands for libpvm's socket
  int idle = 0;
  StateStream dst(std::move(p.b), 1, [&] {
    char c;
    while (::recv(pvm.b.fd(), &c, 1, MSG_DONTWAIT) == 1) ++idle;
  }, [&] { return std::vector<int>{pvm.b.fd()}; });
  StateStream src(std::move(p.a), 1, {});
  REQUIRE(::write(pvm.a.fd(), "x", 1) == 1);
  auto t = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(dst.receive(FrameKind::Hello, 300ms), Catch::Contains("timed out"));
  CHECK(idle == 1);
  CHECK(std::chrono::steady_clock::now() - t >= 300ms);
  src.send(FrameKind::Hello, {9});
  CHECK(dst.receive(FrameKind::Hello, 2s) == std::vector<uint8_t>{9});
}

TEST_CASE("a streamed state arrives whole while it is written, and a broken one fails", "[stream]") {
  using Clock = std::chrono::steady_clock;
  std::vector<uint8_t> big(3 * kStreamChunk + 12345);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 13 + (i >> 9));
  {
    Pair p;
    std::thread writer([&] {  // more than the socket holds: both sides run at once
      SocketSink sink(p.a.fd(), Clock::now() + 5s);
      sink.write(big.data(), 100);
      sink.write(big.data() + 100, big.size() - 100);
      sink.flush();
      CHECK(sink.bytes() == big.size());
    });
    SocketSource src(p.b.fd(), Clock::now() + 5s);
    std::vector<uint8_t> got(big.size());
    src.read_exact(got.data(), got.size());
    writer.join();
    CHECK(got == big);
    CHECK(src.bytes() == big.size());
  }
  {
    Pair p;
    REQUIRE(::write(p.a.fd(), big.data(), 10) == 10);
    p.a = Socket();
    SocketSource src(p.b.fd(), Clock::now() + 2s);
    std::vector<uint8_t> got(20);
    CHECK_THROWS_WITH(src.read_exact(got.data(), got.size()), Catch::Contains("closed"));
  }
  {
    Pair p;
    SocketSource src(p.b.fd(), Clock::now() + 100ms);
    uint8_t c;
    CHECK_THROWS_WITH(src.read_some(&c, 1), Catch::Contains("timed out"));
    SocketSink sink(p.a.fd(), Clock::now() + 100ms);  // nobody reads
    CHECK_THROWS_WITH([&] { for (int i = 0; i < 1000; ++i) sink.write(big.data(), big.size()); }(),
                      Catch::Contains("timed out"));
  }
}
