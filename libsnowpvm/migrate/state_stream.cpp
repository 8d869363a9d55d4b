#include "libsnowpvm/migrate/state_stream.h"

#include "libsnowpvm/migrate/crc32.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace snow::migrate {
namespace {

void put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
}

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

}  // namespace

std::vector<uint8_t> encode_frame(FrameKind kind, int mig, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> f;
  f.reserve(kHeader + payload.size() + 4);
  put32(f, StateStream::kMagic);
  f.push_back(static_cast<uint8_t>(StateStream::kVersion >> 8));
  f.push_back(static_cast<uint8_t>(StateStream::kVersion));
  f.push_back(static_cast<uint8_t>(kind));
  put32(f, static_cast<uint32_t>(mig));
  put32(f, static_cast<uint32_t>(payload.size()));
  size_t at = f.size();
  f.resize(at + payload.size());
  if (!payload.empty()) std::memcpy(f.data() + at, payload.data(), payload.size());
  put32(f, crc32(f.data(), f.size()));
  return f;
}

StateStream::StateStream(Socket s, int mig, std::function<void()> idle)
    : sock_(std::move(s)), mig_(mig), idle_(std::move(idle)) {}

void StateStream::send(FrameKind kind, const std::vector<uint8_t>& payload) {
  auto f = encode_frame(kind, mig_, payload);
  size_t off = 0;
  while (off < f.size()) {
    ssize_t k = ::send(sock_.fd(), f.data() + off, f.size() - off, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      throw StreamError(std::string("state stream: sending ") + frame_name(kind) + ": " +
                        std::strerror(errno));
    }
    off += static_cast<size_t>(k);
  }
}

void StateStream::read_exact(uint8_t* p, size_t n, std::chrono::steady_clock::time_point deadline) {
  size_t got = 0;
  while (got < n) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      std::chrono::steady_clock::now());
    if (left.count() <= 0) throw StreamError("state stream: timed out");
    pollfd pf{sock_.fd(), POLLIN, 0};
    int r = ::poll(&pf, 1, static_cast<int>(std::min<long long>(left.count(), 20)));
    if (r < 0 && errno != EINTR) throw StreamError(std::string("state stream: poll: ") + std::strerror(errno));
    if (r <= 0) {
      if (idle_) idle_();
      continue;
    }
    ssize_t k = ::recv(sock_.fd(), p + got, n - got, MSG_DONTWAIT);
    if (k == 0) throw StreamError("state stream: closed by the other side");
    if (k < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      throw StreamError(std::string("state stream: receive: ") + std::strerror(errno));
    }
    got += static_cast<size_t>(k);
  }
}

std::vector<uint8_t> StateStream::receive(FrameKind kind, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<uint8_t> frame(kHeader);
  read_exact(frame.data(), kHeader, deadline);
  if (get32(frame.data()) != kMagic) throw StreamError("state stream: bad magic (not a SNOW peer?)");
  uint16_t version = static_cast<uint16_t>((frame[4] << 8) | frame[5]);
  if (version != kVersion)
    throw StreamError("state stream: version " + std::to_string(version) + " is not supported (want " +
                      std::to_string(kVersion) + ")");
  auto got_kind = static_cast<FrameKind>(frame[6]);
  if (got_kind != kind)
    throw StreamError(std::string("state stream: expected ") + frame_name(kind) + ", got frame kind " +
                      std::to_string(frame[6]));
  if (static_cast<int>(get32(frame.data() + 7)) != mig_)
    throw StreamError("state stream: frame of migration " + std::to_string(get32(frame.data() + 7)) +
                      ", expected " + std::to_string(mig_));
  uint32_t len = get32(frame.data() + 11);
  if (len > kMaxPayload) throw StreamError("state stream: impossible payload length " + std::to_string(len));
  frame.resize(kHeader + len + 4);
  read_exact(frame.data() + kHeader, len + 4, deadline);
  uint32_t want = get32(frame.data() + kHeader + len);
  if (crc32(frame.data(), kHeader + len) != want)
    throw StreamError(std::string("state stream: checksum mismatch in ") + frame_name(kind) + " frame");
  return std::vector<uint8_t>(frame.begin() + kHeader, frame.begin() + kHeader + len);
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
