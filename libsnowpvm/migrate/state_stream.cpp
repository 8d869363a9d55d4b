#include "libsnowpvm/migrate/state_stream.h"

#include "libsnowpvm/msr/crc32c.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace snow::migrate {
namespace {

uint32_t get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

const char* frame_name(FrameKind k) {
  switch (k) {
    case FrameKind::Hello: return "hello";
    case FrameKind::Verdict: return "verdict";
    case FrameKind::State: return "state";
    case FrameKind::StateAck: return "state-ack";
    case FrameKind::Output: return "output";
  }
  return "?";
}

constexpr size_t kHeader = 4 + 2 + 1 + 4 + 4;

void put32(uint8_t* p, uint32_t x) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(x >> (24 - 8 * i));
}

// The header of a frame (everything before the payload).
std::array<uint8_t, kHeader> frame_header(FrameKind kind, int mig, size_t len) {
  std::array<uint8_t, kHeader> h{};
  put32(h.data(), StateStream::kMagic);
  h[4] = static_cast<uint8_t>(StateStream::kVersion >> 8);
  h[5] = static_cast<uint8_t>(StateStream::kVersion);
  h[6] = static_cast<uint8_t>(kind);
  put32(h.data() + 7, static_cast<uint32_t>(mig));
  put32(h.data() + 11, static_cast<uint32_t>(len));
  return h;
}

std::array<uint8_t, 4> be32(uint32_t x) {
  std::array<uint8_t, 4> a{};
  put32(a.data(), x);
  return a;
}

}  // namespace

uint32_t frame_checksum(const uint8_t* header, const uint8_t* payload, size_t len) {
  return msr::crc32c(msr::crc32c(0, header, kHeader), payload, len);
}

std::vector<uint8_t> encode_frame(FrameKind kind, int mig, const std::vector<uint8_t>& payload) {
  auto h = frame_header(kind, mig, payload.size());
  std::vector<uint8_t> f(kHeader + payload.size() + 4);
  std::copy(h.begin(), h.end(), f.begin());
  std::copy(payload.begin(), payload.end(), f.begin() + kHeader);
  put32(f.data() + kHeader + payload.size(), frame_checksum(h.data(), payload.data(), payload.size()));
  return f;
}

StateStream::StateStream(Socket s, int mig, std::function<void()> idle, std::function<std::vector<int>()> wake_fds)
    : sock_(std::move(s)), mig_(mig), idle_(std::move(idle)), wake_fds_(std::move(wake_fds)) {}

// Until the socket is readable or `left` is over.  With wake_fds, the wait
// ends as soon as one of them is readable too (a PVM message): `idle`
// serves it at once, with no polling interval.  Without, `idle` runs every
// kIdleInterval.
void StateStream::wait_readable(std::chrono::milliseconds left) {
  std::vector<pollfd> pf{{sock_.fd(), POLLIN, 0}};
  if (wake_fds_) {
    if (idle_) idle_();  // whatever libpvm has read already
    for (int fd : wake_fds_()) pf.push_back({fd, POLLIN, 0});
  } else {
    left = std::min(left, std::chrono::milliseconds(kIdleInterval));
  }
  int r = ::poll(pf.data(), pf.size(), static_cast<int>(left.count()));
  if (r < 0 && errno != EINTR) throw StreamError(std::string("state stream: poll: ") + std::strerror(errno));
  if (r > 0 && pf[0].revents == 0 && idle_) idle_();  // a PVM message
  if (r == 0 && !wake_fds_ && idle_) idle_();
}

// Header, payload and checksum go out straight from where they are (no
// copy of the payload into a frame: a state of megabytes is sent as is).
void StateStream::send(FrameKind kind, const std::vector<uint8_t>& payload) {
  if (payload.size() > kMaxPayload)
    throw StreamError(std::string("state stream: ") + frame_name(kind) + " payload of " +
                      std::to_string(payload.size()) + " bytes is over the limit of " +
                      std::to_string(kMaxPayload));
  auto head = frame_header(kind, mig_, payload.size());
  auto tail = be32(frame_checksum(head.data(), payload.data(), payload.size()));
  iovec iov[3] = {{head.data(), head.size()},
                  {const_cast<uint8_t*>(payload.data()), payload.size()},
                  {tail.data(), tail.size()}};
  int first = 0;
  while (first < 3) {
    msghdr mh{};
    mh.msg_iov = iov + first;
    mh.msg_iovlen = static_cast<size_t>(3 - first);
    ssize_t k = ::sendmsg(sock_.fd(), &mh, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      throw StreamError(std::string("state stream: sending ") + frame_name(kind) + ": " +
                        std::strerror(errno));
    }
    auto left = static_cast<size_t>(k);
    while (first < 3 && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (first < 3) {
      iov[first].iov_base = static_cast<uint8_t*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
}

void StateStream::read_exact(uint8_t* p, size_t n, std::chrono::steady_clock::time_point deadline) {
  size_t got = 0;
  while (got < n) {
    // What is already there is taken without waiting (a state streams in
    // faster than a poll per chunk).
    ssize_t k = ::recv(sock_.fd(), p + got, n - got, MSG_DONTWAIT);
    if (k > 0) {
      got += static_cast<size_t>(k);
      continue;
    }
    if (k == 0) throw StreamError("state stream: closed by the other side");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      throw StreamError(std::string("state stream: receive: ") + std::strerror(errno));
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw StreamError("state stream: timed out");
    wait_readable(left);
  }
}

std::vector<uint8_t> StateStream::receive(FrameKind kind, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<uint8_t, kHeader> head{};
  read_exact(head.data(), kHeader, deadline);
  if (get32(head.data()) != kMagic) throw StreamError("state stream: bad magic (not a SNOW peer?)");
  uint16_t version = static_cast<uint16_t>((head[4] << 8) | head[5]);
  if (version != kVersion)
    throw StreamError("state stream: version " + std::to_string(version) + " is not supported (want " +
                      std::to_string(kVersion) + ")");
  auto got_kind = static_cast<FrameKind>(head[6]);
  if (got_kind != kind)
    throw StreamError(std::string("state stream: expected ") + frame_name(kind) + ", got frame kind " +
                      std::to_string(head[6]));
  if (static_cast<int>(get32(head.data() + 7)) != mig_)
    throw StreamError("state stream: frame of migration " + std::to_string(get32(head.data() + 7)) +
                      ", expected " + std::to_string(mig_));
  uint32_t len = get32(head.data() + 11);
  if (len > kMaxPayload) throw StreamError("state stream: impossible payload length " + std::to_string(len));
  std::vector<uint8_t> payload(len);  // received in place, no copy
  read_exact(payload.data(), len, deadline);
  uint8_t tail[4];
  read_exact(tail, sizeof tail, deadline);
  if (frame_checksum(head.data(), payload.data(), len) != get32(tail))
    throw StreamError(std::string("state stream: checksum mismatch in ") + frame_name(kind) + " frame");
  return payload;
}

std::vector<uint8_t> verdict_ok() { return {1}; }

std::vector<uint8_t> verdict_refuse(const std::string& why) {
  std::vector<uint8_t> v(1 + why.size(), 0);  // (insert() trips GCC 12's -Warray-bounds)
  std::memcpy(v.data() + 1, why.data(), why.size());
  return v;
}

std::string verdict_reason(const std::vector<uint8_t>& p) {
  if (p.empty() || p[0] > 1) throw StreamError("state stream: malformed verdict");
  if (p[0] == 1) return {};
  std::string why(p.begin() + 1, p.end());
  return why.empty() ? "refused" : why;
}

}  // namespace snow::migrate
