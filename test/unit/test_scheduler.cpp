// The scheduler's state machine, driven without daemons (scheduler/scheduler.h).
#include "scheduler/scheduler.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

using namespace snow;
using namespace snow::sched;

namespace {

struct Sent {
  int to;
  wire::Message msg;
};

class FakeEnv : public Env {
 public:
  std::vector<Sent> sent;
  std::vector<int> killed, signalled;
  void send(int tid, const wire::Message& m) override { sent.push_back({tid, m}); }
  void signal(int tid, int sig) override {
    if (sig == SIGUSR1) signalled.push_back(tid);
  }
  void kill(int tid) override { killed.push_back(tid); }
  void watch_exit(int) override {}
  std::vector<HostInfo> hosts() override {
    return {{"vh1", 0x40000, "x86_64", 0x40001}, {"vh2", 0x80000, "i386", 0x80001},
            {"vh3", 0xc0000, "s390x", 0}};
  }
  uint64_t unix_ms() override { return 1; }
  template <class M> std::vector<M> all(int to = 0) const {
    std::vector<M> v;
    for (const auto& s : sent)
      if (auto* m = std::get_if<M>(&s.msg); m && (to == 0 || s.to == to)) v.push_back(*m);
    return v;
  }
};

constexpr int kTask = 0x40003, kClient = 0x40009, kPeer = 0x40004, kX = 0x80005;

struct Fixture {
  FakeEnv env;
  Journal journal{""};
  Scheduler s{env, journal};
  Fixture() {
    wire::Enroll e;
    e.vtid = e.real = kTask;
    e.parent = 0, e.app_ctx = 0, e.out_tid = 0, e.out_ctx = 0, e.out_tag = 0;
    e.host = "vh1", e.arch = "x86_64", e.program = "prog";
    s.enroll(kTask, e);
  }
  wire::MigrateResult migrate_to(const std::string& host) {
    wire::MigrateCmd c;
    c.req = 1, c.vtid = kTask, c.host = host;
    s.migrate(kClient, c);
    auto r = env.all<wire::MigrateResult>(kClient);
    return r.empty() ? wire::MigrateResult{} : r.back();
  }
  // Runs a migration to vh2 up to the point where the source has started Fig. 5.
  void start() {
    migrate_to("vh2");
    REQUIRE(env.all<wire::SpawnInit>(0x80001).size() == 1);
    wire::SpawnResult sr;
    sr.mig = 1, sr.tid = kX;
    s.on_spawn_result(0x80001, sr);
    wire::InitReady ir;
    ir.mig = 1, ir.vtid = kTask, ir.real = kX, ir.port = 5000, ir.addr = "10.0.0.2";
    s.on_init_ready(kX, ir);
    REQUIRE(env.signalled == std::vector<int>{kTask});
    wire::MigrationStart ms;
    ms.mig = 1;
    s.on_migration_start(kTask, ms);
    auto go = env.all<wire::StartReply>(kTask);
    REQUIRE(go.size() == 1);
    REQUIRE(go[0].go);
    REQUIRE(go[0].new_real == kX);
  }
  wire::LocateReply locate(int from, int reason = 1) {
    wire::Locate q;
    q.req = static_cast<int>(env.sent.size()), q.vtid = kTask, q.nacked_real = kTask, q.reason = reason;
    s.locate(from, q);
    auto r = env.all<wire::LocateReply>(from);
    return r.empty() ? wire::LocateReply{} : r.back();
  }
};

}  // namespace

TEST_CASE("impossible migrations are refused with a reason", "[scheduler]") {
  Fixture f;
  CHECK_THAT(f.migrate_to("vh9").text, Catch::Contains("unknown host 'vh9' (hosts: vh1 vh2 vh3)"));
  CHECK_THAT(f.migrate_to("vh3").text, Catch::Contains("no SNOW extension"));
  CHECK_THAT(f.migrate_to("vh1").text, Catch::Contains("already on vh1"));
  wire::MigrateCmd c;
  c.req = 2, c.vtid = 0x4dead, c.host = "vh2";
  f.s.migrate(kClient, c);
  CHECK_THAT(f.env.all<wire::MigrateResult>().back().text, Catch::Contains("unknown task t4dead"));
  CHECK(f.journal.rows().empty());  // refused before anything started
}

