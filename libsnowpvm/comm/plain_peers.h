// Plain PVM tasks as peers (doc/plain-peers.md).
//
// A peer whose extension answered conn_nack(NotSnow) is a plain PVM task:
// it never takes part in the connection protocol, so it is sent to with a
// plain pvm_send -- no connection, no copies kept.  It knows this task
// only by its virtual tid, so while this process is the task's first
// incarnation (real tid == virtual tid) it sends directly; a later
// incarnation sends through the task's home agent (migrate/home_agent.h),
// the first process, still holding the virtual tid.  Messages plain tasks
// send to the virtual tid reach a later incarnation from the home agent
// as home_forward envelopes.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <vector>

namespace snow::comm {

class Runtime;

namespace plain_peers {

// Tell this host's extension that this process is a SNOW task, as soon
// as the runtime starts (also a restored process).
void announce(Runtime& rt);

bool is_plain(int vtid);
void mark_plain(int vtid);

// Send the active send buffer to the plain task `to` with `tag`.
int send(Runtime& rt, int to, int tag);

// A home_forward from the home agent with its carried message: listed as
// if the plain task had sent it here.  A process whose list has already
// been shipped (it is leaving) hands it back to the agent instead.
void on_forward(Runtime& rt, int src, const wire::HomeForward& m, const std::vector<int>& carried);

}  // namespace plain_peers
}  // namespace snow::comm
