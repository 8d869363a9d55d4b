#include "snow/testbed/wait.h"

#include "libsnowpvm/util/error.h"

#include <algorithm>
#include <thread>

namespace snow::testbed {

void wait_for(const std::function<bool()>& ready, std::chrono::milliseconds timeout,
              const std::string& what) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + timeout;
  auto pause = std::chrono::milliseconds(5);
  while (!ready()) {
    if (clock::now() >= deadline)
      throw Error("timed out after " +
                  std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                  "s waiting for " + what);
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }
}

}  // namespace snow::testbed
