// snow-pvmd-ext: the SNOW extension of one host's pvmd.
//
// pvmd starts it at boot through its plug-in hook (PVM_TASKER, see
// src/pvmd.c modulenames[] in PVM's source); it enrols as a task of that
// host and publishes itself as "snow.ext.<host>".  It deliberately does not
// take over task starting (pvm_reg_tasker): a tasker bypasses pvmd's
// collection of task output, which pvm_catchout and the console's
// "spawn ->" rely on.  Task exits are observed with pvm_notify instead.
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

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : fallback;
}

}  // namespace

int main() {
  char hn[256] = {};
  gethostname(hn, sizeof hn - 1);
  const std::string host = env_or("SNOW_HOST", hn);
  const std::string logdir = env_or("SNOW_LOG_DIR", "");
  snow::log::init("ext@" + host, logdir.empty() ? "" : logdir + "/ext-" + host + ".log");
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  try {
    pvm_setopt(PvmAutoErr, 0);
    int me = snow::pvm_check("pvm_mytid", pvm_mytid());
    snow::mailbox_publish(snow::ext_service(host), {me, host, SNOW_ARCH});
    spdlog::info("start: tid={} host={} arch={} pid={}", snow::tid_str(me), host, SNOW_ARCH, getpid());
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
