#include "libsnowpvm/comm/exit_report.h"

#include <pvm3.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

// libpvm's own tid, -1 while this process is not enrolled (lpvmglob.c);
// read so that the hook can tell without enrolling.
extern "C" int pvmmytid;

// The text `snow run` looks for (exit_report.h: kMarkerHead + kMarkerTail).
extern "C" {
__attribute__((used)) const char snow_exit_report_marker[] = "snow-run-exit-report/1";
}

namespace snow::comm::exit_report {
namespace {

// How long a fatal signal's report may take before the process dies anyway
// (libpvm is not async-signal-safe: a handler that interrupted it may hang).
constexpr unsigned kSignalReportSeconds = 3;

// The signals whose default action ends the process and that a handler
// can see.  SIGUSR1/SIGUSR2 belong to the runtime, SIGALRM guards the
// report itself.
constexpr std::array kFatalSignals{SIGHUP, SIGINT,  SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
                                   SIGFPE, SIGSEGV, SIGPIPE, SIGTERM, SIGXCPU, SIGXFSZ, SIGSYS};

enum class State { Off, Armed, Waiting, Sent };

volatile sig_atomic_t g_state = static_cast<int>(State::Off);
bool g_env_started = false;   // snow run's variable was in our environment
bool g_handlers = false;      // on_exit and signal handlers installed
int g_vtid = 0;               // 0: not known (the first tid is the vtid)
int g_out_tid = 0;            // where the report goes, once known

State state() { return static_cast<State>(g_state); }

bool started_by_run(int out_tag) { return out_tag == kOutputTag || out_tag == kOutputTagTerminal; }

// `snow run` writes to a terminal: line-buffer stdout, as on a terminal.
// Only before the program has used stdout (setvbuf's rule).
void line_buffer_stdout() { std::setvbuf(stdout, nullptr, _IOLBF, 0); }

// Removes `name` from the colon-separated PVM_EXPORT list.
void drop_from_export(const std::string& name) {
  const char* ex = std::getenv("PVM_EXPORT");
  if (!ex) return;
  std::string kept, item;
  std::stringstream in(ex);
  while (std::getline(in, item, ':'))
    if (item != name && !item.empty()) kept += (kept.empty() ? "" : ":") + item;
  setenv("PVM_EXPORT", kept.c_str(), 1);
}

void report(int status) {
  if (state() != State::Armed) return;
  g_state = static_cast<int>(State::Sent);
  int me = pvmmytid;
  if (me <= 0) {
    // Not enrolled (never was, or pvm_exit() already ran): enrolling now
    // gives a task spawned by snow run its own tid and output settings.
    if (!g_env_started && g_out_tid <= 0) return;
    pvm_setopt(PvmAutoErr, 0);
    me = pvm_mytid();
    if (me < 0) return;
  }
  pvm_setopt(PvmAutoErr, 0);
  int to = g_out_tid;
  if (to <= 0) {
    if (!started_by_run(pvm_getopt(PvmSelfOutputCode))) {
      pvm_exit();
      return;
    }
    to = pvm_getopt(PvmSelfOutputTid);
  }
  int vtid = g_vtid > 0 ? g_vtid : me;
  int code = status;
  pvm_setopt(PvmRoute, PvmDontRoute);  // through the daemons: pvm_exit flushes it
  int buf = pvm_mkbuf(PvmDataDefault);
  int old_sbuf = pvm_setsbuf(buf);
  pvm_pkint(&vtid, 1, 1);
  pvm_pkint(&me, 1, 1);
  pvm_pkint(&code, 1, 1);
  int old_ctx = pvm_setcontext(kContext);
  if (to > 0) pvm_send(to, kReportTag);
  pvm_setcontext(old_ctx);
  pvm_setsbuf(old_sbuf);
  pvm_freebuf(buf);
  pvm_exit();
}

extern "C" void on_process_exit(int status, void*) { report(status & 0xff); }

extern "C" void on_fatal_signal(int sig) {
  // SA_RESETHAND: the default action is back; a second fault ends us.
  signal(SIGALRM, SIG_DFL);
  alarm(kSignalReportSeconds);
  report(128 + sig);
  raise(sig);
}

void install_handlers() {
  if (g_handlers) return;
  g_handlers = true;
  on_exit(on_process_exit, nullptr);
  for (int sig : kFatalSignals) {
    struct sigaction old;
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;  // the program's own
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sa.sa_handler = on_fatal_signal;
    sigaction(sig, &sa, nullptr);
  }
}

// Before main: a task spawned by `snow run` reports even if it never uses
// PVM itself.  The variable is not passed on to the task's own children.
__attribute__((constructor)) void from_environment() {
  const char* value = std::getenv(kEnvVar);
  if (!value || !*value) return;
  const std::string v = value;
  unsetenv(kEnvVar);
  drop_from_export(kEnvVar);
  if (v == "tty") line_buffer_stdout();
  g_env_started = true;
  g_state = static_cast<int>(State::Armed);
  install_handlers();
}

}  // namespace

void attach(int vtid, bool restoring) {
  int out_tid = pvm_getopt(PvmSelfOutputTid);
  int out_tag = pvm_getopt(PvmSelfOutputCode);
  if (!started_by_run(out_tag) || out_tid <= 0) {
    g_state = static_cast<int>(State::Off);  // e.g. the variable reached a grandchild anyway
    return;
  }
  g_vtid = vtid;
  g_out_tid = out_tid;
  // A migration's destination: before the program runs again.
  if (restoring && out_tag == kOutputTagTerminal) line_buffer_stdout();
  // Children this task spawns: output to pvmd's log, as for a program
  // started from a shell (unless the program collects it, pvm_catchout).
  if (pvm_getopt(PvmOutputTid) == out_tid && pvm_getopt(PvmOutputCode) == out_tag) {
    pvm_setopt(PvmOutputTid, 0);
    pvm_setopt(PvmOutputContext, 0);
    pvm_setopt(PvmOutputCode, 0);
  }
  g_state = static_cast<int>(restoring ? State::Waiting : State::Armed);
  install_handlers();
}

void committed() {
  if (state() == State::Waiting) g_state = static_cast<int>(State::Armed);
}

bool started_by_snow_run() { return state() != State::Off; }

bool defers_pvm_exit() { return state() == State::Armed && g_out_tid > 0; }

void disarm() { g_state = static_cast<int>(State::Off); }

}  // namespace snow::comm::exit_report
