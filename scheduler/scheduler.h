// The central scheduler (seed 001 Secs. 2 and 5): it tracks hosts and
// SNOW tasks, answers "where is task V now" on demand (never by
// broadcast), drives migrations and keeps their history.
//
// This is the typed core; it never touches libpvm.  Everything it does to
// the outside world goes through Env, so the state machine can be tested
// without daemons.  The PVM edge (server.cpp) decodes messages into the
// calls below.
//
// A migration goes
//   Spawning      the destination's extension starts the initialized process
//   WaitingReady  ... which announces itself (InitReady)
//   Requested     migrate_request + SIGUSR1 sent to the task
//   Started       the task runs Fig. 5 (migration_start answered)
//   StateSent     the source has sent everything (state_sent)
//   -> commit once the initialized process also reported restore_complete
//      (the two arrive in either order), or
//   Aborting      the source was told to carry on; waiting for Resumed
#pragma once

#include "libsnowpvm/migrate/wire.h"
#include "scheduler/groups.h"
#include "scheduler/journal.h"
#include "scheduler/trace_emit.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <set>
#include <string>
#include <vector>

namespace snow::sched {

using Clock = std::chrono::steady_clock;

struct HostInfo {
  std::string name;
  int dtid = 0;
  std::string arch;  // "x86_64", ... (from its extension's mailbox entry)
  int ext = 0;       // its extension, 0 if none
};

// The scheduler's view of the outside world.
class Env {
 public:
  virtual ~Env() = default;
  virtual void send(int tid, const wire::Message& m) = 0;
  virtual void signal(int tid, int sig) = 0;
  virtual void kill(int tid) = 0;
  virtual void watch_exit(int tid) = 0;
  virtual std::vector<HostInfo> hosts() = 0;
  virtual uint64_t unix_ms() = 0;
  virtual void trace(const SchedTraceEvent&) {}  // a traced task's scheduler event (trace_emit.h)
};

struct Limits {
  std::chrono::seconds ready{180};     // initialized process announces itself
  std::chrono::seconds request{180};   // the task reaches a safe point
  std::chrono::seconds transfer{600};  // state collected, sent and restored
  std::chrono::seconds resume{60};     // an aborted source confirms
  std::chrono::seconds lookup{5};      // a deferred lookup is answered anyway
  std::chrono::seconds checkpoint{180};  // a task reaches a poll-point and writes its checkpoint
                                         // (tasks drop requests deferred for 170 s: exec/checkpoint.cpp)
  std::chrono::seconds exit_grace{3};  // its report may follow the exit of a task stopped by --stop
};

class Scheduler {
 public:
  Scheduler(Env& env, Journal& journal, Limits limits = {}) : env_(env), journal_(journal), limits_(limits) {}

  // Tasks.
  void enroll(int src, const wire::Enroll& m);
  void exiting(int src, const wire::Exiting& m);
  void locate(int src, const wire::Locate& q);  // Fig. 3 line 10
  void on_task_exit(int tid);
  void on_host_delete(int dtid);

  // Operators.
  void migrate(int src, const wire::MigrateCmd& c);
  wire::PsReply ps(int req) const;
  wire::HistoryReply history(int req) const;
  void checkpoint(int src, const wire::CheckpointCmd& c);  // snow checkpoint
  void on_checkpoint_done(int src, const wire::CheckpointDone& d);

  // PVM groups by virtual tid (groups.h; scheduler_groups.cpp).
  void group_call(int src, const wire::GroupCall& c);

  // Migration steps.
  void on_spawn_result(int src, const wire::SpawnResult& m);
  void on_init_ready(int src, const wire::InitReady& m);
  void on_migration_start(int src, const wire::MigrationStart& m);  // Fig. 5 line 2
  void on_refused(int src, const wire::Refused& m);
  void on_failed(int src, const wire::MigrateFailed& m);
  void on_state_sent(int src, const wire::StateSent& m);
  void on_restore_complete(int src, const wire::RestoreComplete& m);  // Fig. 7 line 5
  void on_migration_commit(int src, const wire::MigrationCommit& m);  // Fig. 7 line 7
  void on_resumed(int src, const wire::Resumed& m);

  // Watchdogs and deferred lookups; call about once a second.
  void tick();

  size_t active_migrations() const { return migrations_.size(); }

 private:
  enum class State { Spawning, WaitingReady, Requested, Started, StateSent, Aborting };
  struct Task {
    wire::Enroll info;  // info.real is the current real tid
    wire::TaskStatus status = wire::TaskStatus::Running;
    int migrations = 0;
    int mig = 0;  // active migration
  };
  struct Migration {
    int id = 0, vtid = 0, client = 0, client_req = 0, src_real = 0, x = 0, port = 0;
    std::string from_host, to_host, from_arch, to_arch, addr, abort_reason;
    State state = State::Spawning;
    bool source_alive = true;
    bool restored = false;  // restore_complete arrived (it may overtake state_sent)
    // init_ready overtook the extension's spawn_result (a process started on
    // an idle host announces itself at once): kept until we know its tid.
    std::optional<std::pair<int, wire::InitReady>> early_ready;
    std::set<int> lookers;
    Clock::time_point started, since;
    wire::Timings t;
    std::unique_ptr<JournalRecord> record;
  };
  struct Checkpoint {  // a checkpoint request forwarded to a task
    int client = 0, req = 0, vtid = 0, real = 0;
    bool stop = false;
    std::string file;
    Clock::time_point since;
    std::optional<Clock::time_point> exited;  // the task exited meanwhile
  };
  struct Deferred {
    int src;
    wire::Locate q;
    Clock::time_point since;
  };

  Task* task(int vtid);
  Task* task_by_real(int real);
  Migration* migration(int id);
  std::optional<wire::MigrateResult> refuse_reason(const wire::MigrateCmd& c, HostInfo& dst);
  std::optional<wire::LocateReply> answer(int src, const wire::Locate& q, bool expired);
  void answer_deferred(int vtid, bool expired_only = false);
  void request(Migration& m);
  void commit(Migration& m);
  void abort(Migration& m, const std::string& why);
  void finish(Migration& m, bool ok, const std::string& text);
  void enter(Migration& m, State s);
  void checkpoint_result(const Checkpoint& c, bool ok, const std::string& text, uint64_t bytes = 0);
  void send_group_answers(const std::vector<GroupServer::Answer>& answers, int asker = 0);

  Env& env_;
  Journal& journal_;
  Limits limits_;
  std::map<int, Task> tasks_;          // by vtid
  std::map<int, int> vtid_of_real_;    // current real tids only
  std::map<int, Migration> migrations_;
  std::vector<Deferred> deferred_;
  int next_mig_ = 1;
  std::map<int, Checkpoint> checkpoints_;  // by request number
  int next_ck_ = 1;
  GroupServer groups_;
};

const char* state_name(int s);

}  // namespace snow::sched
