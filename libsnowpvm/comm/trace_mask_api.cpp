// pvm_settmask and pvm_gettmask of the application (snowpvm.h): the task's
// own trace mask is SNOW's (trace_events.h), never libpvm's, whose self
// mask stays empty so that SNOW's own traffic is not traced.  The mask for
// the task's children is libpvm's, which pvm_spawn passes on.
#include "libsnowpvm/comm/guarded_call.h"
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/trace_events.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string>

namespace {

// A mask as libpvm keeps it: TEV_MASK_LENGTH - 1 characters '@' + 4 bits.
bool valid_mask(const char* m) {
  if (!m) return false;
  std::size_t n = strnlen(m, TEV_MASK_LENGTH);
  if (n != TEV_MASK_LENGTH - 1) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (m[i] < '@' || m[i] > 'O') return false;
  return true;
}

}  // namespace

extern "C" {

int snow_settmask(int who, char* tmask) {
  if (who == PvmTaskChild) return pvm_settmask(who, tmask);
  if (who != PvmTaskSelf) return PvmBadParam;
  if (!valid_mask(tmask)) {
    spdlog::warn("settmask: not a PVM trace mask (want {} characters '@'..'O'); mask unchanged",
                 TEV_MASK_LENGTH - 1);
    return PvmBadParam;
  }
  return snow::comm::guarded_call("snow_settmask", [&](snow::comm::Runtime& rt) {
    snow::comm::trace::set_mask(std::string(tmask, TEV_MASK_LENGTH - 1));
    // The next process of the task starts with the mask it has now: the
    // scheduler is given the carried settings (SNOW_TRACE) again.
    if (rt.phase == snow::comm::Phase::Normal && !rt.restoring()) rt.enroll();
    return 0;
  });
}

int snow_gettmask(int who, char* tmask) {
  if (!tmask) return PvmBadParam;
  if (who == PvmTaskChild) return pvm_gettmask(who, tmask);
  if (who != PvmTaskSelf) return PvmBadParam;
  return snow::comm::guarded_call("snow_gettmask", [&](snow::comm::Runtime&) {
    Pvmtmask m;
    TEV_MASK_INIT(m);
    const std::string& mine = snow::comm::trace::settings().mask;
    if (valid_mask(mine.c_str())) std::memcpy(m, mine.c_str(), TEV_MASK_LENGTH);
    std::memcpy(tmask, m, TEV_MASK_LENGTH);
    return 0;
  });
}

}  // extern "C"