TEST_CASE("a migration commits when the state was sent and restored, in either order", "[scheduler]") {
  Fixture f;
  f.start();
  CHECK(f.locate(kPeer).status == static_cast<int>(wire::TaskStatus::Migrating));
  CHECK(f.locate(kPeer).real == kX);
  wire::RestoreComplete rc;
  rc.mig = 1, rc.restore_us = 10;
  f.s.on_restore_complete(kX, rc);  // overtakes state_sent
  CHECK(f.env.all<wire::Commit>().empty());
  wire::StateSent ss;
  ss.mig = 1, ss.coord_us = 5, ss.peers = 3, ss.rml_msgs = 2;
  f.s.on_state_sent(kTask, ss);
  REQUIRE(f.env.all<wire::Commit>(kX).size() == 1);
  CHECK(f.env.all<wire::Commit>(kX)[0].old_real == kTask);
  CHECK(f.env.all<wire::Committed>(kTask).size() == 1);
  auto notices = f.env.all<wire::LocationNotice>(kPeer);
  REQUIRE(notices.size() == 1);  // exactly the task that looked it up, no broadcast
  CHECK_FALSE(notices[0].aborted);
  auto r = f.env.all<wire::MigrateResult>(kClient).back();
  CHECK(r.ok);
  CHECK(r.t.peers == 3);
  REQUIRE(f.journal.rows().size() == 1);
  CHECK(f.journal.rows()[0].outcome == "ok");
  CHECK(f.locate(kPeer).real == kX);  // running there now
  // The old process's exit is not the task's exit.
  f.s.on_task_exit(kTask);
  CHECK(f.locate(kPeer).status == static_cast<int>(wire::TaskStatus::Running));
}

TEST_CASE("the destination dying aborts: the source resumes, lookers are told, the journal says why",
          "[scheduler]") {
  Fixture f;
  f.start();
  f.locate(kPeer);
  f.s.on_task_exit(kX);
  auto abort = f.env.all<wire::Abort>(kTask);
  REQUIRE(abort.size() == 1);
  CHECK_THAT(abort[0].reason, Catch::Contains("exited"));
  // Until the source confirms, lookups wait.
  size_t before = f.env.all<wire::LocateReply>(kPeer).size();
  wire::Locate q;
  q.req = 99, q.vtid = kTask, q.nacked_real = kX, q.reason = 2;
  f.s.locate(kPeer, q);
  CHECK(f.env.all<wire::LocateReply>(kPeer).size() == before);
  wire::Resumed res;
  res.mig = 1;
  f.s.on_resumed(kTask, res);
  auto notices = f.env.all<wire::LocationNotice>(kPeer);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].aborted);
  CHECK(notices[0].real == kTask);
  CHECK(notices[0].provisional_real == kX);
  auto late = f.env.all<wire::LocateReply>(kPeer).back();
  CHECK(late.req == 99);
  CHECK(late.real == kTask);
  CHECK_FALSE(f.env.all<wire::MigrateResult>(kClient).back().ok);
  REQUIRE(f.journal.rows().size() == 1);
  CHECK_THAT(f.journal.rows()[0].outcome, Catch::StartsWith("failed: the initialized process"));
}

TEST_CASE("a refusal by the source kills the initialized process and ends the migration", "[scheduler]") {
  Fixture f;
  f.start();
  wire::Refused no;
  no.mig = 1, no.reason = "cannot migrate: x: too wide";
  f.s.on_refused(kTask, no);
  CHECK(f.env.killed == std::vector<int>{kX});
  CHECK_THAT(f.env.all<wire::MigrateResult>(kClient).back().text, Catch::Contains("too wide"));
  CHECK(f.s.active_migrations() == 0);
}

TEST_CASE("lookups after an exit nack wait for the exit, then say terminated", "[scheduler]") {
  Fixture f;
  wire::Locate q;
  q.req = 5, q.vtid = kTask, q.nacked_real = kTask, q.reason = static_cast<int>(wire::NackReason::Exited);
  f.s.locate(kPeer, q);
  CHECK(f.env.all<wire::LocateReply>(kPeer).empty());
  f.s.on_task_exit(kTask);
  auto r = f.env.all<wire::LocateReply>(kPeer);
  REQUIRE(r.size() == 1);
  CHECK(r[0].status == static_cast<int>(wire::TaskStatus::Terminated));
}

