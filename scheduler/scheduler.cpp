#include "scheduler/scheduler.h"

#include "libsnowpvm/util/tid.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>

namespace snow::sched {
namespace {

uint64_t micros_since(Clock::time_point t) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count());
}

const char* kStateNames[] = {"spawning", "waiting-ready", "requested", "started", "state-sent", "aborting"};

}  // namespace

const char* state_name(int s) { return s >= 0 && s < 6 ? kStateNames[s] : "?"; }

Scheduler::Task* Scheduler::task(int vtid) {
  auto it = tasks_.find(vtid);
  return it == tasks_.end() ? nullptr : &it->second;
}

Scheduler::Task* Scheduler::task_by_real(int real) {
  auto it = vtid_of_real_.find(real);
  return it == vtid_of_real_.end() ? nullptr : task(it->second);
}

Scheduler::Migration* Scheduler::migration(int id) {
  auto it = migrations_.find(id);
  return it == migrations_.end() ? nullptr : &it->second;
}

void Scheduler::enter(Migration& m, State s) {
  m.state = s;
  m.since = Clock::now();
  spdlog::info("migration: mig={} vtid={} state={}", m.id, tid_str(m.vtid), state_name(static_cast<int>(s)));
}

// ------------------------------------------------------------------ tasks

void Scheduler::enroll(int src, const wire::Enroll& m) {
  if (src != m.real) {
    spdlog::warn("enroll: from={} for {} (dropped: a task enrols itself)", tid_str(src), tid_str(m.real));
    return;
  }
  Task& t = tasks_[m.vtid];
  t.info = m;
  t.status = wire::TaskStatus::Running;
  vtid_of_real_[m.real] = m.vtid;
  env_.watch_exit(m.real);
  spdlog::info("enroll: vtid={} host={} arch={} program={} parent={}", tid_str(m.vtid), m.host, m.arch,
               m.program, tid_str(m.parent));
}

void Scheduler::exiting(int src, const wire::Exiting& m) {
  Task* t = task(m.vtid);
  if (!t || t->info.real != src) return;
  t->status = wire::TaskStatus::Terminated;
  spdlog::info("exit: vtid={} real={} (announced)", tid_str(m.vtid), tid_str(src));
  answer_deferred(m.vtid);
  send_group_answers(groups_.leave_all(m.vtid));
}

void Scheduler::on_task_exit(int tid) {
  std::vector<int> to_abort, source_gone;
  for (auto& [id, m] : migrations_) {
    if (tid == m.x) to_abort.push_back(id);
    if (tid == m.src_real) source_gone.push_back(id);
  }
  for (int id : to_abort)
    if (auto* m = migration(id)) abort(*m, "the initialized process " + tid_str(tid) + " exited");
  for (int id : source_gone) {
    if (auto* m = migration(id)) {
      m->source_alive = false;
      if (m->x) env_.kill(m->x);
      finish(*m, false, "the migrating task " + tid_str(tid) + " exited");
    }
  }
  for (auto& [ck, c] : checkpoints_)
    if (c.real == tid && !c.exited) c.exited = Clock::now();  // its report may still be on its way
  if (Task* t = task_by_real(tid); t && t->status != wire::TaskStatus::Terminated) {
    t->status = wire::TaskStatus::Terminated;
    spdlog::info("exit: vtid={} real={}", tid_str(t->info.vtid), tid_str(tid));
    answer_deferred(t->info.vtid);
    send_group_answers(groups_.leave_all(t->info.vtid));
  }
}

void Scheduler::on_host_delete(int dtid) {
  spdlog::info("host-delete: host={}", tid_str(dtid));
  std::vector<int> gone;
  for (const auto& [real, vtid] : vtid_of_real_)
    if (tid_host_part(real) == tid_host_part(dtid)) gone.push_back(real);
  for (const auto& [id, m] : migrations_)
    if (m.x && tid_host_part(m.x) == tid_host_part(dtid)) gone.push_back(m.x);
  for (int real : gone) on_task_exit(real);
}

