// The wrapper discipline of every snow_* call that the application makes
// in place of a pvm_* call: enrol on first use, run the safe point
// (pending SIGUSR2 work) on entry, call into the protocol roles, and never
// let an exception or a stray errno escape into the C program.
#pragma once

#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/util/error.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <exception>

namespace snow::comm {

template <class F>
int guarded_call(const char* call, F&& body) {
  int saved_errno = errno;
  int rc;
  try {
    Runtime& rt = Runtime::get();
    if (rt.start_status() < 0) return rt.start_status();
    rt.safe_point();
    rc = body(rt);
  } catch (const PvmError& e) {
    spdlog::error("{}: {}", call, e.what());
    rc = e.code();
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", call, e.what());
    rc = PvmSysErr;
  }
  errno = saved_errno;
  return rc;
}

}  // namespace snow::comm
