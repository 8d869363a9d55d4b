// Poll-points and message calls as migration points: deciding, at a point
// where the program can unwind, whether to start migrating now.  Also the
// deferrals (functions that cannot unwind, open files) and the
// test hooks of snow_exec.h.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/exec/open_files.h"
#include "libsnowpvm/util/log.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>

#include "config.h"

extern "C" {
volatile int snow_exec_attention = 0;
}

namespace {

int g_inhibit = 0;   // active functions that cannot unwind
int g_open_io = 0;   // pipes, descriptors... the program opened that cannot move
bool g_precompiled = false;
bool g_deferral_logged = false;

// Test hooks.
long g_polls = 0;          // poll-points seen by the slow path
long g_rehearse_at = 0;    // SNOW_EXEC_REHEARSE
long g_trigger_at = 0;     // SNOW_EXEC_TRIGGER
std::string g_trigger_file;
std::string g_count_file;  // SNOW_EXEC_COUNT
bool g_rehearsing = false;

void write_count() {
  std::ofstream f(g_count_file, std::ios::trunc);
  f << g_polls << "\n";
}

// Claim the trigger file (the first task to create it wins), publish this
// task's tid in it and wait for the migration request the test sends with
// `snow migrate`.
bool pull_trigger() {
  std::string claim = g_trigger_file + ".claim";
  int fd = open(claim.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) {
    spdlog::info("exec: trigger: {} was claimed by another task; ignoring", g_trigger_file);
    return false;
  }
  close(fd);
  int tid = [] {
    snow::comm::trace::Untraced own_call;  // not the application's call
    return snow_mytid();
  }();
  std::string tmp = g_trigger_file + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << tid << " " << SNOW_ARCH << "\n";
  }
  std::rename(tmp.c_str(), g_trigger_file.c_str());
  spdlog::info("exec: trigger: poll={} tid={:#x} file={}: waiting for a migration request", g_polls, tid,
               g_trigger_file);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  // Not just the signal (snow_poll_pending): the scheduler's request
  // message must have arrived too, or snow_migrate_begin at this very point
  // would find nothing to serve and the task might end before the next one.
  auto& rt = snow::comm::Runtime::get();
  while (!rt.migration_requested()) {
    // A migration that fails before the request (the destination cannot
    // start the program) never sends one: the test removes the file.
    if (::access(g_trigger_file.c_str(), F_OK) != 0) {
      spdlog::info("exec: trigger: {} was removed; carrying on", g_trigger_file);
      return false;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      spdlog::error("exec: trigger: no migration request arrived within 300 s; carrying on");
      return false;
    }
    // Held, it still takes messages and grants connections, as a task
    // blocked in a receive does (a peer connecting to it would wait).
    rt.pump(snow::pvmio::Wait::upto(std::chrono::milliseconds(5)));
    rt.safe_point();
  }
  snow_poll_pending = 1;
  return true;
}

}  // namespace

namespace {
void update_attention();
}

namespace snow::exec {

bool precompiled() { return g_precompiled; }
void set_precompiled() { g_precompiled = true; }

const char* deferral_reason() {
  if (g_inhibit > 0) return "a function that cannot save its frame is active";
  if (g_open_io > 0) return snow::exec::open_io_reason();
  return "";
}

void count_open_io(int delta) { g_open_io += delta; }

void init_hooks(const std::string& program) {
  if (const char* r = std::getenv("SNOW_EXEC_REHEARSE")) {
    g_rehearse_at = std::atol(r);
    if (g_rehearse_at > 0) spdlog::info("exec: hook: rehearse unwinding at poll-point {}", g_rehearse_at);
  }
  if (const char* t = std::getenv("SNOW_EXEC_TRIGGER")) {
    // K:FILE[:ARCH[:PROGRAM]] (empty ARCH: any)
    std::vector<std::string> part;
    std::string s = t;
    for (size_t at = 0;;) {
      size_t c = s.find(':', at);
      part.push_back(s.substr(at, c == std::string::npos ? std::string::npos : c - at));
      if (c == std::string::npos) break;
      at = c + 1;
    }
    if (part.size() >= 2) {
      g_trigger_at = std::atol(part[0].c_str());
      g_trigger_file = part[1];
    }
    if (part.size() >= 3 && !part[2].empty() && part[2] != SNOW_ARCH) g_trigger_at = 0;
    if (part.size() >= 4 && part[3] != program) g_trigger_at = 0;
    if (g_trigger_at > 0 && !g_trigger_file.empty())
      spdlog::info("exec: hook: migration trigger at migration point {} file={}", g_trigger_at, g_trigger_file);
    else
      g_trigger_at = 0;
  }
  if (const char* c = std::getenv("SNOW_EXEC_COUNT")) {
    g_count_file = c;
    std::atexit(write_count);
  }
  update_attention();
}

bool rehearsing() { return g_rehearsing; }
void rehearsal_done() { g_rehearsing = false; }

// (stdio is left alone: the migration writes out the program's complete
// lines at Fig. 5 line 9 and hands its unfinished line to the new process,
// migrate/unfinished_line.h.)
void commit_unwinding(const char* where) {
  snow_exec_state = SNOW_EXEC_UNWINDING;
  spdlog::info("exec: unwinding: at={} rehearsal={}", where, g_rehearsing ? "yes" : "no");
}

}  // namespace snow::exec

