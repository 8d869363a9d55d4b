// PVM groups served by the scheduler (scheduler/groups.h): instance
// numbers, sizes, frozen groups and barriers by virtual tid, and what a
// migration of a member changes (nothing but where answers go).
#include "scheduler/groups.h"
#include "scheduler/scheduler.h"

#include <catch2/catch.hpp>
#include <pvm3.h>

using namespace snow;
using namespace snow::sched;
using wire::GroupOp;

namespace {

constexpr int kA = 0x40003, kB = 0x80004, kC = 0xc0005, kA2 = 0x80009;

int req_no = 1;

wire::GroupCall call(GroupOp op, int vtid, const std::string& group, int arg = 0, int seq = 0) {
  wire::GroupCall c;
  c.req = req_no++;
  c.op = static_cast<int>(op);
  c.vtid = vtid;
  c.group = group;
  c.arg = arg;
  c.seq = seq;
  return c;
}

// The answer to the caller itself (the first one for `real`).
int rc_for(const std::vector<GroupServer::Answer>& out, int real) {
  for (const auto& a : out)
    if (a.to == real) return a.reply.rc;
  FAIL("no answer for " << real);
  return 0;
}

}  // namespace

TEST_CASE("joins take the lowest free instance; gettid, getinst and gsize follow", "[groups]") {
  GroupServer g;
  CHECK(rc_for(g.call(kA, call(GroupOp::Join, kA, "w")), kA) == 0);
  CHECK(rc_for(g.call(kB, call(GroupOp::Join, kB, "w")), kB) == 1);
  CHECK(rc_for(g.call(kB, call(GroupOp::Join, kB, "w")), kB) == PvmDupGroup);
  CHECK(rc_for(g.call(kC, call(GroupOp::Join, kC, "w")), kC) == 2);
  CHECK(rc_for(g.call(kA, call(GroupOp::Leave, kA, "w")), kA) == 0);
  CHECK(rc_for(g.call(kA, call(GroupOp::Leave, kA, "w")), kA) == PvmNotInGroup);
  CHECK(rc_for(g.call(kC, call(GroupOp::Size, kC, "w")), kC) == 2);
  CHECK(rc_for(g.call(kC, call(GroupOp::GetTid, kC, "w", 0)), kC) == PvmNoInst);
  CHECK(rc_for(g.call(kA, call(GroupOp::Join, kA, "w")), kA) == 0);  // instance 0 again
  CHECK(rc_for(g.call(kC, call(GroupOp::GetTid, kC, "w", 1)), kC) == kB);
  CHECK(rc_for(g.call(kC, call(GroupOp::GetInst, kC, "w", kC)), kC) == 2);
  CHECK(rc_for(g.call(kC, call(GroupOp::GetInst, kC, "w", 0x40077)), kC) == PvmNotInGroup);
  CHECK(rc_for(g.call(kC, call(GroupOp::Size, kC, "nope")), kC) == PvmNoGroup);
  auto members = g.call(kC, call(GroupOp::Members, kC, "w"));
  REQUIRE(members.size() == 1);
  CHECK(members[0].reply.tids == std::vector<int>{kA, kB, kC});
  CHECK(members[0].reply.rc == 3);
}

TEST_CASE("a group ends with its last member, and a task that ends leaves all its groups", "[groups]") {
  GroupServer g;
  g.call(kA, call(GroupOp::Join, kA, "x"));
  g.call(kA, call(GroupOp::Join, kA, "y"));
  g.call(kB, call(GroupOp::Join, kB, "y"));
  CHECK(g.groups_of(kA) == std::vector<std::string>{"x", "y"});
  g.leave_all(kA);
  CHECK(g.size("x") == PvmNoGroup);
  CHECK(g.size("y") == 1);
  CHECK(rc_for(g.call(kB, call(GroupOp::GetInst, kB, "y", kB)), kB) == 1);  // instances stay
}

