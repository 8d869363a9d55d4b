// snow_notify: pvm_notify for SNOW tasks (doc/plain-peers.md).
//
// The application only sees virtual tids, and a virtual tid stays a live
// PVM task until the task really ends: while the first process runs the
// task it is the task, and after it has migrated it stays as the task's
// home agent (migrate/home_agent.h) and exits only when the task does.
// So PvmTaskExit on virtual tids is passed to pvmd as it is, and fires
// when the task really ends, not when it moves.  PvmHostDelete and
// PvmHostAdd pass through.  The notification arrives in the application's
// context like any message, labelled with pvmd's tid.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/util/error.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <cerrno>

extern "C" int snow_notify(int what, int msgtag, int cnt, int* tids) {
  int saved_errno = errno;
  int rc;
  try {
    auto& rt = snow::comm::Runtime::get();
    if (rt.start_status() < 0) return rt.start_status();
    rt.safe_point();
    rc = pvm_notify(what, msgtag, cnt, tids);
  } catch (const std::exception& e) {
    spdlog::error("snow_notify: {}", e.what());
    rc = PvmSysErr;
  }
  errno = saved_errno;
  return rc;
}
