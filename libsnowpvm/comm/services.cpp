#include "libsnowpvm/comm/services.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/migrate/wire.h"
#include "libsnowpvm/util/mailbox.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::comm {

std::string Services::host_of(int tid) {
  pvmio::QuietGuard quiet;
  int dtid = pvm_tidtohost(tid);
  if (dtid < 0) return {};
  int nhost = 0, narch = 0;
  struct pvmhostinfo* hi = nullptr;
  if (pvm_config(&nhost, &narch, &hi) < 0) return {};
  for (int i = 0; i < nhost; ++i)
    if (hi[i].hi_tid == dtid) return hi[i].hi_name;
  return {};
}

const std::string& Services::my_host() {
  if (host_.empty()) host_ = host_of(pvm_mytid());
  return host_;
}

void Services::watch(int tid) {
  if (!watched_.insert(tid).second) return;
  pvmio::QuietGuard quiet;
  pvmio::ContextGuard ctx(wire::kContext);
  pvm_notify(PvmTaskExit, wire::kTagTaskExit, 1, &tid);
}

int Services::scheduler() {
  if (sched_ == 0) {
    pvmio::BufferGuard keep;
    pvmio::QuietGuard quiet;
    if (auto e = mailbox_lookup(scheduler_service())) {
      sched_ = e->tid;
      watch(sched_);
    }
  }
  return sched_;
}

int Services::local_ext() {
  if (ext_ == 0) {
    pvmio::BufferGuard keep;
    pvmio::QuietGuard quiet;
    if (auto e = mailbox_lookup(ext_service(my_host()))) {
      ext_ = e->tid;
      watch(ext_);
    }
  }
  return ext_;
}

int Services::forget(int tid) {
  int lost = None;
  if (tid != 0 && tid == sched_) {
    spdlog::warn("service-exit: scheduler={} is gone", tid_str(tid));
    sched_ = 0;
    lost |= Scheduler;
  }
  if (tid != 0 && tid == ext_) {
    spdlog::warn("service-exit: ext={} of {} is gone", tid_str(tid), host_);
    ext_ = 0;
    lost |= Ext;
  }
  if (lost) watched_.erase(tid);
  return lost;
}

}  // namespace snow::comm
