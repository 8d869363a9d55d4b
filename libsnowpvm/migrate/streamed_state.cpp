#include "libsnowpvm/migrate/streamed_state.h"

#include "libsnowpvm/migrate/state_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace snow::migrate {
namespace {

using Clock = std::chrono::steady_clock;

// Until `fd` is ready for `events` or the deadline has passed.
void await_ready(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw StreamError(std::string("state stream: timed out ") + what);
    pollfd pf{fd, events, 0};
    int r = ::poll(&pf, 1, static_cast<int>(left.count()));
    if (r > 0) return;
    if (r < 0 && errno != EINTR) throw StreamError(std::string("state stream: poll: ") + std::strerror(errno));
  }
}

}  // namespace

SocketSink::SocketSink(int fd, Clock::time_point deadline)
    : BufferedSink(kStreamChunk), fd_(fd), deadline_(deadline) {}

void SocketSink::emit(const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t k = ::send(fd_, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k > 0) {
      p += k;
      n -= static_cast<size_t>(k);
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      await_ready(fd_, POLLOUT, deadline_, "sending the state");
      continue;
    }
    throw StreamError(std::string("state stream: sending the state: ") + std::strerror(errno));
  }
}

SocketSource::SocketSource(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}

size_t SocketSource::read_some(void* data, size_t n) {
  if (n == 0) return 0;
  for (;;) {
    ssize_t k = ::recv(fd_, data, n, MSG_DONTWAIT);
    if (k > 0) {
      total_ += static_cast<uint64_t>(k);
      return static_cast<size_t>(k);
    }
    if (k == 0) throw StreamError("state stream: closed by the other side in the middle of the state");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      throw StreamError(std::string("state stream: receiving the state: ") + std::strerror(errno));
    await_ready(fd_, POLLIN, deadline_, "receiving the state");
  }
}

}  // namespace snow::migrate
