// The descriptors libpvm reads messages from (its pvmd socket and any
// direct task links), so that a wait on a socket of SNOW's own -- the
// state stream, its listener -- wakes as soon as a PVM message arrives
// instead of looking at libpvm at an interval.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

namespace snow::migrate {

std::vector<int> pvm_fds();

// Until `fd` is readable (true) or `timeout` is over (false).  `serve`
// (which takes what libpvm has) runs first and whenever a PVM message
// arrives meanwhile; it may throw to give up.
bool wait_fd_serving(int fd, std::chrono::milliseconds timeout, const std::function<void()>& serve);

}  // namespace snow::migrate
