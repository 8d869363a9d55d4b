#include "libsnowpvm/migrate/crc32.h"
#include "libsnowpvm/migrate/state_stream.h"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <string>

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

TEST_CASE("crc32 matches the reference value", "[stream]") {
  const std::string s = "123456789";
  CHECK(crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()) == 0xcbf43926u);
}

TEST_CASE("frames round-trip, verdicts carry the reason", "[stream]") {
  Pair p;
  StateStream src(std::move(p.a), 7, {});
  StateStream dst(std::move(p.b), 7, {});
  std::vector<uint8_t> big(100000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  src.send(FrameKind::State, big);
  CHECK(dst.receive(FrameKind::State, 5s) == big);
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
