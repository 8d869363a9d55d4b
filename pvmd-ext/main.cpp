// snow-pvmd-ext: the SNOW extension of one host's pvmd (seed 001 Sec. 5).
//
// pvmd starts it at boot through its plug-in hook (PVM_TASKER, see
// src/pvmd.c modulenames[] in PVM's source); it enrols as a task of that
// host and publishes itself as "snow.ext.<host>".  It deliberately does not
// take over task starting (pvm_reg_tasker): a tasker bypasses pvmd's
// collection of task output, which pvm_catchout and the console's
// "spawn ->" rely on.  Task exits are observed with pvm_notify instead.
//
// This file is the hook layer only: it takes PVM messages and turns them
// into typed calls on ConnRouter (connection requests) and Spawner
// (initialized processes).  Anything malformed or unexpected is logged
// and dropped.
#include "config.h"
#include "libsnowpvm/comm/daemon_input.h"
#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/log.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/overloaded.h"
#include "libsnowpvm/util/tid.h"
#include "pvmd-ext/conn_router.h"
#include "pvmd-ext/directory.h"
#include "pvmd-ext/spawner.h"

#include <pvm3.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int sig) { g_stop = sig; }

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : fallback;
}


class Extension {
 public:
  Extension(int me, const std::string& host) : dir_(me), router_(dir_, me), spawner_(host) {}

  // Held connection requests are looked at again this often.
  std::chrono::milliseconds wait() const {
    return router_.holding() ? snow::ext::kPlainPeerRecheck : std::chrono::milliseconds(1000);
  }
  void tick() { router_.tick(); }

  void handle(const snow::pvmio::Incoming& in) {
    using namespace snow;
    auto screened = pvmio::screen_daemon_input(in);
    if (screened.kind == pvmio::DaemonInput::Dropped) return;
    if (screened.kind == pvmio::DaemonInput::TaskExit) return router_.on_task_exit(screened.tid);
    if (screened.kind == pvmio::DaemonInput::HostDelete) return router_.on_host_delete(screened.tid);
    try {
      pvmio::ControlMessage cm(in);
      std::visit(Overloaded{
                     [&](const wire::ConnReq& m) { router_.on_conn_req(cm.src(), m); },
                     [&](const wire::ConnAck& m) { router_.on_conn_ack(cm.src(), m); },
                     [&](const wire::ConnNack& m) { router_.on_conn_nack(cm.src(), m); },
                     [&](const wire::RejectConnReqs& m) { router_.on_reject(cm.src(), m); },
                     [&](const wire::AcceptConnReqs& m) { router_.on_accept(cm.src(), m); },
                     [&](const wire::TaskIsSnow& m) { router_.on_task_is_snow(cm.src(), m); },
                     [&](const wire::SpawnInit& m) { pvmio::send_control(cm.src(), spawner_.spawn(m)); },
                     [&](const auto& m) { pvmio::log_unexpected_control(std::decay_t<decltype(m)>::kind, cm.src()); },
                 },
                 cm.message());
    } catch (const wire::Malformed& e) {
      pvmio::log_malformed_control(in, e);
    }
  }

 private:
  snow::ext::Directory dir_;
  snow::ext::ConnRouter router_;
  snow::ext::Spawner spawner_;
};

}  // namespace

int main() {
  char hn[256] = {};
  gethostname(hn, sizeof hn - 1);
  const std::string host = env_or("SNOW_HOST", hn);
  const std::string logdir = env_or("SNOW_LOG_DIR", "");
  snow::log::init("ext@" + host, logdir.empty() ? "" : logdir + "/ext-" + host + ".log");
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  try {
    pvm_setopt(PvmAutoErr, 0);
    int me = snow::pvm_check("pvm_mytid", pvm_mytid());
    // Our notifies and control messages all live in SNOW's context.
    pvm_setcontext(snow::wire::kContext);
    // Default routing (PvmAllowDirect): tasks may open direct links to us,
    // but we never ask for one, which would block until the peer entered
    // libpvm (src/lpvm.c mroute).
    snow::mailbox_publish(snow::ext_service(host), {me, host, SNOW_ARCH});
    spdlog::info("start: tid={} host={} arch={} pid={}", snow::tid_str(me), host, SNOW_ARCH, getpid());
    Extension ext(me, host);
    while (!g_stop) {
      std::optional<snow::pvmio::Incoming> in;
      try {
        in = snow::pvmio::take(snow::pvmio::Wait::upto(ext.wait()));
      } catch (const snow::PvmError& e) {
        spdlog::info("stop: the pvmd is gone ({})", e.what());
        return 0;
      }
      if (in) ext.handle(*in);
      ext.tick();
    }
    spdlog::info("stop: signal={}", static_cast<int>(g_stop));
    pvm_exit();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
  return 0;
}
