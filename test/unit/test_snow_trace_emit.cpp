// SNOW's own trace events (issue 11 item 3): the record's items, when a
// collector takes them, which migration phases emit which events, and the
// scheduler's events for a traced task (comm/trace_snow_emit.h,
// migrate/phase_events.h, scheduler/trace_emit.h).
#include "libsnowpvm/comm/trace_snow_emit.h"
#include "libsnowpvm/migrate/phase_events.h"
#include "scheduler/scheduler.h"

#include <catch2/catch.hpp>
#include <pvm3.h>
#include <pvmtev.h>

#include <csignal>
#include <string>

using namespace snow;
using snow::comm::trace::SnowEvent;

namespace {

// A trace mask (libpvm's printable form) with these event kinds.
std::string mask_with(std::initializer_list<int> kinds) {
  Pvmtmask m;
  TEV_MASK_INIT(m);
  for (int k : kinds) TEV_MASK_SET(m, k);
  return std::string(m);
}

comm::trace::Settings traced(const std::string& mask) {
  comm::trace::Settings s;
  s.tid = 0x40002;
  s.ctx = 0;
  s.tag = 666;
  s.options = PvmTraceFull;
  s.mask = mask;
  return s;
}

}  // namespace

TEST_CASE("snow trace record: the seven items in the contract's order and types", "[trace][snow]") {
  comm::trace::SnowRecord r;
  r.event = SnowEvent::Commit;
  r.vtid = 0x80003, r.real = 0xc0004, r.mig = 7, r.peer = 0x40005;
  r.host = "vh3", r.arch = "LINUXS390", r.detail = "Commit";
  auto items = comm::trace::snow_items(r);
  REQUIRE(items.size() == static_cast<std::size_t>(comm::trace::kSnowItems + 1));
  const int I = TEV_DATA_INT | TEV_DATA_SCALAR, S = TEV_DATA_STRING | TEV_DATA_SCALAR;
  CHECK(items[0].type == I);
  CHECK(items[0].value == 0x80003);
  CHECK(items[1].value == 0xc0004);
  CHECK(items[2].value == 7);
  CHECK(items[3].value == 0x40005);
  CHECK(items[4].type == S);
  CHECK(items[4].text == "vh3");
  CHECK(items[5].text == "LINUXS390");
  CHECK(items[6].type == S);
  CHECK(items[6].text == "Commit");
  // The event's name last: tracer takes user-defined records only named "user_defined".
  CHECK(items[comm::trace::kSnowNameItem].type == S);
  CHECK(items[comm::trace::kSnowNameItem].text == "snow_commit");
  CHECK(comm::trace::snow_event_of_record("user_defined", items.back().text) == SnowEvent::Commit);
  CHECK_FALSE(comm::trace::snow_event_of_record("snow_commit", items.back().text));
  CHECK_FALSE(comm::trace::snow_event_of_record("user_defined", "snow_nonsense"));
}

TEST_CASE("snow trace record: strings are cut for tracer's fixed buffers", "[trace][snow]") {
  comm::trace::SnowRecord r;
  r.detail = std::string(5000, 'x');
  r.host = std::string("vh\0evil", 7);
  auto items = comm::trace::snow_items(r);
  CHECK(items[6].text.size() == comm::trace::kMaxSnowString);
  CHECK(items[4].text == "vh");
}

TEST_CASE("snow trace events go only where user-defined events are asked for", "[trace][snow]") {
  CHECK(comm::trace::wants_snow_events(traced(mask_with({TEV_SEND, TEV_RECV, TEV_USER_DEFINED}))));
  CHECK_FALSE(comm::trace::wants_snow_events(traced(mask_with({TEV_SEND, TEV_RECV}))));
  auto s = traced(mask_with({TEV_USER_DEFINED}));
  s.tid = 0;
  CHECK_FALSE(comm::trace::wants_snow_events(s));  // no collector
  s = traced(mask_with({TEV_USER_DEFINED}));
  s.options = PvmTraceCount;
  CHECK_FALSE(comm::trace::wants_snow_events(s));  // only full tracing is emitted
}

TEST_CASE("migration phases map to SNOW trace events", "[trace][snow]") {
  using migrate::Side;
  using V = std::vector<SnowEvent>;
  CHECK(migrate::phase_events(Side::Source, "Start") == V{SnowEvent::MigrateRequest});
  CHECK(migrate::phase_events(Side::Source, "Reject") == V{SnowEvent::CoordStart});
  CHECK(migrate::phase_events(Side::Source, "ShipRml") == V{SnowEvent::CoordEnd});
  CHECK(migrate::phase_events(Side::Source, "Collect") == V{SnowEvent::XferStart});
  CHECK(migrate::phase_events(Side::Source, "AwaitCommit") == V{SnowEvent::XferEnd});
  CHECK(migrate::phase_events(Side::Source, "Abort") == V{SnowEvent::Abort});
  CHECK(migrate::phase_events(Side::Source, "Drain").empty());
  CHECK(migrate::phase_events(Side::Destination, "ReceiveState") == V{SnowEvent::XferStart});
  CHECK(migrate::phase_events(Side::Destination, "Restore") == V{SnowEvent::XferEnd, SnowEvent::RestoreStart});
  CHECK(migrate::phase_events(Side::Destination, "RestoreComplete") == V{SnowEvent::RestoreEnd});
  CHECK(migrate::phase_events(Side::Destination, "Commit") == V{SnowEvent::Commit});
  CHECK(migrate::phase_events(Side::Destination, "GiveUp") == V{SnowEvent::Abort});
  CHECK(migrate::phase_events(Side::Destination, "Start").empty());  // a source phase name
}

