// Enrolment in the virtual machine as a PVM task, for the `snow` tool.
#pragma once

#include <string>

namespace snow::testbed {

class PvmSession {
 public:
  // pvm_mytid(); throws snow::Error("cannot contact the pvmd ...") if the
  // local daemon is not there.  libpvm's own error printing is turned off.
  PvmSession();
  ~PvmSession();
  PvmSession(const PvmSession&) = delete;
  PvmSession& operator=(const PvmSession&) = delete;

  int tid() const { return tid_; }

  // True when the local pvmd answers (no exception, nothing printed).
  static bool daemon_running();

 private:
  int tid_ = 0;
};

}  // namespace snow::testbed
