// The extension's decision about connection requests for local tasks that
// have not (yet) said they are SNOW tasks (pvmd-ext/plain_peer_hold.h),
// and the reading of a process's age from /proc (pvmd-ext/process_age.h).
#include "pvmd-ext/plain_peer_hold.h"
#include "pvmd-ext/process_age.h"

#include <catch2/catch.hpp>

using namespace snow;
using namespace std::chrono_literals;
using ext::PlainPeerHold;

namespace {

constexpr int kTarget = 0x40005, kOther = 0x40006, kRequester = 0x80003;

wire::ConnReq req(int id, int to) {
  wire::ConnReq m;
  m.req_id = id;
  m.from_vtid = m.from_real = kRequester;
  m.to_vtid = m.to_real = to;
  return m;
}

// The age the extension would read from /proc, per target.
struct Ages {
  std::optional<std::chrono::milliseconds> target, other;
  int lookups = 0;
  PlainPeerHold::AgeOf fn() {
    return [this](int tid) {
      ++lookups;
      return tid == kTarget ? target : other;
    };
  }
};

}  // namespace

TEST_CASE("plain-peer hold: a request waits for its target to register, then is delivered", "[ext]") {
  PlainPeerHold h;
  auto t0 = PlainPeerHold::Clock::now();
  h.hold(req(1, kTarget), t0);
  h.hold(req(2, kOther), t0);
  Ages ages{100ms, 100ms};
  CHECK(h.review(t0 + 100ms, ages.fn()).empty());  // young processes: still starting up
  auto v = h.registered(kTarget);
  REQUIRE(v.deliver.size() == 1);
  CHECK(v.deliver[0].req_id == 1);
  CHECK(h.is_snow(kTarget));
  CHECK(h.held() == 1);  // the other one still waits
}

TEST_CASE("plain-peer hold: a target older than the grace that never registered is not a SNOW task",
          "[ext]") {
  PlainPeerHold h;
  auto t0 = PlainPeerHold::Clock::now();
  h.hold(req(1, kTarget), t0);
  h.hold(req(2, kTarget), t0);
  h.hold(req(3, kOther), t0);
  Ages ages{ext::kPlainPeerGrace + 1ms, 10ms};
  auto v = h.review(t0 + 1ms, ages.fn());  // at once: the process has been running for long
  REQUIRE(v.not_snow.size() == 2);
  CHECK(v.not_snow[0].req_id == 1);
  CHECK(v.not_snow[1].req_id == 2);
  CHECK(ages.lookups == 2);  // one lookup per target, not per request
  CHECK(h.is_plain(kTarget));
  CHECK_FALSE(h.is_plain(kOther));
  CHECK(h.held() == 1);
  // The young one becomes old without registering.
  ages.other = ext::kPlainPeerGrace;
  v = h.review(t0 + 2ms, ages.fn());
  REQUIRE(v.not_snow.size() == 1);
  CHECK(v.not_snow[0].req_id == 3);
  CHECK(h.held() == 0);
}

TEST_CASE("plain-peer hold: without a process age, the grace counts from the first held request", "[ext]") {
  PlainPeerHold h;
  auto t0 = PlainPeerHold::Clock::now();
  h.hold(req(1, kTarget), t0);
  Ages ages{std::nullopt, std::nullopt};
  CHECK(h.review(t0 + ext::kPlainPeerGrace - 1ms, ages.fn()).empty());
  CHECK(h.review(t0 + ext::kPlainPeerGrace, ages.fn()).not_snow.size() == 1);
}

TEST_CASE("plain-peer hold: a held target that exits gets its requests answered 'exited'", "[ext]") {
  PlainPeerHold h;
  auto t0 = PlainPeerHold::Clock::now();
  h.hold(req(1, kTarget), t0);
  h.hold(req(2, kOther), t0);
  auto v = h.exited(kTarget);
  REQUIRE(v.exited.size() == 1);
  CHECK(v.exited[0].req_id == 1);
  CHECK(v.deliver.empty());
  CHECK(v.not_snow.empty());
  CHECK(h.held() == 1);
  // A registration after the exit (a stale one) delivers nothing for it.
  CHECK(h.registered(kTarget).deliver.empty());
}

TEST_CASE("plain-peer hold: registering late (a slow start) still wins before the grace", "[ext]") {
  PlainPeerHold h;
  auto t0 = PlainPeerHold::Clock::now();
  h.hold(req(1, kTarget), t0);
  Ages ages{ext::kPlainPeerGrace - 1ms, std::nullopt};
  CHECK(h.review(t0 + 50ms, ages.fn()).empty());
  CHECK(h.registered(kTarget).deliver.size() == 1);
  CHECK_FALSE(h.is_plain(kTarget));
}

TEST_CASE("process age: field 22 of /proc/<pid>/stat against the uptime, also with odd names", "[ext]") {
  // starttime 1000 ticks at 100 Hz = 10 s after boot; uptime 12.5 s.
  std::string stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 1000 "
                     "1000000 100 18446744073709551615";
  auto age = ext::process_age_from(stat, 12.5, 100);
  REQUIRE(age);
  CHECK(age->count() == 2500);
  CHECK_FALSE(ext::process_age_from("garbage", 12.5, 100));
  CHECK_FALSE(ext::process_age_from("1 (x) S 1 2", 12.5, 100));  // too short
  CHECK(ext::process_age_from(stat, 5.0, 100)->count() == 0);   // never negative
}
