// Which local tasks are SNOW tasks, and what to do with a connection
// request for one that has not said so yet (doc/plain-peers.md).
//
// Every SNOW runtime tells its host's extension that it is one as soon as
// it starts (wire::TaskIsSnow).  A conn_req for a local target that has
// not is held here: it is delivered once the target registers, answered
// conn_nack(Exited) if the target exits, and conn_nack(NotSnow) once the
// target process is older than kPlainPeerGrace -- a plain PVM task, which
// would never answer.  Pure logic: the caller supplies the clock and the
// age of a process, so that it can be tested without PVM.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <chrono>
#include <functional>
#include <optional>
#include <unordered_set>
#include <vector>

namespace snow::ext {

// Time a task process has, from its start, to register as a SNOW task:
// starting the runtime is among the first things a SNOW program does
// (pre-compiled programs: at the start of main), so this only covers
// process start-up, including qemu-user's.
inline constexpr std::chrono::milliseconds kPlainPeerGrace{3000};
// How often held requests are looked at again.
inline constexpr std::chrono::milliseconds kPlainPeerRecheck{100};

class PlainPeerHold {
 public:
  using Clock = std::chrono::steady_clock;
  // The age of the process behind a task id; nothing when it cannot be
  // told (then the age counts from when the first request was held).
  using AgeOf = std::function<std::optional<std::chrono::milliseconds>(int tid)>;

  struct Verdicts {
    std::vector<wire::ConnReq> deliver;   // the target registered
    std::vector<wire::ConnReq> not_snow;  // answer conn_nack(NotSnow)
    std::vector<wire::ConnReq> exited;    // answer conn_nack(Exited)
    bool empty() const { return deliver.empty() && not_snow.empty() && exited.empty(); }
  };

  // The target said it is a SNOW task: its held requests are delivered.
  Verdicts registered(int tid);
  bool is_snow(int tid) const { return snow_.count(tid) != 0; }
  // Known to be a plain task (a NotSnow verdict was given for it).
  bool is_plain(int tid) const { return plain_.count(tid) != 0; }

  // A request for a local target that has not registered.
  void hold(const wire::ConnReq& m, Clock::time_point now);
  // Look at the held requests again.
  Verdicts review(Clock::time_point now, const AgeOf& age_of);
  // The target exited: its held requests are answered "exited" and it is
  // forgotten.
  Verdicts exited(int tid);

  size_t held() const { return held_.size(); }

 private:
  struct Held {
    wire::ConnReq req;
    Clock::time_point since;
  };
  std::vector<Held> held_;
  std::unordered_set<int> snow_, plain_;
};

}  // namespace snow::ext
