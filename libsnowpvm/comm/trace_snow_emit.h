// Emitting SNOW's own trace events (trace_snow_events.h: the names and
// the record layout) as PVM user-defined event records, to the collector
// of a traced task.  Tasks emit about themselves (snow_event); the
// scheduler emits about a traced task it migrates, to that task's
// collector, under its own tid (send_snow_record with the task's
// settings).  See doc/tracing.md.
#pragma once

#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/trace_snow_events.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace snow::comm::trace {

// tracer unpacks every string of a record into a 1024-byte buffer
// (trclib.h TRC_MAX_UNPACK_ARR_SIZE): SNOW's strings are cut well below.
inline constexpr std::size_t kMaxSnowString = 255;

// One record, all seven items (trace_snow_events.h).
struct SnowRecord {
  SnowEvent event = SnowEvent::ProcessStart;
  int vtid = 0;  // the task the event is about
  int real = 0;  // the emitting process
  int mig = 0;
  int peer = 0;
  std::string host, arch, detail;
};

// An item of a record as it goes on the wire: its type (TEV_DATA_INT or
// TEV_DATA_STRING, scalar) and value.
struct SnowItem {
  int type = 0;
  int value = 0;
  std::string text;
};

// The record's items as sent: the seven of the contract, then the event's
// name (kSnowNameItem); strings cut to kMaxSnowString.
std::vector<SnowItem> snow_items(const SnowRecord& r);

// Whether a collector with these settings takes SNOW's events: full
// tracing to a collector, with TEV_USER_DEFINED in the mask (as libpvm
// sends user-defined records only then; tracer's and XPVM's default
// masks have it).
bool wants_snow_events(const Settings& to);

// Sends one record to `to` (its tid, context and tag), keeping the
// caller's send buffer and context.  Returns pvm_send's status.
int send_snow_record(const Settings& to, const SnowRecord& r);

// This process's host name and PVM architecture (pvm_config for the host
// of pvm_mytid()), looked up on first use; "" when unknown.
struct HostArch {
  std::string host, arch;
};
const HostArch& own_host_arch();

// Task side: when this process is traced and its mask takes user-defined
// events, one record about task `vtid` from this process (real tid =
// pvm_mytid(), its host and architecture).
void snow_event(SnowEvent e, int vtid, int mig = 0, int peer = 0, std::string_view detail = {});

}  // namespace snow::comm::trace