// Fig. 3 line 10: the status and location of a task, on demand.
std::optional<wire::LocateReply> Scheduler::answer(int src, const wire::Locate& q, bool expired) {
  wire::LocateReply r;
  r.req = q.req;
  r.vtid = q.vtid;
  r.mig = 0;
  Task* t = task(q.vtid);
  if (!t) {
    r.status = static_cast<int>(wire::TaskStatus::Unknown);
    r.real = q.vtid;
    return r;
  }
  r.real = t->info.real;
  r.status = static_cast<int>(t->status);
  if (t->status == wire::TaskStatus::Terminated) return r;
  if (Migration* m = migration(t->mig)) {
    if (m->state == State::Started || m->state == State::StateSent) {
      m->lookers.insert(src);  // it may keep copies: tell it how this ends
      r.status = static_cast<int>(wire::TaskStatus::Migrating);
      r.real = m->x;
      r.mig = m->id;
      return r;
    }
    if (!expired) return std::nullopt;  // not rejecting yet, or aborting: soon resolved
    r.status = static_cast<int>(wire::TaskStatus::Running);
    return r;
  }
  bool stale = q.nacked_real == t->info.real &&
               (q.reason == static_cast<int>(wire::NackReason::Exited) ||
                q.reason == static_cast<int>(wire::NackReason::HostGone));
  if (stale && !expired) return std::nullopt;  // its exit notice is on its way
  r.status = static_cast<int>(wire::TaskStatus::Running);
  return r;
}

void Scheduler::locate(int src, const wire::Locate& q) {
  if (auto r = answer(src, q, false)) {
    spdlog::debug("locate: vtid={} by={} -> {} at={}", tid_str(q.vtid), tid_str(src),
                  wire::task_status_name(r->status), tid_str(r->real));
    env_.send(src, *r);
    return;
  }
  spdlog::info("locate: vtid={} by={} deferred", tid_str(q.vtid), tid_str(src));
  deferred_.push_back({src, q, Clock::now()});
}

void Scheduler::answer_deferred(int vtid, bool expired_only) {
  std::vector<Deferred> keep;
  auto pending = std::move(deferred_);
  deferred_.clear();
  for (auto& d : pending) {
    bool expired = Clock::now() - d.since >= limits_.lookup;
    if ((vtid != 0 && d.q.vtid != vtid) || (expired_only && !expired)) {
      keep.push_back(d);
      continue;
    }
    if (auto r = answer(d.src, d.q, expired)) {
      env_.send(d.src, *r);
    } else {
      keep.push_back(d);
    }
  }
  for (auto& d : deferred_) keep.push_back(d);
  deferred_ = std::move(keep);
}

// -------------------------------------------------------------- operators

std::optional<wire::MigrateResult> Scheduler::refuse_reason(const wire::MigrateCmd& c, HostInfo& dst) {
  wire::MigrateResult r;
  r.req = c.req;
  r.vtid = c.vtid;
  r.ok = false;
  Task* t = task(c.vtid);
  auto hosts = env_.hosts();
  std::string names;
  for (const auto& h : hosts) names += (names.empty() ? "" : " ") + h.name;
  auto h = std::find_if(hosts.begin(), hosts.end(), [&](const HostInfo& x) { return x.name == c.host; });
  if (!t) r.text = "unknown task " + tid_str(c.vtid) + " (not a SNOW task of this virtual machine; see snow ps)";
  else if (t->status == wire::TaskStatus::Terminated) r.text = "task " + tid_str(c.vtid) + " has exited";
  else if (t->mig) r.text = "task " + tid_str(c.vtid) + " is already migrating (migration " + std::to_string(t->mig) + ")";
  else if (h == hosts.end()) r.text = "unknown host '" + c.host + "' (hosts: " + names + ")";
  else if (!h->ext) r.text = "host " + c.host + " has no SNOW extension running";
  else if (h->name == t->info.host) r.text = "task " + tid_str(c.vtid) + " is already on " + c.host;
  else {
    dst = *h;
    return std::nullopt;
  }
  return r;
}

