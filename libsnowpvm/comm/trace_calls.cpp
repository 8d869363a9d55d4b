// Trace records of pvm_psend, pvm_precv, pvm_probe, pvm_spawn and
// pvm_parent; see trace_calls.h.  The items and their order are libpvm's.
#include "libsnowpvm/comm/trace_calls.h"

#include "libsnowpvm/comm/trace_events.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <pvmtev.h>

#include <cstdlib>
#include <vector>

namespace snow::comm::trace::calls {

void psend_entry(int tid, int tag, int len, int datatype) {
  if (!wanted(TEV_PSEND)) return;
  Event(TEV_PSEND, TEV_EVENT_ENTRY)
      .i(TEV_DID_DST, tid).i(TEV_DID_MC, tag).i(TEV_DID_MCX, pvm_getcontext())
      .i(TEV_DID_PC, len).i(TEV_DID_PDT, datatype)
      .send();
}

void psend_exit(int cc) {
  if (!wanted(TEV_PSEND)) return;
  Event(TEV_PSEND, TEV_EVENT_EXIT).i(TEV_DID_CC, cc > 0 ? 0 : cc).send();
}

void precv_entry(int tid, int tag, int len, int datatype) {
  if (!wanted(TEV_PRECV)) return;
  Event(TEV_PRECV, TEV_EVENT_ENTRY)
      .i(TEV_DID_RST, tid).i(TEV_DID_RMC, tag).i(TEV_DID_RCX, pvm_getcontext())
      .i(TEV_DID_PC, len).i(TEV_DID_PDT, datatype)
      .send();
}

void precv_exit(int cc, int bytes, int tag, int src) {
  // Interrupted by a migration: made again, and finished, in the next process.
  if (cc == SnowUnwinding || !wanted(TEV_PRECV)) return;
  if (cc < 0) bytes = tag = src = -1;
  Event(TEV_PRECV, TEV_EVENT_EXIT)
      .i(TEV_DID_CC, cc).i(TEV_DID_MNB, bytes).i(TEV_DID_MC, tag).i(TEV_DID_MCX, pvm_getcontext())
      .i(TEV_DID_SRC, src)
      .send();
}

void probe_entry(int tid, int tag) {
  if (!wanted(TEV_PROBE)) return;
  Event(TEV_PROBE, TEV_EVENT_ENTRY).i(TEV_DID_RST, tid).i(TEV_DID_RMC, tag).i(TEV_DID_RCX, pvm_getcontext()).send();
}

void probe_exit(int cc) {
  if (cc == SnowUnwinding || !wanted(TEV_PROBE)) return;
  Event(TEV_PROBE, TEV_EVENT_EXIT).i(TEV_DID_CC, cc).send();
}

void spawn_entry(const char* file, const char* where, int flags, int count) {
  if (!wanted(TEV_SPAWN)) return;
  // libpvm traces the flags with the spawner's PVMTASK flags or-ed in.
  if (const char* extra = std::getenv("PVMTASK")) flags |= static_cast<int>(std::strtol(extra, nullptr, 0));
  Event(TEV_SPAWN, TEV_EVENT_ENTRY)
      .s(TEV_DID_SE, file ? file : "").s(TEV_DID_SW, where ? where : "").i(TEV_DID_SF, flags).i(TEV_DID_SC, count)
      .send();
}

void spawn_exit(int cc, const int* tids) {
  if (!wanted(TEV_SPAWN)) return;
  std::vector<int> started;
  if (cc > 0 && tids) started.assign(tids, tids + cc);  // a child's first real tid is its virtual tid
  Event(TEV_SPAWN, TEV_EVENT_EXIT).i(TEV_DID_CC, cc).ints(TEV_DID_STL, started).send();
}

void parent(int cc) {
  if (!wanted(TEV_PARENT)) return;
  Event(TEV_PARENT, TEV_EVENT_ENTRY).send();
  Event(TEV_PARENT, TEV_EVENT_EXIT).i(TEV_DID_PT, cc).send();
}

}  // namespace snow::comm::trace::calls
