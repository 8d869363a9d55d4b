// The direct TCP connection between the migrating and the initialized
// process, which carries the memory and execution state (buffered data
// transfer, seed 000).  Every frame is
//
//     u32 magic "SNST", u16 version, u8 kind, u32 migration id,
//     u32 payload length, payload, u32 CRC-32 of everything before it
//
// (big-endian).  The initialized process speaks first: a Hello carrying
// its Platform, so that the source can refuse before it commits.
#pragma once

#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tcp_stream.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace snow::migrate {

// Output: the unfinished line of standard output (unfinished_line.h),
// sent just before State.
enum class FrameKind : uint8_t { Hello = 1, Verdict = 2, State = 3, StateAck = 4, Output = 5 };

// The stream failed: closed, timed out, corrupt or not what was expected.
class StreamError : public Error {
 public:
  using Error::Error;
};

class StateStream {
 public:
  // `idle` runs while a receive waits (the runtime keeps dispatching PVM
  // messages there); it may throw to give up.
  StateStream(Socket s, int mig, std::function<void()> idle);

  void send(FrameKind kind, const std::vector<uint8_t>& payload);
  std::vector<uint8_t> receive(FrameKind kind, std::chrono::milliseconds timeout);

  static constexpr uint32_t kMagic = 0x534e5354;  // "SNST"
  static constexpr uint16_t kVersion = 2;  // 2: the Output frame
  static constexpr uint32_t kMaxPayload = 1u << 30;

 private:
  void read_exact(uint8_t* p, size_t n, std::chrono::steady_clock::time_point deadline);
  Socket sock_;
  int mig_;
  std::function<void()> idle_;
};

// Verdict payloads.
std::vector<uint8_t> verdict_ok();
std::vector<uint8_t> verdict_refuse(const std::string& why);
// Empty when ok, else the reason.  Throws StreamError when malformed.
std::string verdict_reason(const std::vector<uint8_t>& payload);

// Frame encoding, exposed for unit tests.
std::vector<uint8_t> encode_frame(FrameKind kind, int mig, const std::vector<uint8_t>& payload);

}  // namespace snow::migrate