namespace {

// A migration or checkpoint request may be pending (or a hook wants this
// point): can and should the process start unwinding here?
int decide(const char* where) {
  if (snow_exec_state != SNOW_EXEC_RUNNING) return 0;
  // Take in what woke us (a request message after SIGUSR1); a process
  // that is no task has only its periodic checkpoints.
  if (snow::exec::enrolled()) snow::comm::Runtime::get().safe_point();
  else snow_poll_pending = 0;
  const bool checkpoint = snow::exec::checkpoint_due();
  const bool migration = snow::exec::enrolled() && snow::comm::Runtime::get().migration_requested();
  if (!checkpoint && !migration) return 0;
  const char* why = snow::exec::deferral_reason();
  if (*why) {
    if (!g_deferral_logged) {
      spdlog::info("exec: {} deferred: at={} reason=\"{}\"", checkpoint ? "checkpoint" : "migration", where, why);
      g_deferral_logged = true;
    }
    if (checkpoint) {
      snow::exec::checkpoint_postpone();
      snow_poll_pending = 1;
    }
    return 0;
  }
  g_deferral_logged = false;
  if (checkpoint) {  // a migration request waits for a later point
    snow::exec::commit_unwinding(where);
    spdlog::info("exec: unwinding for a checkpoint");
    return 1;
  }
  int rc = snow_migrate_begin();
  if (rc != 0) {
    spdlog::warn("exec: migration not started: at={} status={} ({}); carrying on", where, rc,
                 snow_strerror(rc));
    return 0;
  }
  snow::exec::commit_unwinding(where);
  return 1;
}

}  // namespace

namespace {

void update_attention() {
  snow_exec_attention = (g_rehearse_at > 0 || g_trigger_at > 0 || !g_count_file.empty()) ? 1 : 0;
}

// One migration point passed while a hook is active.  Returns 1 when the
// process must unwind here (a rehearsal).
int hook_point() {
  ++g_polls;
  int unwind = 0;
  if (g_rehearse_at > 0 && g_polls >= g_rehearse_at) {
    if (const char* why = snow::exec::deferral_reason(); *why) {
      spdlog::info("exec: rehearsal at migration point {} deferred: {}", g_polls, why);
    } else {
      g_rehearse_at = 0;
      g_rehearsing = true;
      snow::exec::commit_unwinding("poll-point (rehearsal)");
      unwind = 1;
    }
  }
  if (g_trigger_at > 0 && g_polls == g_trigger_at) {
    g_trigger_at = 0;
    pull_trigger();
  }
  update_attention();
  return unwind;
}

}  // namespace

extern "C" {

int snow_exec_poll(void) {
  if (snow_exec_attention) {
    if (hook_point()) return 1;
    if (!snow_poll_pending) return 0;
  }
  return decide("poll-point");
}

int snow_exec_comm_point(void) {
  if (snow_exec_attention) {
    if (hook_point()) return 1;
    if (!snow_poll_pending) return 0;
  }
  return decide("message call");
}

// The communication runtime has already started the migration (Fig. 5
// lines 1-8) while the call was blocked; it returns SnowUnwinding only
// after snow_exec_unwind_ok() allowed it, so the process is committed.
int snow_exec_migration_point(void) {
  if (snow_exec_state != SNOW_EXEC_RUNNING) return 0;
  snow::exec::commit_unwinding("message call");
  return 1;
}

int snow_exec_unwind_ok(void) {
  return g_precompiled && snow_exec_state == SNOW_EXEC_RUNNING && !*snow::exec::deferral_reason();
}

void snow_exec_inhibit_enter(void) { ++g_inhibit; }
void snow_exec_inhibit_leave(void) {
  if (--g_inhibit < 0) g_inhibit = 0;
}

}  // extern "C"
