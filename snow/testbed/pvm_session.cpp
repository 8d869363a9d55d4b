#include "snow/testbed/pvm_session.h"

#include "libsnowpvm/comm/trace_inherit.h"
#include "libsnowpvm/util/error.h"

#include <pvm3.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace snow::testbed {

PvmSession::PvmSession() {
  pvm_setopt(PvmAutoErr, 0);
  tid_ = comm::trace::connect_untraced();  // none of the tool's own PVM calls are traced
  if (tid_ < 0)
    throw Error(std::string("cannot contact the pvmd of this host (") + pvm_error_name(tid_) +
                "); is the virtual machine up? (snow vm up)");
}

PvmSession::~PvmSession() { pvm_exit(); }

bool PvmSession::daemon_running() {
  // libpvm prints to stderr when the daemon's address file is missing, even
  // with PvmAutoErr off, so look for the file first (src/pvmcruft.c).
  const char* tmp = std::getenv("PVM_TMP");
  std::string addr = std::string(tmp && *tmp ? tmp : "/tmp") + "/pvmd." + std::to_string(getuid());
  if (access(addr.c_str(), F_OK) != 0) return false;
  pvm_setopt(PvmAutoErr, 0);
  int tid = comm::trace::connect_untraced();
  if (tid < 0) return false;
  pvm_exit();
  return true;
}

}  // namespace snow::testbed
