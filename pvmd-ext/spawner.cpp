#include "pvmd-ext/spawner.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/util/error.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <list>
#include <utility>
#include <vector>

// libpvm's record of where the children this task spawns send their
// output (struct Pvmtracer, pvmtev.h); pvm_spawn packs it into TM_SPAWN.
extern "C" struct Pvmtracer pvmctrc;

namespace snow::ext {
namespace {

// Sets an environment variable for the scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* v = std::getenv(name_.c_str())) old_ = v, had_ = true;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) setenv(name_.c_str(), old_.c_str(), 1);
    else unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

// Sends the output of the tasks spawned in this scope to <tid, ctx, tag>,
// the original task's output collector (pvm_catchout, the console's
// "spawn ->"), restoring the extension's own setting after.  Not through
// pvm_setopt(PvmOutputTid): libpvm accepts only this task's own tid or its
// own output destination there (lpvmgen.c) and quietly returns
// PvmBadParam for anything else, which left the migrated process's output
// uncollected.  With the record set, the destination pvmd announces the new
// process to the collector (TO_NEW) and forwards its output, as for any
// task spawned with collected output.
class ScopedChildOutput {
 public:
  ScopedChildOutput(int tid, int ctx, int tag)
      : tid_(pvmctrc.outtid), ctx_(pvmctrc.outctx), tag_(pvmctrc.outtag) {
    pvmctrc.outtid = tid;
    pvmctrc.outctx = ctx;
    pvmctrc.outtag = tag;
  }
  ~ScopedChildOutput() {
    pvmctrc.outtid = tid_;
    pvmctrc.outctx = ctx_;
    pvmctrc.outtag = tag_;
  }
  ScopedChildOutput(const ScopedChildOutput&) = delete;
  ScopedChildOutput& operator=(const ScopedChildOutput&) = delete;

 private:
  int tid_, ctx_, tag_;
};

std::string exported_with(const std::string& more) {
  std::string ex = std::getenv("PVM_EXPORT") ? std::getenv("PVM_EXPORT") : "";
  return ex.empty() ? more : ex + ":" + more;
}

}  // namespace

wire::SpawnResult Spawner::spawn(const wire::SpawnInit& m) {
  wire::SpawnResult r;
  r.mig = m.mig;
  char restore[64];
  std::snprintf(restore, sizeof restore, "%d:%x", m.mig, static_cast<unsigned>(m.vtid));
  std::vector<std::string> args = m.args;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string program = m.program;
  std::string where = host_;
  int tid = 0, n = 0;
  {
    ScopedEnv env("SNOW_RESTORE", restore);
    // What the original hands on (wire::kCarriedEnv: periodic checkpoints,
    // injected faults); anything else in the list is ignored.
    std::list<ScopedEnv> carried;
    std::string exported = "SNOW_RESTORE";
    for (const auto& entry : m.env) {
      if (!wire::carried_env_entry(entry)) {
        spdlog::warn("spawn-init: mig={} ignores environment entry '{}'", m.mig, entry.substr(0, 64));
        continue;
      }
      auto eq = entry.find('=');
      carried.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
      exported += ":" + entry.substr(0, eq);
    }
    ScopedEnv exp("PVM_EXPORT", exported_with(exported));
    ScopedChildOutput output(m.out_tid > 0 ? m.out_tid : 0, m.out_ctx, m.out_tag);
    pvmio::ContextGuard ctx(m.app_ctx);  // the child inherits it (PVMCTX)
    pvmio::QuietGuard quiet;
    n = pvm_spawn(program.data(), argv.data(), PvmTaskHost, where.data(), 1, &tid);
    if (n != 1 && tid == PvmNoFile && !m.same_arch_path.empty()) {
      std::string path = m.same_arch_path;
      spdlog::info("spawn-init: mig={} {} is not in this host's program path; trying {}", m.mig, m.program, path);
      n = pvm_spawn(path.data(), argv.data(), PvmTaskHost, where.data(), 1, &tid);
    }
  }
  if (n == 1 && tid > 0) {
    r.tid = tid;
    spdlog::info("spawn-init: mig={} vtid={} program={} tid={} output={}", m.mig, tid_str(m.vtid), m.program,
                 tid_str(tid), m.out_tid > 0 ? tid_str(m.out_tid) : "-");
  } else {
    int code = n < 0 ? n : (tid < 0 ? tid : PvmCantStart);
    r.tid = code;
    r.error = std::string("cannot start ") + m.program + " on " + host_ + ": " + pvm_error_name(code);
    spdlog::error("spawn-init: mig={} {}", m.mig, r.error);
  }
  return r;
}

}  // namespace snow::ext
