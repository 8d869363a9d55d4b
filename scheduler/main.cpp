// snow-scheduler: the central SNOW scheduler (seed 001, Sec. 2 and 5).
//
// It keeps track of hosts and processes, answers "where is task T now"
// lookups on demand (never by broadcast) and drives migrations.  One runs
// per virtual machine, on the master host, published as "snow.scheduler".
// The journal of migrations is appended to $SNOW_STATE_DIR/journal.
#include "config.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/log.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/tid.h"
#include "scheduler/pvm_env.h"
#include "scheduler/scheduler.h"
#include "scheduler/server.h"

#include <pvm3.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int sig) { g_stop = sig; }

std::string env_dir(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

int serve(snow::sched::Server& server, snow::sched::Scheduler& sched) {
  auto last_tick = std::chrono::steady_clock::now();
  while (!g_stop) {
    std::optional<snow::pvmio::Incoming> in;
    try {
      in = snow::pvmio::take(snow::pvmio::Wait::upto(std::chrono::milliseconds(500)));
    } catch (const snow::PvmError& e) {
      spdlog::info("stop: the pvmd is gone ({})", e.what());
      return 0;
    }
    if (in) server.handle(*in);
    if (std::chrono::steady_clock::now() - last_tick >= std::chrono::milliseconds(500)) {
      sched.tick();
      last_tick = std::chrono::steady_clock::now();
    }
  }
  return static_cast<int>(g_stop);
}

}  // namespace

int main() {
  char hn[256] = {};
  gethostname(hn, sizeof hn - 1);
  const std::string logdir = env_dir("SNOW_LOG_DIR");
  const std::string statedir = env_dir("SNOW_STATE_DIR");
  snow::log::init("sched", logdir.empty() ? "" : logdir + "/scheduler.log");
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  try {
    pvm_setopt(PvmAutoErr, 0);
    int me = snow::pvm_check("pvm_mytid", pvm_mytid());
    pvm_setcontext(snow::wire::kContext);  // our notifies arrive in SNOW's context
    snow::mailbox_publish(snow::scheduler_service(), {me, hn, SNOW_ARCH});
    spdlog::info("start: tid={} host={} arch={} pid={}", snow::tid_str(me), hn, SNOW_ARCH, getpid());
    snow::sched::PvmEnv env;
    env.watch_hosts();
    snow::sched::Journal journal(statedir.empty() ? "" : statedir + "/journal");
    snow::sched::Scheduler sched(env, journal);
    snow::sched::Server server(sched, env);
    int sig = serve(server, sched);
    spdlog::info("stop: signal={} ({})", sig, sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "?");
    pvm_exit();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
  return 0;
}
