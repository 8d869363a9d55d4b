// A traced run as a space-time diagram needs it (seed 001 Figs 10-13):
// per task (virtual tid) its timeline cut into one segment per process
// (host/architecture), the scheduler's timeline, messages matched from
// send to receive, and each migration's phases.  Pure logic: events in,
// model out (model.cpp says how each is derived).
#pragma once

#include "snow/trace/event.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace snow::cli::trace {

struct Segment {
  double t0 = 0, t1 = 0;
  int real_tid = 0;
  std::string host, arch;  // "?" when not known
};

struct TaskLine {
  int vtid = 0;
  double t0 = 0, t1 = 0;
  std::vector<Segment> segments;  // in time order, at least one
  bool exited = false;            // an exit record was seen
};

struct Message {
  int from = 0, to = 0, tag = 0;
  double sent = 0;
  std::optional<double> received;  // none: an unmatched send (drawn as a stub)
};

// One shaded phase of a migration on the migrating task's line.
struct PhaseBand {
  int vtid = 0, mig = 0;
  std::string phase;  // "request", "coordinate", "transfer", "restore"
  double t0 = 0, t1 = 0;
};

// A point on a line: commit, abort, peer_migrating, conn_nack (tasks) or
// the scheduler's request/spawn/commit/abort.
struct Mark {
  int vtid = 0;  // the task's line; 0 on the scheduler's line
  int mig = 0;
  int about = 0;  // the task concerned (scheduler marks), the peer (peer_migrating, conn_nack)
  double t = 0;
  std::string what;    // the event name without "snow_"
  std::string detail;
};

struct Model {
  double t0 = 0, t1 = 0;
  std::vector<TaskLine> tasks;  // by virtual tid
  std::vector<Message> messages;
  std::vector<PhaseBand> bands;
  std::vector<Mark> marks;        // on task lines
  std::vector<Mark> sched_marks;  // on the scheduler's line
  std::size_t unmatched_sends = 0;
  std::size_t unmatched_receives = 0;
  std::size_t migrations = 0;      // distinct (vtid, mig) with any migration event
  bool snow_events = false;        // any SNOW event at all (the runtime's emitter)
  const TaskLine* task(int vtid) const;
};

Model build_model(const std::vector<Event>& events);

}  // namespace snow::cli::trace
