// Sending one trace message to a task's collector (PVM's tracer, XPVM),
// shared by the application's events (trace_events.cpp) and SNOW's own
// (trace_snow_emit.cpp, also the scheduler's).
#pragma once

#include "libsnowpvm/comm/trace_events.h"

#include <functional>

namespace snow::comm::trace {

// Packs one message with `pack` (pvm_pk* calls into the active send
// buffer, a fresh one) and sends it to `to.tid` in `to.ctx` with tag
// `to.tag`.  The caller's (the application's) active send buffer and
// message context are exactly as before.  Returns pvm_send's status, or
// pvm_mkbuf's error.
int send_to_collector(const Settings& to, const std::function<void()>& pack);

}  // namespace snow::comm::trace
