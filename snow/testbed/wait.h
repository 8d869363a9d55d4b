// Waiting on conditions, never on bare sleeps.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace snow::testbed {

// Poll `ready` with a short back-off until it returns true; throw
// snow::Error("timed out after Ns waiting for <what>") at the deadline.
void wait_for(const std::function<bool()>& ready, std::chrono::milliseconds timeout,
              const std::string& what);

}  // namespace snow::testbed
