// PvmTraceTime and PvmTraceCount, as libpvm does them (PVM 3.4 tev.c, read
// for the facts): instead of a record per call, every record the task would
// send is counted per event kind (and, for PvmTraceTime, the time spent on
// it added up), and at pvm_exit one summary record goes to the collector --
// a `timing` record (names, seconds, microseconds and counts) or a
// `profiling` record (names and counts), under the task's virtual tid.
//
// Per process: a process the task leaves by migrating does not send its
// counts (the runtime warns in the next one, see doc/tracing.md).
#pragma once

#include "libsnowpvm/comm/trace_events.h"

#include <chrono>

namespace snow::comm::trace::summary {

// One record of event kind `kind` (pvmtev.h TEV_*) that took `spent`.
void note(int kind, std::chrono::microseconds spent);

// The summary record of what has been noted (counts reset), to `to`'s
// collector; nothing when nothing was noted.  Returns pvm_send's status.
int flush(const Settings& to, int vtid);

}  // namespace snow::comm::trace::summary
