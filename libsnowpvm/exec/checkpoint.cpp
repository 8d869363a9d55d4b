// Checkpoints of pre-compiled programs at a poll-point: on request (`snow
// checkpoint`, through the scheduler) or every SNOW_CHECKPOINT_EVERY
// seconds into SNOW_CHECKPOINT_FILE.  A checkpoint unwinds the whole chain
// like a migration, writes the memory state (frame records included) to
// the file from main(), and re-enters the chain in place -- or ends the
// process when the operator asked for --stop.  `snow restart FILE` resumes
// it at that poll-point on any architecture.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/msr/last_error.h"
#include "libsnowpvm/msr/provider.h"
#include "libsnowpvm/util/log.h"
#include "snowpvm.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace snow::exec {
namespace {

struct Order {
  std::string file;
  bool stop = false;
  int ck = 0;  // the scheduler's request number; 0: periodic
};

bool g_enrolled = false;
std::optional<Order> g_current;  // being taken (between the poll-point and main)
std::string g_periodic_file;
std::atomic<bool> g_periodic_due{false};

// A request deferred this long (the state cannot be saved meanwhile: open
// files, a function that cannot unwind) is dropped: the scheduler has told
// the operator it failed (scheduler Limits::checkpoint), and a late --stop
// must not end the task.
constexpr auto kRequestLimit = std::chrono::seconds(170);
std::optional<std::pair<int, std::chrono::steady_clock::time_point>> g_deferred;  // ck, since

// SNOW_CHECKPOINT_EVERY accepts whole seconds in this range.
constexpr long kMinPeriodSeconds = 1;
constexpr long kMaxPeriodSeconds = 7L * 24 * 3600;

void report(const Order& o, bool ok, uint64_t bytes, const std::string& text) {
  if (o.ck <= 0 || !g_enrolled) return;
  auto& rt = comm::Runtime::get();
  int sched = rt.services.scheduler();
  if (!sched) {
    spdlog::warn("checkpoint: the scheduler cannot be reached to report checkpoint {}", o.ck);
    return;
  }
  wire::CheckpointDone d;
  d.ck = o.ck;
  d.ok = ok;
  d.bytes = bytes;
  d.text = text;
  rt.send_control(sched, d);
}

}  // namespace

bool enrolled() { return g_enrolled; }
void set_enrolled(bool e) { g_enrolled = e; }

void init_periodic_checkpoints() {
  const char* every = std::getenv("SNOW_CHECKPOINT_EVERY");
  const char* file = std::getenv("SNOW_CHECKPOINT_FILE");
  if (!every || !*every) return;
  char* end = nullptr;
  long s = std::strtol(every, &end, 10);
  if (!file || !*file || *end != '\0' || s < kMinPeriodSeconds || s > kMaxPeriodSeconds) {
    spdlog::warn("checkpoint: SNOW_CHECKPOINT_EVERY='{}' needs whole seconds ({}..{}) and SNOW_CHECKPOINT_FILE "
                 "a file; no periodic checkpoints",
                 every, kMinPeriodSeconds, kMaxPeriodSeconds);
    return;
  }
  g_periodic_file = file;
  spdlog::info("checkpoint: every {} s into {}", s, g_periodic_file);
  std::thread([s] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(s));
      g_periodic_due = true;
      snow_poll_pending = 1;  // the next poll-point takes the slow path
    }
  }).detach();
}

bool checkpoint_due() {
  if (g_enrolled) {
    auto& rt = comm::Runtime::get();
    if (rt.checkpoint_request) {
      const auto r = *rt.checkpoint_request;
      rt.checkpoint_request.reset();
      if (g_deferred && g_deferred->first == r.ck &&
          std::chrono::steady_clock::now() - g_deferred->second > kRequestLimit) {
        spdlog::warn("checkpoint: request {} was deferred for more than {} s; dropped", r.ck,
                     std::chrono::duration_cast<std::chrono::seconds>(kRequestLimit).count());
        report(Order{r.file, r.stop, r.ck}, false, 0, "deferred too long: " + std::string(deferral_reason()));
        g_deferred.reset();
      } else {
        g_current = Order{r.file, r.stop, r.ck};
        return true;
      }
    }
  }
  if (g_periodic_due.exchange(false)) {
    g_current = Order{g_periodic_file, false, 0};
    return true;
  }
  return false;
}

// A checkpoint request that cannot be served now (the state cannot be
// saved at the moment): put it back for a later poll-point.
void checkpoint_postpone() {
  if (!g_current) return;
  if (g_current->ck > 0 && g_enrolled) {
    if (!g_deferred || g_deferred->first != g_current->ck)
      g_deferred = std::make_pair(g_current->ck, std::chrono::steady_clock::now());
    wire::CheckpointRequest r;
    r.ck = g_current->ck;
    r.file = g_current->file;
    r.stop = g_current->stop;
    comm::Runtime::get().checkpoint_request = r;
  } else {
    g_periodic_due = true;
  }
  g_current.reset();
}

bool checkpointing() { return g_current.has_value(); }

void finish_checkpoint() {
  Order o = *g_current;
  g_current.reset();
  // What the program printed so far belongs before the checkpoint: a
  // restarted process prints only what comes after it.
  std::fflush(nullptr);
  auto t0 = std::chrono::steady_clock::now();
  std::string error;
  uint64_t bytes = 0;
  try {
    auto s = msr::write_checkpoint(msr::Registry::process(), o.file);
    bytes = s.stream_bytes;
    spdlog::info("checkpoint: file={} frames={} blocks={} bytes={} seconds={:.6f}", o.file, chain_length(),
                 s.blocks, s.stream_bytes,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  } catch (const std::exception& e) {
    error = e.what();
    msr::set_last_error("checkpoint", error);
  }
  if (!error.empty()) {
    spdlog::error("checkpoint: writing {} failed: {}; carrying on", o.file, error);
    report(o, false, 0, "writing " + o.file + " failed: " + error);
    return;
  }
  report(o, true, bytes, "");
  if (!o.stop) return;
  spdlog::info("checkpoint: stopping as requested");
  if (g_enrolled) snow_exit();
  spdlog::default_logger()->flush();
  std::exit(0);
}

}  // namespace snow::exec
