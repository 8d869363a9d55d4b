// PVM group calls of SNOW tasks: membership, instance numbers, sizes,
// frozen groups and barriers are served by the scheduler by virtual tid,
// so they stay the same when a member moves (doc/groups.md).  A file of
// its own (with group_collectives.cpp), so that only programs using groups
// need libgpvm3: without a scheduler the calls fall back to it.
//
// Barriers: the task numbers its barriers per group, and those numbers
// are tracked like a global of the program, so they move with it.  A
// barrier call interrupted by a migration is re-executed on the
// destination with the same number; the scheduler recorded the first
// arrival and answers the repeated one (at once if the barrier was
// released meanwhile).
#include "libsnowpvm/comm/guarded_call.h"
#include "libsnowpvm/exec/group_calls.h"

#include "libsnowpvm/exec/snow_exec.h"
#include "libsnowpvm/migrate/migrate.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/log.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace snow::exec::groups {
namespace {

using comm::Runtime;
using wire::GroupOp;

// The barrier numbers of the groups the task is in, tracked roots of the
// memory state ("pvm:groups.*"): a group's slot is free when its name is
// empty.
constexpr int kTrackedGroups = 32;
constexpr int kTrackedName = 256;  // > wire::kMaxGroupName
char g_names[kTrackedGroups][kTrackedName];
int32_t g_barriers_passed[kTrackedGroups];

__attribute__((constructor)) void track_barrier_numbers() {
  const snow_type* name = snow_array_of(&snow_type_char, kTrackedName);
  if (snow_track(g_names, snow_array_of(name, kTrackedGroups), "pvm:groups.names") < 0 ||
      snow_track(g_barriers_passed, snow_array_of(&snow_type_int32, kTrackedGroups), "pvm:groups.barriers") < 0)
    spdlog::warn("exec: cannot register the group barrier numbers");
}

int slot_of(const char* group) {
  for (int i = 0; i < kTrackedGroups; ++i)
    if (g_names[i][0] && std::strncmp(g_names[i], group, kTrackedName) == 0) return i;
  return -1;
}

int new_slot(const char* group) {
  for (int i = 0; i < kTrackedGroups; ++i)
    if (!g_names[i][0]) {
      std::snprintf(g_names[i], kTrackedName, "%s", group);
      g_barriers_passed[i] = 0;
      return i;
    }
  return -1;
}

int g_next_req = 1;  // this process's calls; answers are matched by it

int check_name(const char* group) {
  if (!group || !*group) return PvmNullGroup;
  if (std::strlen(group) > wire::kMaxGroupName) {
    spdlog::error("group: name of {} bytes is longer than the {} SNOW supports", std::strlen(group),
                  wire::kMaxGroupName);
    return PvmBadParam;
  }
  return 0;
}

int send_call(Runtime& rt, GroupOp op, const char* group, int arg, int seq) {
  wire::GroupCall c;
  c.req = g_next_req++;
  c.op = static_cast<int>(op);
  c.vtid = rt.id.vtid;
  c.arg = arg;
  c.seq = seq;
  c.group = group;
  int sched = rt.services.scheduler();
  if (!sched || rt.send_control(sched, c) < 0) return SnowNoScheduler;
  return c.req;
}

std::optional<wire::GroupReply> take_reply(Runtime& rt, const std::set<int>& reqs) {
  auto& v = rt.group_replies;
  auto it = std::find_if(v.begin(), v.end(), [&](const wire::GroupReply& r) { return reqs.count(r.req) != 0; });
  if (it == v.end()) return std::nullopt;
  wire::GroupReply r = *it;
  v.erase(it);
  return r;
}

wire::GroupReply failed(GroupOp op, int rc) {
  wire::GroupReply r;
  r.req = 0;
  r.op = static_cast<int>(op);
  r.rc = rc;
  return r;
}

}  // namespace

bool served_by_scheduler(Runtime& rt) { return rt.start_status() >= 0 && rt.services.scheduler() != 0; }

wire::GroupReply ask(Runtime& rt, GroupOp op, const char* group, int arg, int seq, bool bounded) {
  rt.group_replies.clear();  // answers to calls abandoned earlier
  int losses = rt.scheduler_losses();
  int req = send_call(rt, op, group, arg, seq);
  if (req < 0) return failed(op, req);
  std::optional<wire::GroupReply> got;
  auto done = [&] {
    got = take_reply(rt, {req});
    return got.has_value() || rt.scheduler_losses() != losses;
  };
  if (!rt.wait_until(done, bounded ? std::optional<std::chrono::milliseconds>(kAnswerTimeout) : std::nullopt)) {
    spdlog::error("group: no answer from the scheduler in {} s (op {} group '{}')", kAnswerTimeout.count(),
                  static_cast<int>(op), group);
    return failed(op, PvmSysErr);
  }
  if (!got) {
    spdlog::error("group: the scheduler was lost (op {} group '{}')", static_cast<int>(op), group);
    return failed(op, SnowNoScheduler);
  }
  return *got;
}