TEST_CASE("a barrier releases everyone once count members arrived; a repeated arrival is answered at once",
          "[groups]") {
  GroupServer g;
  for (int t : {kA, kB, kC}) g.call(t, call(GroupOp::Join, t, "b"));
  CHECK(g.call(kA, call(GroupOp::Barrier, kA, "b", -1, 1)).empty());
  CHECK(g.call(kB, call(GroupOp::Barrier, kB, "b", 3, 1)).empty());
  // kA migrated while it waited: its continuation (a new real tid) asks again.
  CHECK(g.call(kA2, call(GroupOp::Barrier, kA, "b", -1, 1)).empty());
  auto out = g.call(kC, call(GroupOp::Barrier, kC, "b", 3, 1));
  REQUIRE(out.size() == 3);  // one release each, kA's to its current process only
  std::set<int> to;
  for (const auto& a : out) {
    to.insert(a.to);
    CHECK(a.reply.rc == 0);
  }
  CHECK(to == std::set<int>{kA2, kB, kC});
  // kB migrated after the release was sent but before it took it: its
  // continuation re-executes the barrier with the same number.
  auto again = g.call(0x80011, call(GroupOp::Barrier, kB, "b", 3, 1));
  REQUIRE(again.size() == 1);
  CHECK(again[0].reply.rc == 0);
  // The next barrier is a new one.
  CHECK(g.call(kB, call(GroupOp::Barrier, kB, "b", 3, 2)).empty());
  CHECK(rc_for(g.call(kC, call(GroupOp::Barrier, kC, "b", 2, 2)), kC) == PvmMismatch);
  CHECK(rc_for(g.call(kC, call(GroupOp::Barrier, kC, "b", 0, 3)), kC) == PvmBadParam);
  CHECK(rc_for(g.call(0x40077, call(GroupOp::Barrier, 0x40077, "b", 3, 2)), 0x40077) == PvmNotInGroup);
}

TEST_CASE("a late joiner meets the next barrier, not the first", "[groups]") {
  GroupServer g;
  g.call(kA, call(GroupOp::Join, kA, "l"));
  CHECK(g.call(kA, call(GroupOp::Barrier, kA, "l", 1, 1)).size() == 1);
  CHECK(g.call(kA, call(GroupOp::Barrier, kA, "l", 1, 2)).size() == 1);
  auto j = g.call(kB, call(GroupOp::Join, kB, "l"));
  REQUIRE(j.size() == 1);
  CHECK(j[0].reply.seq == 2);  // its next barrier is #3
  CHECK(g.call(kA, call(GroupOp::Barrier, kA, "l", 2, 3)).empty());
  CHECK(g.call(kB, call(GroupOp::Barrier, kB, "l", 2, 3)).size() == 2);
}

TEST_CASE("released barriers are remembered up to a limit", "[groups]") {
  GroupServer g(GroupLimits{2, 10, 10});
  g.call(kA, call(GroupOp::Join, kA, "r"));
  for (int s = 1; s <= 5; ++s) REQUIRE(g.call(kA, call(GroupOp::Barrier, kA, "r", 1, s)).size() == 1);
  CHECK(rc_for(g.call(kA, call(GroupOp::Barrier, kA, "r", 1, 1)), kA) == 0);  // long released
  CHECK(g.call(kA, call(GroupOp::Barrier, kA, "r", 1, 6)).size() == 1);
}

TEST_CASE("freezegroup completes when every member of a group of that size asked; joins are refused then",
          "[groups]") {
  GroupServer g;
  g.call(kA, call(GroupOp::Join, kA, "f"));
  g.call(kB, call(GroupOp::Join, kB, "f"));
  CHECK(g.call(kA, call(GroupOp::Freeze, kA, "f", 3)).empty());
  CHECK(g.call(kB, call(GroupOp::Freeze, kB, "f", 3)).empty());
  auto out = g.call(kC, call(GroupOp::Join, kC, "f"));
  CHECK(rc_for(out, kC) == 2);
  CHECK(out.size() == 1);  // kC has not frozen yet
  out = g.call(kC, call(GroupOp::Freeze, kC, "f", -1));
  REQUIRE(out.size() == 3);
  for (const auto& a : out) CHECK(a.reply.rc == 3);
  CHECK(rc_for(g.call(0x40077, call(GroupOp::Join, 0x40077, "f")), 0x40077) == PvmNoGroup);
  CHECK(rc_for(g.call(kA, call(GroupOp::Freeze, kA, "f", 3)), kA) == 3);  // repeated: at once
}