TEST_CASE("the scheduler finds a task's trace destination in its enrolment environment", "[trace][snow][scheduler]") {
  auto s = traced(mask_with({TEV_SEND, TEV_USER_DEFINED}));
  auto found = sched::trace_destination({"SNOW_FAULT=x", "SNOW_TRACE=" + s.encode()});
  REQUIRE(found);
  CHECK(found->tid == s.tid);
  CHECK(found->tag == 666);
  CHECK_FALSE(sched::trace_destination({"SNOW_FAULT=x"}));
  CHECK_FALSE(sched::trace_destination({"SNOW_TRACE=" + traced(mask_with({TEV_SEND})).encode()}));
  CHECK_FALSE(sched::trace_destination({"SNOW_TRACE=1,2,zz"}));       // malformed: refused
  CHECK_FALSE(sched::trace_destination({"SNOW_TRACEX=" + s.encode()}));  // another name
}

namespace {

class TracingEnv : public sched::Env {
 public:
  std::vector<sched::SchedTraceEvent> events;
  void send(int, const wire::Message&) override {}
  void signal(int, int) override {}
  void kill(int) override {}
  void watch_exit(int) override {}
  std::vector<sched::HostInfo> hosts() override {
    return {{"vh1", 0x40000, "x86_64", 0x40001}, {"vh2", 0x80000, "i386", 0x80001}};
  }
  uint64_t unix_ms() override { return 1; }
  void trace(const sched::SchedTraceEvent& ev) override { events.push_back(ev); }
  std::vector<SnowEvent> kinds() const {
    std::vector<SnowEvent> v;
    for (const auto& e : events) v.push_back(e.event);
    return v;
  }
};

constexpr int kTask = 0x40003, kX = 0x80005;

struct SchedFixture {
  TracingEnv env;
  sched::Journal journal{""};
  sched::Scheduler s{env, journal};
  explicit SchedFixture(bool traced_task) {
    wire::Enroll e;
    e.vtid = e.real = kTask;
    e.parent = 0, e.app_ctx = 0, e.out_tid = 0, e.out_ctx = 0, e.out_tag = 0;
    e.host = "vh1", e.arch = "x86_64", e.program = "prog";
    if (traced_task) e.env = {"SNOW_TRACE=" + traced(mask_with({TEV_SEND, TEV_USER_DEFINED})).encode()};
    s.enroll(kTask, e);
    wire::MigrateCmd c;
    c.req = 1, c.vtid = kTask, c.host = "vh2";
    s.migrate(0x40009, c);
    wire::SpawnResult sr;
    sr.mig = 1, sr.tid = kX;
    s.on_spawn_result(0x80001, sr);
    wire::InitReady ir;
    ir.mig = 1, ir.vtid = kTask, ir.real = kX, ir.port = 5000, ir.addr = "10.0.0.2";
    s.on_init_ready(kX, ir);
    wire::MigrationStart ms;
    ms.mig = 1;
    s.on_migration_start(kTask, ms);
  }
};

}  // namespace

TEST_CASE("the scheduler emits request, spawn, commit for a traced task's migration", "[trace][snow][scheduler]") {
  SchedFixture f(true);
  wire::StateSent ss;
  ss.mig = 1;
  f.s.on_state_sent(kTask, ss);
  wire::RestoreComplete rc;
  rc.mig = 1;
  f.s.on_restore_complete(kX, rc);
  using V = std::vector<SnowEvent>;
  CHECK(f.env.kinds() == V{SnowEvent::SchedRequest, SnowEvent::SchedSpawn, SnowEvent::SchedCommit});
  for (const auto& e : f.env.events) {
    CHECK(e.vtid == kTask);
    CHECK(e.mig == 1);
    CHECK(e.to.tid == 0x40002);
  }
  CHECK(f.env.events[0].detail == "vh2");  // the destination host
}

TEST_CASE("the scheduler emits one sched_abort when a traced task's migration aborts", "[trace][snow][scheduler]") {
  SchedFixture f(true);
  f.s.on_task_exit(kX);  // the destination dies: abort, then the source resumes
  wire::Resumed r;
  r.mig = 1;
  f.s.on_resumed(kTask, r);
  using V = std::vector<SnowEvent>;
  REQUIRE(f.env.kinds() == V{SnowEvent::SchedRequest, SnowEvent::SchedSpawn, SnowEvent::SchedAbort});
  CHECK_THAT(f.env.events[2].detail, Catch::Contains("exited"));
}

TEST_CASE("the scheduler emits nothing for an untraced task", "[trace][snow][scheduler]") {
  SchedFixture f(false);
  wire::StateSent ss;
  ss.mig = 1;
  f.s.on_state_sent(kTask, ss);
  wire::RestoreComplete rc;
  rc.mig = 1;
  f.s.on_restore_complete(kX, rc);
  CHECK(f.env.events.empty());
}
