// The scheduler's own trace events (issue 11 item 3): sched_request,
// sched_spawn, sched_commit, sched_abort (comm/trace_snow_events.h) for
// the migration of a traced task, sent to that task's collector under the
// scheduler's tid, with the task's virtual tid as the first item.
//
// The scheduler learns where a task's events go from the task itself: the
// environment it enrols with carries SNOW_TRACE (wire.h kCarriedEnv,
// comm/trace_events.h) -- the same settings its continuations get.
#pragma once

#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/trace_snow_events.h"

#include <optional>
#include <string>
#include <vector>

namespace snow::sched {

class Env;

// One event for the PVM edge to send (Env::trace).
struct SchedTraceEvent {
  comm::trace::Settings to;  // the task's collector
  comm::trace::SnowEvent event = comm::trace::SnowEvent::SchedRequest;
  int vtid = 0, mig = 0, peer = 0;
  std::string detail;
};

// The trace destination in a task's enrolment environment ("NAME=VALUE"
// entries), when it takes SNOW's events; nullopt otherwise (not traced,
// mask without user-defined events, or a malformed SNOW_TRACE).
std::optional<comm::trace::Settings> trace_destination(const std::vector<std::string>& env);

// Hands the event to env.trace() when the task (its enrolment environment
// `task_env`) is traced; nothing otherwise.
void trace_sched(Env& env, const std::vector<std::string>& task_env, comm::trace::SnowEvent e, int vtid, int mig,
                 const std::string& detail);

// The PVM edge: sends the record from this process (the scheduler: its
// tid, host and architecture).
void send_sched_event(const SchedTraceEvent& ev);

}  // namespace snow::sched
