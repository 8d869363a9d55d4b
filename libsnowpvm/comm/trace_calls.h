// The PVM trace records of the application's pvm_psend, pvm_precv,
// pvm_probe, pvm_spawn and pvm_parent, with libpvm's data items (PVM
// 3.4's lpvm.c and lpvmgen.c, read for the facts) and the application's
// (virtual) tids.  Each is called from its snow_* wrapper (comm/api.cpp);
// nothing is sent unless the task's mask has the call (trace_events.h).
#pragma once

namespace snow::comm::trace::calls {

// pvm_psend: destination, tag, context, count and data type; exit: status.
// libpvm's item of the caller's buffer address is left out: an address
// says nothing about a task that moves between hosts.
void psend_entry(int tid, int tag, int len, int datatype);
void psend_exit(int cc);

// pvm_precv: source, tag, context, count and data type asked for; exit:
// status, and bytes, tag, context and source of the message (-1 each when
// the status is an error).
void precv_entry(int tid, int tag, int len, int datatype);
void precv_exit(int cc, int bytes, int tag, int src);

// pvm_probe: source, tag, context; exit: the status (a buffer id, 0 or an error).
void probe_entry(int tid, int tag);
void probe_exit(int cc);

// pvm_spawn: program, where, flags (with PVMTASK's, as libpvm), count;
// exit: the status and the tids started.
void spawn_entry(const char* file, const char* where, int flags, int count);
void spawn_exit(int cc, const int* tids);

// pvm_parent: entry, and exit with the parent's (virtual) tid or PvmNoParent.
void parent(int cc);

}  // namespace snow::comm::trace::calls
