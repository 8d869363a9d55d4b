#include "libsnowpvm/comm/virtual_tids.h"

#include "libsnowpvm/comm/runtime.h"

namespace snow::comm {

int virtual_tid_of(int real) {
  if (real <= 0) return real;
  Runtime& rt = Runtime::get();
  if (rt.start_status() < 0) return real;
  if (real == rt.id.real) return rt.id.vtid;
  return rt.pl.vtid_of(real);
}

}  // namespace snow::comm