void Scheduler::migrate(int src, const wire::MigrateCmd& c) {
  HostInfo dst;
  if (auto no = refuse_reason(c, dst)) {
    spdlog::warn("migrate: refused vtid={} host={}: {}", tid_str(c.vtid), c.host, no->text);
    env_.send(src, *no);
    return;
  }
  Task& t = *task(c.vtid);
  int id = next_mig_++;
  Migration& m = migrations_[id];
  m.id = id;
  m.vtid = c.vtid;
  m.client = src;
  m.client_req = c.req;
  m.src_real = t.info.real;
  m.from_host = t.info.host;
  m.from_arch = t.info.arch;
  m.to_host = dst.name;
  m.to_arch = dst.arch;
  m.started = Clock::now();
  wire::HistoryRow row;
  row.mig = id;
  row.vtid = c.vtid;
  row.old_real = m.src_real;
  row.new_real = 0;
  row.started_ms = env_.unix_ms();
  row.from_host = m.from_host;
  row.to_host = m.to_host;
  m.record = std::make_unique<JournalRecord>(journal_, row);
  t.mig = id;
  spdlog::info("migrate: mig={} vtid={} from={}({}) to={}({})", id, tid_str(c.vtid), m.from_host, m.from_arch,
               m.to_host, m.to_arch);
  wire::SpawnInit s;
  s.mig = id;
  s.vtid = c.vtid;
  s.app_ctx = t.info.app_ctx;
  s.out_tid = t.info.out_tid;
  s.out_ctx = t.info.out_ctx;
  s.out_tag = t.info.out_tag;
  s.program = t.info.program;
  // The same binary runs on a host of the same architecture (the build
  // tree or the installation is shared, as with NFS).
  if (dst.arch == t.info.arch) s.same_arch_path = t.info.path;
  s.args = t.info.args;
  s.env = t.info.env;
  enter(m, State::Spawning);
  trace_sched(env_, t.info.env, comm::trace::SnowEvent::SchedRequest, c.vtid, id, m.to_host);
  env_.send(dst.ext, s);
}

wire::PsReply Scheduler::ps(int req) const {
  wire::PsReply r;
  r.req = req;
  for (const auto& [vtid, t] : tasks_) {
    wire::PsRow row;
    row.vtid = vtid;
    row.real = t.info.real;
    row.parent = t.info.parent;
    row.status = static_cast<int>(t.mig ? wire::TaskStatus::Migrating : t.status);
    row.migrations = t.migrations;
    row.host = t.info.host;
    row.arch = t.info.arch;
    row.program = t.info.program;
    r.rows.push_back(row);
  }
  return r;
}

wire::HistoryReply Scheduler::history(int req) const {
  wire::HistoryReply r;
  r.req = req;
  r.rows = journal_.rows();
  return r;
}

// ------------------------------------------------------------ checkpoints

void Scheduler::checkpoint(int src, const wire::CheckpointCmd& c) {
  Checkpoint ck;
  ck.client = src;
  ck.req = c.req;
  ck.vtid = c.vtid;
  ck.stop = c.stop;
  ck.file = c.file;
  Task* t = task(c.vtid);
  std::string no;
  if (!t) no = "no SNOW task " + tid_str(c.vtid);
  else if (t->status == wire::TaskStatus::Terminated) no = "task " + tid_str(c.vtid) + " has exited";
  else if (t->mig) no = "task " + tid_str(c.vtid) + " is migrating (migration " + std::to_string(t->mig) + ")";
  for (const auto& [id, other] : checkpoints_)
    if (other.vtid == c.vtid) no = "task " + tid_str(c.vtid) + " is already taking a checkpoint";
  if (!no.empty()) {
    spdlog::warn("checkpoint: refused vtid={}: {}", tid_str(c.vtid), no);
    checkpoint_result(ck, false, no);
    return;
  }
  int id = next_ck_++;
  ck.real = t->info.real;
  ck.since = Clock::now();
  checkpoints_[id] = ck;
  wire::CheckpointRequest q;
  q.ck = id;
  q.stop = c.stop;
  q.file = c.file;
  env_.send(ck.real, q);
  env_.signal(ck.real, SIGUSR1);
  spdlog::info("checkpoint: ck={} vtid={} real={} file={} stop={}", id, tid_str(c.vtid), tid_str(ck.real), c.file,
               c.stop);
}

