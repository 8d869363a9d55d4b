// The scheduler as the group server of SNOW tasks (groups.h): calls come
// from the tasks' current processes, answers go to them unless they are
// in the middle of a migration.
#include "libsnowpvm/util/tid.h"
#include "scheduler/scheduler.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::sched {

void Scheduler::group_call(int src, const wire::GroupCall& c) {
  Task* t = task(c.vtid);
  if (!t || t->info.real != src || t->status == wire::TaskStatus::Terminated) {
    spdlog::warn("group: call op={} group='{}' from={} for vtid={} refused: not that task's current process",
                 c.op, c.group, tid_str(src), tid_str(c.vtid));
    wire::GroupReply r;
    r.req = c.req;
    r.op = c.op;
    r.rc = PvmSysErr;
    env_.send(src, r);
    return;
  }
  send_group_answers(groups_.call(src, c), src);
}

// An answer for a process that is no longer the task's current one, or
// whose task is migrating (it runs Fig. 5 and its continuation will call
// again; an aborted source calls again once it has resumed), is not sent:
// barriers and freezes answer a repeated call at once.  The caller of the
// call being served is always answered.
void Scheduler::send_group_answers(const std::vector<GroupServer::Answer>& answers, int asker) {
  for (const auto& a : answers) {
    if (a.to != asker) {
      Task* t = task(a.vtid);
      if (!t || t->info.real != a.to || t->status != wire::TaskStatus::Running) {
        spdlog::info("group: answer op={} for {} not sent: {} is not its current process (it asks again)",
                     a.reply.op, tid_str(a.vtid), tid_str(a.to));
        continue;
      }
      if (Migration* m = t->mig ? migration(t->mig) : nullptr;
          m && (m->state == State::Started || m->state == State::StateSent || m->state == State::Aborting)) {
        spdlog::info("group: answer op={} for {} held back: mig={} is under way (it asks again)", a.reply.op,
                     tid_str(a.vtid), m->id);
        continue;
      }
    }
    env_.send(a.to, a.reply);
  }
}

}  // namespace snow::sched
