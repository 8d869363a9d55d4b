// Poll-points and message calls as migration points: deciding, at a point
// where the program can unwind, whether to start migrating now.  Also the
// deferrals (functions that cannot unwind, open files, PVM groups) and the
// test hooks of snow_exec.h.
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

extern "C" {
volatile int snow_exec_attention = 0;
}

namespace {

int g_inhibit = 0;   // active functions that cannot unwind
int g_open_io = 0;   // files and descriptors the program opened
int g_groups = 0;    // PVM groups the task is in
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

// Publish this task's tid in the trigger file (atomically) and wait for the
// migration request the test sends with `snow migrate`.
bool pull_trigger() {
  if (access(g_trigger_file.c_str(), F_OK) == 0) {
    spdlog::info("exec: trigger: file={} exists already (fired in an earlier process); ignoring",
                 g_trigger_file);
    return false;
  }
  int tid = snow_mytid();
  std::string tmp = g_trigger_file + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << tid << "\n";
  }
  std::rename(tmp.c_str(), g_trigger_file.c_str());
  spdlog::info("exec: trigger: poll={} tid={:#x} file={}: waiting for a migration request", g_polls, tid,
               g_trigger_file);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (snow_poll_pending == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      spdlog::error("exec: trigger: no migration request arrived within 300 s; carrying on");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

namespace snow::exec {

bool precompiled() { return g_precompiled; }
void set_precompiled() { g_precompiled = true; }

const char* deferral_reason() {
  if (g_inhibit > 0) return "a function that cannot save its frame is active";
  if (g_open_io > 0) return "the program has open files or descriptors";
  if (g_groups > 0) return "the task is a member of a PVM group";
  return "";
}

void count_open_io(int delta) { g_open_io += delta; }
void count_groups(int delta) { g_groups += delta; }

void init_hooks() {
  if (const char* r = std::getenv("SNOW_EXEC_REHEARSE")) {
    g_rehearse_at = std::atol(r);
    if (g_rehearse_at > 0) spdlog::info("exec: hook: rehearse unwinding at poll-point {}", g_rehearse_at);
  }
  if (const char* t = std::getenv("SNOW_EXEC_TRIGGER")) {
    std::string s = t;
    auto colon = s.find(':');
    if (colon != std::string::npos) {
      g_trigger_at = std::atol(s.substr(0, colon).c_str());
      g_trigger_file = s.substr(colon + 1);
    }
    if (g_trigger_at > 0 && !g_trigger_file.empty())
      spdlog::info("exec: hook: migration trigger at poll-point {} file={}", g_trigger_at, g_trigger_file);
    else
      g_trigger_at = 0;
  }
  if (const char* c = std::getenv("SNOW_EXEC_COUNT")) {
    g_count_file = c;
    std::atexit(write_count);
  }
  if (g_rehearse_at > 0 || g_trigger_at > 0 || !g_count_file.empty()) snow_exec_attention = 1;
}

bool rehearsing() { return g_rehearsing; }
void rehearsal_done() { g_rehearsing = false; }

void commit_unwinding(const char* where) {
  std::fflush(nullptr);
  snow_exec_state = SNOW_EXEC_UNWINDING;
  spdlog::info("exec: unwinding: at={} rehearsal={}", where, g_rehearsing ? "yes" : "no");
}

}  // namespace snow::exec

namespace {

// A migration request is pending (or a hook wants this point): can and
// should the process start leaving here?
int decide(const char* where) {
  if (snow_exec_state != SNOW_EXEC_RUNNING) return 0;
  const char* why = snow::exec::deferral_reason();
  if (*why) {
    if (snow_poll_pending && !g_deferral_logged) {
      spdlog::info("exec: migration deferred: at={} reason=\"{}\"", where, why);
      g_deferral_logged = true;
    }
    return 0;
  }
  g_deferral_logged = false;
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

extern "C" {

int snow_exec_poll(void) {
  if (snow_exec_attention) {
    ++g_polls;
    if (g_rehearse_at > 0 && g_polls == g_rehearse_at) {
      snow_exec_attention = (g_trigger_at > 0 || !g_count_file.empty()) ? 1 : 0;
      if (*snow::exec::deferral_reason()) {
        spdlog::info("exec: rehearsal at poll-point {} deferred: {}", g_polls, snow::exec::deferral_reason());
        g_rehearse_at = g_polls + 1;
        return 0;
      }
      g_rehearsing = true;
      snow::exec::commit_unwinding("poll-point (rehearsal)");
      return 1;
    }
    if (g_trigger_at > 0 && g_polls == g_trigger_at) {
      g_trigger_at = 0;
      snow_exec_attention = (g_rehearse_at > g_polls || !g_count_file.empty()) ? 1 : 0;
      if (!pull_trigger()) return 0;
    }
    if (!snow_poll_pending) return 0;
  }
  return decide("poll-point");
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