void Scheduler::on_checkpoint_done(int src, const wire::CheckpointDone& d) {
  auto it = checkpoints_.find(d.ck);
  if (it == checkpoints_.end() || it->second.real != src) {
    spdlog::warn("checkpoint-done: ck={} from={} not expected", d.ck, tid_str(src));
    return;
  }
  Checkpoint c = it->second;
  checkpoints_.erase(it);
  checkpoint_result(c, d.ok, d.ok ? "written" : d.text, d.bytes);
}

void Scheduler::checkpoint_result(const Checkpoint& c, bool ok, const std::string& text, uint64_t bytes) {
  wire::CheckpointResult r;
  r.req = c.req;
  r.vtid = c.vtid;
  r.ok = ok;
  r.stopped = ok && c.stop;
  r.bytes = bytes;
  r.text = text;
  if (const Task* t = task(c.vtid)) {
    r.host = t->info.host;
    r.arch = t->info.arch;
    r.program = t->info.program;
  }
  spdlog::info("checkpoint: vtid={} file={} {} ({})", tid_str(c.vtid), c.file, ok ? "written" : "failed", text);
  env_.send(c.client, r);
}

// ---------------------------------------------------------- migration steps

void Scheduler::on_spawn_result(int src, const wire::SpawnResult& r) {
  Migration* m = migration(r.mig);
  if (!m || m->state != State::Spawning) {
    if (r.tid > 0) env_.kill(r.tid);  // an orphan of a migration that ended
    return;
  }
  if (r.tid <= 0) {
    finish(*m, false, r.error.empty() ? "the destination could not start the program" : r.error);
    return;
  }
  m->x = r.tid;
  env_.watch_exit(r.tid);
  spdlog::info("spawn-result: mig={} initialized={} by={}", m->id, tid_str(r.tid), tid_str(src));
  enter(*m, State::WaitingReady);
  if (Task* t = task(m->vtid))
    trace_sched(env_, t->info.env, comm::trace::SnowEvent::SchedSpawn, m->vtid, m->id, tid_str(r.tid) + " on " + m->to_host);
  if (auto early = std::move(m->early_ready)) {
    m->early_ready.reset();
    on_init_ready(early->first, early->second);  // it announced itself first
  }
}

void Scheduler::on_init_ready(int src, const wire::InitReady& r) {
  Migration* m = migration(r.mig);
  if (m && m->state == State::Spawning && !m->early_ready && r.vtid == m->vtid) {
    spdlog::info("init-ready: from={} mig={} before the extension's spawn_result; kept", tid_str(src), r.mig);
    m->early_ready.emplace(src, r);
    return;
  }
  if (!m || m->state != State::WaitingReady || src != m->x) {
    spdlog::warn("init-ready: from={} mig={} not expected (killing it)", tid_str(src), r.mig);
    env_.kill(src);
    return;
  }
  m->addr = r.addr;
  m->port = r.port;
  request(*m);
}

// Fig. 5 line 1: the migration request, a message and SIGUSR1.
void Scheduler::request(Migration& m) {
  wire::MigrateRequest q;
  q.mig = m.id;
  env_.send(m.src_real, q);
  env_.signal(m.src_real, SIGUSR1);
  enter(m, State::Requested);
}

