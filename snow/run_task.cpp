#include "snow/run_task.h"

#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/testbed/pvm_session.h"

#include <pvm3.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

namespace snow::cli {
namespace {

using Clock = std::chrono::steady_clock;
namespace report = comm::exit_report;

// pvmd's task output messages (pvmproto.h TO_*): int tid, int count, then
// count bytes; a count <= 0 is an event.
constexpr int kOutputEof = 0;
constexpr int kOutputSpawn = -1;  // followed by the spawner's tid
constexpr int kOutputNew = -2;    // followed by the parent's tid

volatile sig_atomic_t g_interrupt = 0;
extern "C" void on_interrupt(int sig) { g_interrupt = sig; }

// Forward SIGINT/SIGTERM/SIGHUP to the task, as a shell's terminal would
// reach its foreground job, instead of dying and leaving it behind.
class InterruptGuard {
 public:
  InterruptGuard() {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_interrupt;  // no SA_RESTART: waits return early
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &sa, &old_[i]);
    ::signal(SIGPIPE, SIG_IGN);  // a closed stdout is seen as EPIPE
  }
  ~InterruptGuard() {
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals{SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

// The output of one process of the task (each migration starts another).
struct Stream {
  std::string partial;  // an unfinished line
  bool open = true;     // no EOF yet, and the process still exists
  bool eof = false;     // pvmd said the output ended
};

class Collector {
 public:
  explicit Collector(int task) : task_(task) { streams_[task]; }

  // Returns false when our standard output has gone (EPIPE).
  bool take(int bufid);
  void check_liveness();
  void kill_open();
  void flush_partials();

  size_t open_count() const {
    size_t n = 0;
    for (const auto& [tid, s] : streams_) n += s.open ? 1 : 0;
    return n;
  }
  bool any_open() const {
    for (const auto& [tid, s] : streams_)
      if (s.open) return true;
    return false;
  }
  const std::optional<int>& status() const { return status_; }
  bool reporter_done() const {
    auto it = streams_.find(reporter_);
    return it == streams_.end() || it->second.eof;
  }
  Clock::time_point status_at() const { return status_at_; }
  Clock::time_point last_close() const { return last_close_; }
  bool stdout_broken() const { return stdout_broken_; }
  std::string tids() const {
    std::string s;
    for (const auto& [tid, st] : streams_) s += (s.empty() ? "" : ", ") + tid_str(tid);
    return s;
  }

 private:
  void write_out(const char* p, size_t n);
  void close(int tid, Stream& s, bool eof);

  int task_;
  std::map<int, Stream> streams_;
  std::optional<int> status_;
  int reporter_ = 0;
  Clock::time_point status_at_{}, last_close_{};
  bool stdout_broken_ = false;
};

void Collector::write_out(const char* p, size_t n) {
  while (n > 0 && !stdout_broken_) {
    ssize_t w = ::write(STDOUT_FILENO, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      stdout_broken_ = true;  // EPIPE: nobody reads any more
      return;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void Collector::close(int tid, Stream& s, bool eof) {
  if (!s.partial.empty()) write_out(s.partial.data(), s.partial.size());
  s.partial.clear();
  if (eof) s.eof = true;
  if (s.open) last_close_ = Clock::now();
  s.open = false;
  (void)tid;
}

bool Collector::take(int bufid) {
  int bytes = 0, tag = 0, src = 0;
  pvm_bufinfo(bufid, &bytes, &tag, &src);
  int prev = pvm_setrbuf(bufid);
  if (tag == report::kOutputTag || tag == report::kOutputTagTerminal) {
    int tid = 0, n = 0;
    if (pvm_upkint(&tid, 1, 1) >= 0 && pvm_upkint(&n, 1, 1) >= 0) {
      if (n > 0 && n <= bytes) {
        std::string chunk(static_cast<size_t>(n), '\0');
        if (pvm_upkbyte(chunk.data(), n, 1) >= 0) {
          auto& s = streams_[tid];
          s.partial += chunk;
          // One process printing (the usual case: a task's processes
          // follow each other): pass everything on at once.  Several: whole
          // lines only, so that their lines never mix.
          auto nl = s.partial.rfind('\n');
          size_t upto = open_count() <= 1 ? s.partial.size() : (nl == std::string::npos ? 0 : nl + 1);
          if (upto > 0) {
            write_out(s.partial.data(), upto);
            s.partial.erase(0, upto);
          }
        }
      } else if (n == kOutputEof) {
        close(tid, streams_[tid], true);
      } else if (n == kOutputSpawn || n == kOutputNew) {
        auto& s = streams_[tid];  // a migrated process announces itself so
        (void)s;
      } else {
        std::fprintf(stderr, "snow run: ignoring a malformed output message from %s (count %d)\n",
                     tid_str(src).c_str(), n);
      }
    }
  } else if (tag == report::kReportTag) {
    int vtid = 0, real = 0, code = 0;
    if (pvm_upkint(&vtid, 1, 1) >= 0 && pvm_upkint(&real, 1, 1) >= 0 && pvm_upkint(&code, 1, 1) >= 0 &&
        vtid == task_ && !status_) {
      status_ = code & 0xff;
      reporter_ = real;
      status_at_ = Clock::now();
    }
  }
  pvm_setrbuf(prev);
  pvm_freebuf(bufid);
  return !stdout_broken_;
}

void Collector::check_liveness() {
  for (auto& [tid, s] : streams_) {
    if (!s.open) continue;
    int rc = pvm_pstat(tid);
    if (rc == PvmNoTask || rc == PvmHostFail) close(tid, s, false);
  }
}

void Collector::kill_open() {
  for (auto& [tid, s] : streams_)
    if (s.open) pvm_kill(tid);
}

void Collector::flush_partials() {
  for (auto& [tid, s] : streams_) {
    if (!s.partial.empty()) write_out(s.partial.data(), s.partial.size());
    s.partial.clear();
  }
}

// The name of the host whose pvmd this process talks to.
std::string my_host(int mytid) {
  int dtid = pvm_tidtohost(mytid);
  int nhost = 0, narch = 0;
  pvmhostinfo* hosts = nullptr;
  if (pvm_config(&nhost, &narch, &hosts) < 0) throw Error("cannot read the virtual machine's configuration");
  for (int i = 0; i < nhost; ++i)
    if (hosts[i].hi_tid == dtid) return hosts[i].hi_name;
  throw Error("this host's pvmd is not in the virtual machine's configuration");
}

std::string spawn_error(int code, const TaskSpec& spec, const std::string& host) {
  std::string why = pvm_error_name(code);
  if (code == PvmNoFile) why = "the pvmd there cannot find or execute it (PvmNoFile)";
  return "cannot start " + spec.path + " on " + host + ": " + why;
}

void export_env(const std::map<std::string, std::string>& env) {
  std::string ex = std::getenv("PVM_EXPORT") ? std::getenv("PVM_EXPORT") : "";
  for (const auto& [k, v] : env) {
    setenv(k.c_str(), v.c_str(), 1);
    if (k == "PVM_EXPORT") continue;
    if ((":" + ex + ":").find(":" + k + ":") == std::string::npos) ex += (ex.empty() ? "" : ":") + k;
  }
  setenv("PVM_EXPORT", ex.c_str(), 1);
}

}  // namespace

// Runs hooks.before_exit on every way out, while the session is still open.
class BeforeExit {
 public:
  explicit BeforeExit(const RunHooks& hooks) : hooks_(hooks) {}
  ~BeforeExit() {
    if (hooks_.before_exit) hooks_.before_exit();
  }
  BeforeExit(const BeforeExit&) = delete;
  BeforeExit& operator=(const BeforeExit&) = delete;

 private:
  const RunHooks& hooks_;
};

int run_task(const TaskSpec& spec, const RunHooks& hooks) {
  testbed::PvmSession session;
  const int me = session.tid();
  BeforeExit at_exit(hooks);
  if (hooks.before_spawn) hooks.before_spawn(me);
  const std::string host = my_host(me);

  // On a terminal, the task's stdout is line-buffered as it would be there.
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  auto env = spec.env;
  env[report::kEnvVar] = terminal ? "tty" : "1";
  export_env(env);
  // Children's output to us, under our code; the task starts in context 0.
  pvm_setopt(PvmOutputTid, me);
  pvm_setopt(PvmOutputContext, report::kContext);
  pvm_setopt(PvmOutputCode, terminal ? report::kOutputTagTerminal : report::kOutputTag);
  std::vector<std::string> args = spec.args;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string file = spec.path;
  std::string where = host + ":" + spec.cwd;  // pvm_spawn's "host:working directory"
  InterruptGuard guard;  // from here on, an interrupt ends the task, not just us
  int tid = 0;
  int n = pvm_spawn(file.data(), args.empty() ? nullptr : argv.data(), PvmTaskHost, where.data(), 1, &tid);
  if (n < 1) throw Error(spawn_error(n < 0 ? n : tid, spec, host));
  if (hooks.after_spawn) hooks.after_spawn(tid);

  Collector out(tid);
  pvm_setcontext(report::kContext);
  auto next_liveness = Clock::now() + run_limits::kLivenessEvery;
  int interrupted = 0;
  Clock::time_point killed_at{};
  for (;;) {
    if (!interrupted && (g_interrupt || out.stdout_broken())) {
      interrupted = g_interrupt ? static_cast<int>(g_interrupt) : SIGPIPE;
      killed_at = Clock::now();
      out.kill_open();
    }
    if (hooks.poll) hooks.poll();
    timeval tv{0, std::chrono::duration_cast<std::chrono::microseconds>(run_limits::kReceivePoll).count()};
    int bufid = pvm_trecv(-1, -1, &tv);
    if (bufid > 0) {
      out.take(bufid);
      continue;  // drain what is there before deciding anything
    }
    if (bufid == PvmSysErr) std::this_thread::sleep_for(run_limits::kReceivePoll);  // e.g. a signal
    if (bufid < 0 && bufid != PvmSysErr) {
      out.flush_partials();
      std::fprintf(stderr, "snow run: lost this host's pvmd while task %s runs (%s)\n", tid_str(tid).c_str(),
                   pvm_error_name(bufid));
      return kNoStatus;
    }
    auto now = Clock::now();
    if (now >= next_liveness) {
      out.check_liveness();
      if (interrupted) out.kill_open();  // a process a migration started meanwhile
      next_liveness = now + run_limits::kLivenessEvery;
    }
    if (out.status()) {
      if ((out.reporter_done() && !out.any_open()) || now - out.status_at() > run_limits::kOutputAfterStatus) {
        out.flush_partials();
        return *out.status();
      }
      continue;
    }
    if (interrupted && now - killed_at > run_limits::kKillGrace) {
      out.flush_partials();
      std::fprintf(stderr, "snow run: task %s did not report how it ended after signal %d\n",
                   tid_str(tid).c_str(), interrupted);
      return 128 + interrupted;
    }
    if (!out.any_open() && now - out.last_close() > run_limits::kStatusAfterOutput) {
      out.flush_partials();
      std::fprintf(stderr,
                   "snow run: task %s (%s) ended without reporting an exit status: it was killed by a "
                   "signal it cannot catch (SIGKILL), its host failed, or the program lacks SNOW's "
                   "exit-status hook (processes: %s)\n",
                   tid_str(tid).c_str(), spec.path.c_str(), out.tids().c_str());
      return kNoStatus;
    }
  }
}

}  // namespace snow::cli
