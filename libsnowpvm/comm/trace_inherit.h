// The trace settings a task's first process is given, taken without
// letting libpvm trace anything (doc/tracing.md).
//
// libpvm reads a task's trace mask, buffer and options from its
// environment (PVMTMASK, PVMTRCBUF, PVMTRCOPT; put there by the spawner's
// pvm_spawn, e.g. the console's after `trace`) or, when the task has a
// tracer but no such entries, from the tracer's mailbox entry -- both
// while it connects in the process's first pvm_* call.  Its own tracing
// would then record that call (a `mytid` record of the runtime's own
// pvm_mytid) and everything after it.  So, before that call, the runtime
// hides the entries from libpvm behind an empty mask; afterwards it takes
// the settings itself and gives libpvm only those for the task's children
// (which libpvm passes on in pvm_spawn).
#pragma once

#include "libsnowpvm/comm/trace_events.h"

namespace snow::comm::trace {

// Before the process's first pvm_* call: remember PVMTMASK, PVMTRCBUF and
// PVMTRCOPT and put an empty mask (full tracing, no buffer) in their
// place, so that libpvm starts with its self-tracing off.
void hide_from_libpvm();

// After the process has connected: the environment back as it was, and
// the settings libpvm would have taken (collector tid, context and code
// from libpvm; mask, buffer and options from the remembered entries or the
// tracer's mailbox entry).  Called in a continuation too (which then uses
// the settings carried to it instead).
Settings take_inherited();

// libpvm's settings for the task's children (passed on by pvm_spawn): the
// mask, buffer and options of `s`.
void give_children(const Settings& s);

// SNOW's own PVM tasks (the `snow` tool's session: run, migrate, ps, ...)
// connect with this instead of a bare pvm_mytid: their own calls and
// control traffic are never traced, and the tasks they spawn are traced as
// libpvm would have them (e.g. with the VM's registered tracer).  Returns
// pvm_mytid's result.
int connect_untraced();

}  // namespace snow::comm::trace
