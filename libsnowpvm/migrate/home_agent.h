// The home agent (doc/plain-peers.md).  Plain PVM tasks know a SNOW task
// only by its virtual tid, which is the real tid of its first process.
// When that first process migrates and the migration commits, it does
// not exit: it stays, holding the virtual tid, until the task really
// ends, following the task's current process (notified of its exit, it
// asks the scheduler where the task is now).  Meanwhile it
//   * forwards the messages plain tasks send to the virtual tid to the
//     current process (home_forward), in the order they came,
//   * sends on what later processes send to plain tasks (home_relay), so
//     that those see them come from the virtual tid,
//   * passes the signals sent to the virtual tid (pvm_kill, pvm_sendsig)
//     on to the current process,
// and its own exit is the task's exit for pvm_notify(PvmTaskExit) on the
// virtual tid.  Its extension keeps refusing connection requests for it
// (it is "migrating" for good), so SNOW peers relocate as before.  It
// prints nothing and reports no exit status to `snow run`.
#pragma once

#include "libsnowpvm/comm/runtime.h"

#include <chrono>
#include <cstddef>
#include <functional>

namespace snow::migrate {

// How often the agent looks again for a task whose location the
// scheduler has not settled yet, and passes on messages a leaving process
// handed back.
inline constexpr std::chrono::milliseconds kHomeAgentRetry{200};
// How many times in a row the scheduler may not know the task before the
// agent gives up and exits.
inline constexpr int kHomeAgentUnknownLimit = 50;

// How long a later process that is migrating waits for its home agent to
// confirm that it holds the task's messages (home_hold_ack); then it goes
// on without (messages the agent passes on later may be handed back).
inline constexpr std::chrono::milliseconds kHomeHoldWait{10000};

// A later process of the task, migrating: ask the home agent to hold the
// task's messages and wait until everything it passed on before has
// arrived (so it is in the list that is shipped).  False when there is no
// agent to ask (this is the first process, or the agent is gone) or it did
// not answer in time, or give_up() said so.
bool hold_home_agent(comm::Runtime& rt, int mig, const std::function<bool()>& give_up);
// The migration was aborted: the agent passes messages on here again.
void release_home_agent(comm::Runtime& rt, int mig);

// Become the task's home agent; `current` is the process that now runs
// it; the received-message list's entries from `shipped` on arrived after
// it was shipped and are passed on.  Does not return.
[[noreturn]] void run_home_agent(comm::Runtime& rt, int current, std::size_t shipped);

}  // namespace snow::migrate