// Fig. 5 lines 2-3.
void Scheduler::on_migration_start(int src, const wire::MigrationStart& s) {
  wire::StartReply r;
  r.mig = s.mig;
  r.new_real = 0;
  r.port = 0;
  Migration* m = migration(s.mig);
  if (!m || m->state != State::Requested || src != m->src_real) {
    r.go = false;
    r.reason = "migration " + std::to_string(s.mig) + " is not current";
    env_.send(src, r);
    return;
  }
  r.go = true;
  r.new_real = m->x;
  r.addr = m->addr;
  r.port = m->port;
  enter(*m, State::Started);
  env_.send(src, r);
}

void Scheduler::on_refused(int src, const wire::Refused& r) {
  Migration* m = migration(r.mig);
  if (!m || src != m->src_real) return;
  if (m->x) env_.kill(m->x);
  finish(*m, false, "refused: " + r.reason);
}

void Scheduler::on_failed(int src, const wire::MigrateFailed& f) {
  Migration* m = migration(f.mig);
  if (!m || src != m->src_real) return;
  abort(*m, f.reason);
}

void Scheduler::on_state_sent(int src, const wire::StateSent& s) {
  Migration* m = migration(s.mig);
  if (!m || src != m->src_real || m->state != State::Started) return;
  m->t.coord_us = s.coord_us;
  m->t.collect_us = s.collect_us;
  m->t.transfer_us = s.transfer_us;
  m->t.state_bytes = s.state_bytes;
  m->t.rml_msgs = s.rml_msgs;
  m->t.peers = s.peers;
  enter(*m, State::StateSent);
  if (m->restored) commit(*m);
}

// Fig. 7 line 5: the commit point.
void Scheduler::on_restore_complete(int src, const wire::RestoreComplete& r) {
  Migration* m = migration(r.mig);
  if (!m || src != m->x || (m->state != State::StateSent && m->state != State::Started)) {
    spdlog::warn("restore-complete: from={} mig={} not expected", tid_str(src), r.mig);
    return;
  }
  m->t.restore_us = r.restore_us;
  m->restored = true;
  if (m->state == State::StateSent) commit(*m);
}

void Scheduler::commit(Migration& m) {
  Task& t = *task(m.vtid);
  m.t.total_us = micros_since(m.started);
  vtid_of_real_.erase(m.src_real);
  vtid_of_real_[m.x] = m.vtid;
  t.info.real = m.x;
  t.info.host = m.to_host;
  t.info.arch = m.to_arch;
  t.status = wire::TaskStatus::Running;
  ++t.migrations;
  wire::Commit c;  // Fig. 7 line 6: the old vmid
  c.mig = m.id;
  c.vtid = m.vtid;
  c.old_real = m.src_real;
  trace_sched(env_, t.info.env, comm::trace::SnowEvent::SchedCommit, m.vtid, m.id, m.to_host + " " + tid_str(m.x));
  env_.send(m.x, c);
  wire::Committed done;  // Fig. 5 line 11
  done.mig = m.id;
  env_.send(m.src_real, done);
  m.record->row().new_real = m.x;
  m.record->success();
  finish(m, true, "migrated");
}

void Scheduler::on_migration_commit(int src, const wire::MigrationCommit& c) {
  spdlog::info("migration-commit: mig={} from={}", c.mig, tid_str(src));
}

void Scheduler::abort(Migration& m, const std::string& why) {
  if (m.state == State::Aborting) return;
  m.abort_reason = why;
  m.record->reason(why);
  if (Task* t = task(m.vtid)) trace_sched(env_, t->info.env, comm::trace::SnowEvent::SchedAbort, m.vtid, m.id, why);
  if (m.x) env_.kill(m.x);
  if (m.early_ready) env_.kill(m.early_ready->first);
  spdlog::warn("abort: mig={} vtid={} state={} reason={}", m.id, tid_str(m.vtid),
               state_name(static_cast<int>(m.state)), why);
  if (m.state == State::Spawning || m.state == State::WaitingReady || m.state == State::Requested) {
    finish(m, false, why);  // the source has not done anything yet
    return;
  }
  wire::Abort a;
  a.mig = m.id;
  a.reason = why;
  env_.send(m.src_real, a);
  enter(m, State::Aborting);
}

