#include "libsnowpvm/comm/virtual_tids.h"

#include "libsnowpvm/comm/runtime.h"

#include <pvm3.h>

namespace snow::comm {

int virtual_tid_of(int real) {
  if (real <= 0) return real;
  Runtime& rt = Runtime::get();
  if (rt.start_status() < 0) return real;
  if (real == rt.id.real) return rt.id.vtid;
  return rt.pl.vtid_of(real);
}

int current_real_of(Runtime& rt, int vtid) {
  if (vtid == rt.id.vtid) return rt.id.real;
  if (auto w = rt.sender().locate(vtid, 0, 0)) {
    if (w->status == static_cast<int>(wire::TaskStatus::Terminated)) return PvmNoTask;
    if (w->status != static_cast<int>(wire::TaskStatus::Unknown)) return w->real;
  }
  return rt.pl.find(vtid).real;
}

}  // namespace snow::comm
