// Internals shared by groups.cpp (membership, barriers) and
// group_collectives.cpp (bcast, reduce, gather, scatter): the scheduler
// serves the groups of SNOW tasks by virtual tid (scheduler/groups.h,
// doc/groups.md); without a scheduler the calls are libgpvm3's.
#pragma once

#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/migrate/wire.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace snow::exec::groups {

// How long a group call that does not wait for other members (join,
// leave, gettid, getinst, gsize, the member list) waits for the
// scheduler's answer.
inline constexpr std::chrono::seconds kAnswerTimeout{120};

// The scheduler serves this process's group calls (it is a SNOW task of a
// virtual machine with SNOW services); otherwise libgpvm3 does.
bool served_by_scheduler(comm::Runtime& rt);

// Ask the scheduler; the answer, or a reply whose rc is an error (the
// scheduler was lost, or did not answer in kAnswerTimeout when `bounded`).
wire::GroupReply ask(comm::Runtime& rt, wire::GroupOp op, const char* group, int arg = 0, int seq = 0,
                     bool bounded = true);

// A blocked group call services a pending migration, as snow_recv does:
// 0 when none was pending (or it cannot be taken now), 1 when one was
// serviced and failed (the process carries on here), SnowUnwinding when
// a pre-compiled program must now unwind.
int service_migration(comm::Runtime& rt);

// Run `body` as a snow_* call: the runtime on first use, the safe point
// on entry, no exception or errno change escapes.
int guarded(const char* call, const std::function<int(comm::Runtime&)>& body);

}  // namespace snow::exec::groups
