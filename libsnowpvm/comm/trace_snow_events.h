// SNOW's own trace events (issue 11 item 3): what the migration protocol
// does, as PVM 3.4 *user-defined* event records, in the same stream as the
// application's events (trace_events.h), to the same collector.  PVM's
// `tracer` prints them; `snow trace` draws them (the shaded migration
// phases of the space-time diagram, seed 001 Figs 10-13).
//
// The record (tracer/trcmess.c reads it so):
//   int TEV_MARK_USER_EVENT_RECORD, int kEventId, string kUserRecordName,
//   int seconds, int microseconds,
//   then per item: int type (TEV_DATA_INT or TEV_DATA_STRING, | TEV_DATA_SCALAR),
//   the value; finally int TEV_MARK_USER_EVENT_RECORD_END.
// The items, always all of them and in this order (kItems):
//   int    vtid       the task the event is about (its virtual tid)
//   int    real tid   the process that emits the record (the scheduler's for
//                     the scheduler's events)
//   int    mig        the migration's id, 0 if none
//   int    peer       the other task involved (virtual tid), 0 if none
//   string host      the emitting process's host name ("" if unknown)
//   string arch      the emitting process's PVM architecture ("" if unknown)
//   string detail    free text: phase name, reason of an abort, bytes, ...
//   string name      the event's name (kSnowEventNames), item kSnowNameItem
// tracer attributes a user-defined record to the message's source (the real
// tid), so the virtual tid travels as the first item.
//
// Why the name is an item and not the record's name: PVM's tracer takes a
// user-defined record only under libpvm's own name for it, "user_defined".
// Under any other name it reads the items' (absent) data ids and crashes
// (trcfile.c trc_dump_tevdesc / trc_store_data_values; seen: tracer died at
// SNOW's first record named "snow_process_start").  So every SNOW record is
// named kUserRecordName and carries its event's name as an eighth, last item;
// the seven items above keep their places.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace snow::comm::trace {

inline constexpr int kSnowEventId = 108;  // pvmtev.h TEV_USER_DEFINED
inline constexpr int kSnowItems = 7;      // the items above, in that order (without the name)
inline constexpr int kSnowNameItem = kSnowItems;  // 0-based index of the name item: the last
inline constexpr std::string_view kUserRecordName = "user_defined";  // libpvm's name (pvmtevinfo)

enum class SnowEvent {
  ProcessStart,       // a process of the task starts (first one or a continuation): host/arch
  MigrateRequest,     // the task learns it is to migrate (Fig. 5 line 2)
  CoordStart,         // coordination with the peers begins (Fig. 5 lines 4-5)
  CoordEnd,           // the peers are drained and disconnected (Fig. 5 lines 6-8)
  PeerMigrating,      // a peer_migrating notice received (peer = the migrating task)
  ConnNack,           // a conn_nack received (peer = the task asked for)
  XferStart,          // state collection/transfer begins (Fig. 5 lines 9-10); on the destination: reception begins
  XferEnd,            // the state is sent / received whole
  RestoreStart,       // the destination starts restoring (Fig. 7 line 4)
  RestoreEnd,         // restore complete (Fig. 7 line 5)
  Commit,             // the migration commits (Fig. 7 line 7)
  Abort,              // the migration is aborted; detail: why
  SchedRequest,       // scheduler: a migration of vtid requested (detail: destination host)
  SchedSpawn,         // scheduler: the new process started on the destination
  SchedCommit,        // scheduler: commit decided
  SchedAbort,         // scheduler: abort decided
};

inline constexpr std::array<std::string_view, 16> kSnowEventNames = {
    "snow_process_start", "snow_migrate_request", "snow_coord_start", "snow_coord_end",
    "snow_peer_migrating", "snow_conn_nack", "snow_xfer_start", "snow_xfer_end",
    "snow_restore_start", "snow_restore_end", "snow_commit", "snow_abort",
    "snow_sched_request", "snow_sched_spawn", "snow_sched_commit", "snow_sched_abort"};

constexpr std::string_view name(SnowEvent e) { return kSnowEventNames[static_cast<std::size_t>(e)]; }

inline std::optional<SnowEvent> snow_event_from_name(std::string_view n) {
  for (std::size_t i = 0; i < kSnowEventNames.size(); ++i)
    if (kSnowEventNames[i] == n) return static_cast<SnowEvent>(i);
  return std::nullopt;
}

// The SNOW event of a user-defined record named `record_name` whose last
// (kSnowNameItem-th) item, a string, is `name_item`; nullopt for any other record.
inline std::optional<SnowEvent> snow_event_of_record(std::string_view record_name, std::string_view name_item) {
  if (record_name != kUserRecordName) return std::nullopt;
  return snow_event_from_name(name_item);
}

}  // namespace snow::comm::trace
