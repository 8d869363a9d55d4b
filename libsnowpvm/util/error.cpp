#include "libsnowpvm/util/error.h"

#include <pvm3.h>

#include <string>

namespace snow {

const char* pvm_error_name(int code) {
  switch (code) {
    case PvmOk: return "PvmOk";
    case PvmBadParam: return "PvmBadParam";
    case PvmMismatch: return "PvmMismatch";
    case PvmOverflow: return "PvmOverflow";
    case PvmNoData: return "PvmNoData";
    case PvmNoHost: return "PvmNoHost";
    case PvmNoFile: return "PvmNoFile";
    case PvmDenied: return "PvmDenied";
    case PvmNoMem: return "PvmNoMem";
    case PvmBadMsg: return "PvmBadMsg";
    case PvmSysErr: return "PvmSysErr";
    case PvmNoBuf: return "PvmNoBuf";
    case PvmNoSuchBuf: return "PvmNoSuchBuf";
    case PvmNullGroup: return "PvmNullGroup";
    case PvmDupGroup: return "PvmDupGroup";
    case PvmNoGroup: return "PvmNoGroup";
    case PvmNotInGroup: return "PvmNotInGroup";
    case PvmNoInst: return "PvmNoInst";
    case PvmHostFail: return "PvmHostFail";
    case PvmNoParent: return "PvmNoParent";
    case PvmNotImpl: return "PvmNotImpl";
    case PvmDSysErr: return "PvmDSysErr";
    case PvmBadVersion: return "PvmBadVersion";
    case PvmOutOfRes: return "PvmOutOfRes";
    case PvmDupHost: return "PvmDupHost";
    case PvmCantStart: return "PvmCantStart";
    case PvmAlready: return "PvmAlready";
    case PvmNoTask: return "PvmNoTask";
    case PvmNotFound: return "PvmNotFound";
    case PvmExists: return "PvmExists";
    case PvmHostrNMstr: return "PvmHostrNMstr";
    case PvmParentNotSet: return "PvmParentNotSet";
    case PvmIPLoopback: return "PvmIPLoopback";
    default: return "unknown PVM error";
  }
}

PvmError::PvmError(const std::string& call, int code)
    : Error(call + ": " + pvm_error_name(code) + " (" + std::to_string(code) + ")"), code_(code) {}

int pvm_check(const char* call, int rc) {
  if (rc < 0) throw PvmError(call, rc);
  return rc;
}

}  // namespace snow