namespace {

struct Sent {
  int to;
  wire::Message msg;
};
class GroupEnv : public Env {
 public:
  std::vector<Sent> sent;
  void send(int tid, const wire::Message& m) override { sent.push_back({tid, m}); }
  void signal(int, int) override {}
  void kill(int) override {}
  void watch_exit(int) override {}
  std::vector<HostInfo> hosts() override { return {{"vh1", 0x40000, "x86_64", 0x40001}, {"vh2", 0x80000, "i386", 0x80001}}; }
  uint64_t unix_ms() override { return 1; }
  std::vector<wire::GroupReply> replies(int to) const {
    std::vector<wire::GroupReply> v;
    for (const auto& s : sent)
      if (auto* r = std::get_if<wire::GroupReply>(&s.msg); r && s.to == to) v.push_back(*r);
    return v;
  }
};

void enroll(Scheduler& s, int vtid) {
  wire::Enroll e;
  e.vtid = e.real = vtid;
  e.parent = 0, e.app_ctx = 0, e.out_tid = 0, e.out_ctx = 0, e.out_tag = 0;
  e.host = "vh1", e.arch = "x86_64", e.program = "prog";
  s.enroll(vtid, e);
}

}  // namespace

TEST_CASE("the scheduler serves groups to the current process of enrolled tasks only", "[groups][scheduler]") {
  GroupEnv env;
  Journal journal{""};
  Scheduler s{env, journal};
  enroll(s, kA);
  enroll(s, kB);
  s.group_call(kA, call(GroupOp::Join, kA, "g"));
  s.group_call(kB, call(GroupOp::Join, kB, "g"));
  REQUIRE(env.replies(kB).size() == 1);
  CHECK(env.replies(kB)[0].rc == 1);
  s.group_call(0x40077, call(GroupOp::Size, kA, "g"));  // not kA's process
  REQUIRE(env.replies(0x40077).size() == 1);
  CHECK(env.replies(0x40077)[0].rc == PvmSysErr);
  // A barrier: kA waits, kB ends (not a migration): kA is still waiting,
  // and kB has left the group.
  s.group_call(kA, call(GroupOp::Barrier, kA, "g", 2, 1));
  CHECK(env.replies(kA).size() == 1);  // just the join's
  s.on_task_exit(kB);
  s.group_call(kA, call(GroupOp::Size, kA, "g"));
  CHECK(env.replies(kA).back().rc == 1);
}

TEST_CASE("a barrier's release is not sent to a member in the middle of a migration; its continuation asks again",
          "[groups][scheduler]") {
  GroupEnv env;
  Journal journal{""};
  Scheduler s{env, journal};
  constexpr int kX = 0x80005, kClient = 0x40009;
  enroll(s, kA);
  enroll(s, kB);
  s.group_call(kA, call(GroupOp::Join, kA, "m"));
  s.group_call(kB, call(GroupOp::Join, kB, "m"));
  s.group_call(kA, call(GroupOp::Barrier, kA, "m", 2, 1));
  // kA is asked to migrate to vh2 and starts Fig. 5 while it waits.
  wire::MigrateCmd mc;
  mc.req = 1, mc.vtid = kA, mc.host = "vh2";
  s.migrate(kClient, mc);
  wire::SpawnResult sr;
  sr.mig = 1, sr.tid = kX;
  s.on_spawn_result(0x80001, sr);
  wire::InitReady ir;
  ir.mig = 1, ir.vtid = kA, ir.real = kX, ir.port = 5000, ir.addr = "10.0.0.2";
  s.on_init_ready(kX, ir);
  wire::MigrationStart ms;
  ms.mig = 1;
  s.on_migration_start(kA, ms);
  size_t before = env.replies(kA).size();
  s.group_call(kB, call(GroupOp::Barrier, kB, "m", 2, 1));  // releases the barrier
  REQUIRE(env.replies(kB).size() == 2);                     // its join and the release
  CHECK(env.replies(kB).back().rc == 0);
  CHECK(env.replies(kA).size() == before);  // held back: kA is migrating
  wire::StateSent ss;
  ss.mig = 1;
  s.on_state_sent(kA, ss);
  wire::RestoreComplete rc;
  rc.mig = 1;
  s.on_restore_complete(kX, rc);  // committed: kX is kA now
  s.group_call(kX, call(GroupOp::Barrier, kA, "m", 2, 1));  // the continuation calls it again
  REQUIRE(env.replies(kX).size() == 1);
  CHECK(env.replies(kX)[0].rc == 0);
  CHECK(env.replies(kA).size() == before);  // nothing went to the old process
}
