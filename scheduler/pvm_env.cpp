#include "scheduler/pvm_env.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace snow::sched {

void PvmEnv::send(int tid, const wire::Message& m) {
  int rc = pvmio::send_control(tid, m);
  if (rc < 0)
    spdlog::warn("send: kind={} to={} failed: {}", wire::kind_name(wire::kind_of(m)), tid_str(tid),
                 pvm_error_name(rc));
}

void PvmEnv::signal(int tid, int sig) {
  pvmio::QuietGuard quiet;
  pvm_sendsig(tid, sig);
}

void PvmEnv::kill(int tid) {
  pvmio::QuietGuard quiet;
  spdlog::info("kill: tid={}", tid_str(tid));
  pvm_kill(tid);
}

void PvmEnv::watch_exit(int tid) {
  if (!watched_.insert(tid).second) return;
  pvmio::QuietGuard quiet;
  pvm_notify(PvmTaskExit, wire::kTagTaskExit, 1, &tid);
}

void PvmEnv::watch_hosts() {
  pvmio::QuietGuard quiet;
  int nhost = 0, narch = 0;
  struct pvmhostinfo* hi = nullptr;
  if (pvm_config(&nhost, &narch, &hi) < 0) return;
  for (int i = 0; i < nhost; ++i) {
    int dtid = hi[i].hi_tid;
    if (watched_hosts_.insert(dtid).second) pvm_notify(PvmHostDelete, wire::kTagHostDelete, 1, &dtid);
  }
}

std::vector<HostInfo> PvmEnv::hosts() {
  std::vector<HostInfo> v;
  pvmio::QuietGuard quiet;
  int nhost = 0, narch = 0;
  struct pvmhostinfo* hi = nullptr;
  if (pvm_config(&nhost, &narch, &hi) < 0) return v;
  std::vector<std::pair<std::string, int>> names;
  for (int i = 0; i < nhost; ++i) names.push_back({hi[i].hi_name, hi[i].hi_tid});
  for (const auto& [name, dtid] : names) {
    HostInfo h;
    h.name = name;
    h.dtid = dtid;
    pvmio::BufferGuard keep;
    if (auto e = mailbox_lookup(ext_service(name))) {
      h.ext = e->tid;
      h.arch = e->arch;
    }
    v.push_back(h);
  }
  watch_hosts();
  return v;
}

uint64_t PvmEnv::unix_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace snow::sched
