#include "libsnowpvm/migrate/pvm_fds.h"

#include "libsnowpvm/util/error.h"

#include <poll.h>
#include <pvm3.h>

#include <cerrno>

namespace snow::migrate {

std::vector<int> pvm_fds() {
  int* fds = nullptr;
  int n = pvm_getfds(&fds);
  if (n <= 0 || !fds) return {};
  return std::vector<int>(fds, fds + n);
}

bool wait_fd_serving(int fd, std::chrono::milliseconds timeout, const std::function<void()>& serve) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    serve();  // what libpvm has read already never makes its descriptors readable
    std::vector<pollfd> pf{{fd, POLLIN, 0}};
    for (int p : pvm_fds()) pf.push_back({p, POLLIN, 0});
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) left = std::chrono::milliseconds(0);
    int r = ::poll(pf.data(), pf.size(), static_cast<int>(left.count()));
    if (r < 0 && errno != EINTR) throw SysError("poll");
    if (r > 0 && pf[0].revents != 0) return true;
    if (r == 0 && Clock::now() >= deadline) return false;
  }
}

}  // namespace snow::migrate