void Scheduler::on_resumed(int src, const wire::Resumed& r) {
  Migration* m = migration(r.mig);
  if (!m || src != m->src_real) return;
  finish(*m, false, m->abort_reason.empty() ? "aborted by the source" : m->abort_reason);
}

// The end of a migration, either way: the task's state, the tasks that
// looked it up, the operator, the journal.
void Scheduler::finish(Migration& m, bool ok, const std::string& text) {
  Task* t = task(m.vtid);
  if (!ok) {
    m.record->reason(text);
    if (t && m.abort_reason.empty())  // ended without abort(): refused, not started, source gone
      trace_sched(env_, t->info.env, comm::trace::SnowEvent::SchedAbort, m.vtid, m.id, text);
    if (t) t->status = m.source_alive ? wire::TaskStatus::Running : wire::TaskStatus::Terminated;
  }
  if (t) t->mig = 0;
  for (int looker : m.lookers) {
    wire::LocationNotice n;
    n.mig = m.id;
    n.vtid = m.vtid;
    n.real = ok ? m.x : m.src_real;
    n.provisional_real = m.x;
    n.aborted = !ok;
    env_.send(looker, n);
  }
  wire::MigrateResult r;
  r.req = m.client_req;
  r.mig = m.id;
  r.vtid = m.vtid;
  r.old_real = m.src_real;
  r.new_real = ok ? m.x : m.src_real;
  r.ok = ok;
  r.text = text;
  r.from_host = m.from_host;
  r.to_host = m.to_host;
  r.from_arch = m.from_arch;
  r.to_arch = m.to_arch;
  r.t = m.t;
  m.record->row().t = m.t;
  if (m.client) env_.send(m.client, r);
  spdlog::info("migration: mig={} vtid={} {} ({}) lookers={} total_us={}", m.id, tid_str(m.vtid),
               ok ? "committed" : "failed", text, m.lookers.size(), m.t.total_us);
  int vtid = m.vtid;
  migrations_.erase(m.id);  // writes the journal record
  answer_deferred(vtid);
}

void Scheduler::tick() {
  std::vector<std::pair<int, std::string>> late;
  auto now = Clock::now();
  for (auto& [id, m] : migrations_) {
    auto in_state = now - m.since;
    switch (m.state) {
      case State::Spawning:
      case State::WaitingReady:
        if (in_state > limits_.ready) late.push_back({id, "the initialized process did not announce itself"});
        break;
      case State::Requested:
        if (in_state > limits_.request)
          late.push_back({id, "the task did not reach a poll-point in time"});
        break;
      case State::Started:
      case State::StateSent:
        if (in_state > limits_.transfer) late.push_back({id, "the state transfer took too long"});
        break;
      case State::Aborting:
        if (in_state > limits_.resume) late.push_back({id, ""});
        break;
    }
  }
  for (auto& [id, why] : late) {
    Migration* m = migration(id);
    if (!m) continue;
    if (m->state == State::Aborting) finish(*m, false, m->abort_reason + " (the source never confirmed)");
    else abort(*m, why);
  }
  answer_deferred(0, /*expired_only=*/true);
  std::vector<std::pair<int, std::string>> failed;
  for (const auto& [id, c] : checkpoints_) {
    if (c.exited && now - *c.exited > limits_.exit_grace)
      failed.push_back({id, "the task exited before it wrote the checkpoint"});
    else if (!c.exited && now - c.since > limits_.checkpoint)
      failed.push_back({id, "the task did not reach a poll-point within " +
                                std::to_string(limits_.checkpoint.count()) + " s"});
  }
  for (const auto& [id, why] : failed) {
    Checkpoint c = checkpoints_[id];
    checkpoints_.erase(id);
    checkpoint_result(c, false, why);
  }
}

}  // namespace snow::sched