TEST_CASE("messages from the wrong sender change nothing", "[scheduler]") {
  Fixture f;
  f.start();
  wire::RestoreComplete rc;
  rc.mig = 1;
  f.s.on_restore_complete(kPeer, rc);  // not the initialized process
  wire::StateSent ss;
  ss.mig = 1;
  f.s.on_state_sent(kPeer, ss);  // not the source
  CHECK(f.env.all<wire::Commit>().empty());
  wire::MigrationStart again;
  again.mig = 1;
  f.s.on_migration_start(kTask, again);  // not current any more
  CHECK_FALSE(f.env.all<wire::StartReply>(kTask).back().go);
}

TEST_CASE("snow checkpoint: forwarded to the task, answered from its report; refusals and exits reported",
          "[scheduler]") {
  Fixture f;
  wire::CheckpointCmd c;
  c.req = 7, c.vtid = kTask, c.file = "/shared/a.ckpt", c.stop = true;
  f.s.checkpoint(kClient, c);
  auto q = f.env.all<wire::CheckpointRequest>(kTask);
  REQUIRE(q.size() == 1);
  CHECK(q[0].file == "/shared/a.ckpt");
  CHECK(q[0].stop);
  CHECK(f.env.signalled == std::vector<int>{kTask});
  // A second request while one is pending is refused.
  c.req = 8;
  f.s.checkpoint(kClient, c);
  auto r = f.env.all<wire::CheckpointResult>(kClient);
  REQUIRE(r.size() == 1);
  CHECK(r[0].req == 8);
  CHECK_FALSE(r[0].ok);
  CHECK(r[0].text.find("already taking a checkpoint") != std::string::npos);
  // A report from another task changes nothing; the task's own answers.
  wire::CheckpointDone d;
  d.ck = q[0].ck, d.ok = true, d.bytes = 1234;
  f.s.on_checkpoint_done(kPeer, d);
  CHECK(f.env.all<wire::CheckpointResult>(kClient).size() == 1);
  f.s.on_checkpoint_done(kTask, d);
  r = f.env.all<wire::CheckpointResult>(kClient);
  REQUIRE(r.size() == 2);
  CHECK(r[1].req == 7);
  CHECK(r[1].ok);
  CHECK(r[1].stopped);
  CHECK(r[1].bytes == 1234);
  CHECK(r[1].program == "prog");

  // Unknown task: refused at once.
  c.req = 9, c.vtid = 0x40077;
  f.s.checkpoint(kClient, c);
  r = f.env.all<wire::CheckpointResult>(kClient);
  REQUIRE(r.size() == 3);
  CHECK_FALSE(r[2].ok);
  CHECK(r[2].text.find("no SNOW task") != std::string::npos);
}

TEST_CASE("snow checkpoint: a task that exits without reporting fails the request", "[scheduler]") {
  FakeEnv env;
  Journal journal{""};
  Limits limits;
  limits.exit_grace = std::chrono::seconds(0);
  Scheduler s{env, journal, limits};
  wire::Enroll e;
  e.vtid = e.real = kTask;
  e.parent = 0, e.app_ctx = 0, e.out_tid = 0, e.out_ctx = 0, e.out_tag = 0;
  e.host = "vh1", e.arch = "x86_64", e.program = "prog";
  s.enroll(kTask, e);
  wire::CheckpointCmd c;
  c.req = 3, c.vtid = kTask, c.file = "/shared/b.ckpt";
  s.checkpoint(kClient, c);
  s.on_task_exit(kTask);
  CHECK(env.all<wire::CheckpointResult>(kClient).empty());  // its report may still arrive
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.tick();
  auto r = env.all<wire::CheckpointResult>(kClient);
  REQUIRE(r.size() == 1);
  CHECK_FALSE(r[0].ok);
  CHECK(r[0].text.find("exited before it wrote the checkpoint") != std::string::npos);
}

TEST_CASE("an initialized process that announces itself before the extension's spawn_result is kept",
          "[scheduler]") {
  Fixture f;
  f.migrate_to("vh2");
  wire::InitReady ir;
  ir.mig = 1, ir.vtid = kTask, ir.real = kX, ir.port = 5000, ir.addr = "10.0.0.2";
  f.s.on_init_ready(kX, ir);  // overtakes spawn_result
  CHECK(f.env.killed.empty());
  CHECK(f.env.signalled.empty());
  wire::SpawnResult sr;
  sr.mig = 1, sr.tid = kX;
  f.s.on_spawn_result(0x80001, sr);
  CHECK(f.env.killed.empty());
  CHECK(f.env.signalled == std::vector<int>{kTask});  // the request went out
  CHECK(f.env.all<wire::MigrateRequest>(kTask).size() == 1);
}
