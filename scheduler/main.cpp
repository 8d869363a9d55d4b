// snow-scheduler: the central SNOW scheduler (seed 001, Sec. 2 and 5).
//
// It keeps track of hosts and processes, answers "where is task T now"
// lookups on demand (never by broadcast) and drives migrations.  One runs
// per virtual machine, on the master host, published as "snow.scheduler".
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/log.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/tid.h"
#include "config.h"

#include <pvm3.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int sig) { g_stop = sig; }

}  // namespace

int main() {
  char hn[256] = {};
  gethostname(hn, sizeof hn - 1);
  const char* logdir = std::getenv("SNOW_LOG_DIR");
  snow::log::init("sched", (logdir && *logdir) ? std::string(logdir) + "/scheduler.log" : "");
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  try {
    pvm_setopt(PvmAutoErr, 0);
    int me = snow::pvm_check("pvm_mytid", pvm_mytid());
    snow::mailbox_publish(snow::scheduler_service(), {me, hn, SNOW_ARCH});
    spdlog::info("start: tid={} host={} arch={} pid={}", snow::tid_str(me), hn, SNOW_ARCH, getpid());
    while (!g_stop) {
      struct timeval tick = {1, 0};
      int buf = pvm_trecv(-1, -1, &tick);
      if (buf < 0) {
        spdlog::error("pvmd gone: {}", snow::pvm_error_name(buf));
        break;
      }
      if (buf == 0) continue;
      int bytes = 0, tag = 0, src = 0;
      pvm_bufinfo(buf, &bytes, &tag, &src);
      spdlog::warn("unexpected message: src={} tag={} bytes={}", snow::tid_str(src), tag, bytes);
      pvm_freebuf(buf);
    }
    spdlog::info("stop: signal={}", static_cast<int>(g_stop));
    pvm_exit();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
  return 0;
}
