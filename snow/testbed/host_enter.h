// Entering a virtual host: its network, UTS (hostname) and mount (private
// /tmp, private /etc/hosts) namespaces, plus the PVM environment its tasks
// see.  After enter_host() this process is, for PVM, a process on that host.
#pragma once

#include "snow/testbed/layout.h"
#include "snow/testbed/vm_state.h"

#include <functional>
#include <map>
#include <string>

namespace snow::testbed {

// Environment of processes on `h` (PVM_ROOT, PVM_ALLOW_ROOT, PVM_RSH,
// PVM_TASKER, SNOW_*).
std::map<std::string, std::string> host_env(const VmState& vm, const HostRecord& h,
                                            const Layout& layout);

// Move this single-threaded process into host `h` and set its environment.
void enter_host(const VmState& vm, const HostRecord& h, const Layout& layout);

// fork(); the child enters `h` and returns fn()'s value as exit status.
// Returns that status (or 128+signal).
int in_host(const VmState& vm, const HostRecord& h, const Layout& layout,
            const std::function<int()>& fn);

// argv prefix that runs a command inside `h` (nsenter ...), for scripts.
std::vector<std::string> host_exec_prefix(const VmState& vm, const HostRecord& h);

}  // namespace snow::testbed
