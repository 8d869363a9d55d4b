#include "pvmd-ext/directory.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/migrate/wire.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::ext {

bool Directory::is_local(int tid) const { return tid_host_part(tid) == tid_host_part(my_tid_); }

int Directory::host_tid_of(int tid) {
  pvmio::QuietGuard quiet;
  return pvm_tidtohost(tid);
}

int Directory::ext_for(int tid) {
  int part = tid_host_part(tid);
  if (auto it = ext_by_host_.find(part); it != ext_by_host_.end()) return it->second;
  pvmio::QuietGuard quiet;
  int nhost = 0, narch = 0;
  struct pvmhostinfo* hi = nullptr;
  if (pvm_config(&nhost, &narch, &hi) < 0) return 0;
  for (int i = 0; i < nhost; ++i) {
    if (tid_host_part(hi[i].hi_tid) != part) continue;
    pvmio::BufferGuard keep;
    auto e = mailbox_lookup(ext_service(hi[i].hi_name));
    if (!e) return 0;
    ext_by_host_[part] = e->tid;
    return e->tid;
  }
  return 0;
}

void Directory::watch_host_of(int tid) {
  int part = tid_host_part(tid);
  if (!watched_.insert(part).second) return;
  int dtid = host_tid_of(tid);
  if (dtid < 0) return;
  pvmio::QuietGuard quiet;
  pvm_notify(PvmHostDelete, wire::kTagHostDelete, 1, &dtid);
}

void Directory::forget_host(int dtid) {
  ext_by_host_.erase(tid_host_part(dtid));
  watched_.erase(tid_host_part(dtid));
}

}  // namespace snow::ext