int service_migration(Runtime& rt) {
  if (!rt.migration_requested()) return 0;
  if (rt.exec_model == comm::ExecModel::Precompiled && !snow_exec_unwind_ok()) return 0;
  int mig = rt.take_migration_request();
  if (rt.exec_model == comm::ExecModel::HandWritten) {
    spdlog::info("group: servicing migration mig={} while blocked in a group call", mig);
    migrate::migrate_and_exit(rt, mig);
    return 1;
  }
  return migrate::migrate_begin(rt, mig) == 0 ? SnowUnwinding : 1;
}

int guarded(const char* call, const std::function<int(Runtime&)>& body) {
  return comm::guarded_call(call, body);
}

}  // namespace snow::exec::groups

using namespace snow::exec::groups;
using snow::comm::Runtime;
using snow::wire::GroupOp;

extern "C" {

int snow_joingroup(char* group) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_joingroup(group);
  return guarded("snow_joingroup", [&](Runtime& rt) {
    int slot = slot_of(group);
    if (slot < 0) slot = new_slot(group);
    if (slot < 0) {
      spdlog::error("group: '{}': a task can be in at most {} groups under SNOW", group, kTrackedGroups);
      return PvmNoMem;
    }
    auto r = ask(rt, GroupOp::Join, group);
    if (r.rc >= 0) g_barriers_passed[slot] = r.seq;  // its next barrier is the group's next
    else if (r.rc != PvmDupGroup) g_names[slot][0] = '\0';
    return r.rc;
  });
}

int snow_lvgroup(char* group) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_lvgroup(group);
  return guarded("snow_lvgroup", [&](Runtime& rt) {
    auto r = ask(rt, GroupOp::Leave, group);
    if (int slot = slot_of(group); slot >= 0 && (r.rc >= 0 || r.rc == PvmNotInGroup || r.rc == PvmNoGroup))
      g_names[slot][0] = '\0';
    return r.rc;
  });
}

int snow_gettid(char* group, int inst) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_gettid(group, inst);
  return guarded("snow_gettid", [&](Runtime& rt) { return ask(rt, GroupOp::GetTid, group, inst).rc; });
}

int snow_getinst(char* group, int tid) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_getinst(group, tid);
  return guarded("snow_getinst", [&](Runtime& rt) { return ask(rt, GroupOp::GetInst, group, tid).rc; });
}

int snow_gsize(char* group) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_gsize(group);
  return guarded("snow_gsize", [&](Runtime& rt) { return ask(rt, GroupOp::Size, group).rc; });
}

// Synchronising (every member calls it), but not a migration point: it
// waits for the others without servicing a migration request of its own.
int snow_freezegroup(char* group, int size) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_freezegroup(group, size);
  return guarded("snow_freezegroup",
                 [&](Runtime& rt) { return ask(rt, GroupOp::Freeze, group, size, 0, /*bounded=*/false).rc; });
}

// A migration point: a task waiting here may migrate (pre-compiled
// programs get SnowUnwinding and call it again on the destination).
int snow_barrier(char* group, int count) {
  if (int bad = check_name(group)) return bad;
  if (!served_by_scheduler(Runtime::get())) return pvm_barrier(group, count);
  return guarded("snow_barrier", [&](Runtime& rt) {
    int slot = slot_of(group);
    if (slot < 0) return PvmNotInGroup;  // it never joined (or left)
    const int seq = g_barriers_passed[slot] + 1;
    rt.group_replies.clear();
    int losses = rt.scheduler_losses();
    std::set<int> reqs;
    int req = send_call(rt, GroupOp::Barrier, group, count, seq);
    if (req < 0) return req;
    reqs.insert(req);
    spdlog::info("group: waiting at barrier '{}' #{} (count {})", group, seq, count);
    for (;;) {
      if (auto r = take_reply(rt, reqs)) {
        // Passed: counted here, with no migration point in between.
        if (r->rc >= 0) g_barriers_passed[slot] = seq;
        spdlog::info("group: barrier '{}' #{} passed: {}", group, seq, r->rc);
        return r->rc;
      }
      if (rt.scheduler_losses() != losses) {
        spdlog::error("group: the scheduler was lost during barrier '{}' #{}", group, seq);
        return SnowNoScheduler;
      }
      int m = service_migration(rt);
      if (m == SnowUnwinding) {
        spdlog::info("group: barrier '{}' #{} interrupted by a migration; called again on the destination",
                     group, seq);
        return m;
      }
      if (m > 0) {  // the migration failed: this process carries on and asks again
        req = send_call(rt, GroupOp::Barrier, group, count, seq);
        if (req < 0) return req;
        reqs.insert(req);
        continue;
      }
      rt.pump(snow::pvmio::Wait::block());
    }
  });
}

}  // extern "C"
