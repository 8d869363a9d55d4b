// Screening of what reaches a SNOW daemon (the per-host extension and the
// scheduler) before it is decoded: messages outside the SNOW context are
// dropped, task-exit and host-delete notifications are accepted only from
// a pvmd (a task could forge them), and the rest is control traffic.
#pragma once

#include "libsnowpvm/comm/pvm_io.h"

namespace snow::pvmio {

struct DaemonInput {
  enum Kind { Dropped, TaskExit, HostDelete, Control } kind;
  int tid = 0;  // the task or host (pvmd tid) of a notification
};

// Dropped and notification messages are logged and freed here; a Control
// message's buffer stays with the caller.
DaemonInput screen_daemon_input(const Incoming& in);

}  // namespace snow::pvmio
