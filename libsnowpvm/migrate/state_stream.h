// The direct TCP connection between the migrating and the initialized
// process, which carries the memory and execution state (buffered data
// transfer, seed 000).  Every frame is
//
//     u32 magic "SNST", u16 version, u8 kind, u32 migration id,
//     u32 payload length, payload, u32 CRC-32C of everything before it
//
// (big-endian).  A payload is sent from and received into its own buffer
// (no frame copy); CRC-32C is the SSE4.2 instruction on x86_64 (msr/crc32c).  The initialized process speaks first: a Hello carrying
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
// sent just before State.  State has an empty payload: the memory state
// follows it on the socket as a raw MSR stream, sent while it is collected
// (streamed_state.h), and the destination answers with StateAck.
enum class FrameKind : uint8_t { Hello = 1, Verdict = 2, State = 3, StateAck = 4, Output = 5 };

// The stream failed: closed, timed out, corrupt or not what was expected.
class StreamError : public Error {
 public:
  using Error::Error;
};

class StateStream {
 public:
  // `idle` runs while a receive waits (the runtime keeps dispatching PVM
  // messages there); it may throw to give up.  With `wake_fds` (the
  // descriptors libpvm reads, pvm_getfds) a wait wakes on them as well as
  // on the stream and runs `idle` only then; without, `idle` runs every
  // kIdleInterval.
  StateStream(Socket s, int mig, std::function<void()> idle, std::function<std::vector<int>()> wake_fds = {});

  void send(FrameKind kind, const std::vector<uint8_t>& payload);
  std::vector<uint8_t> receive(FrameKind kind, std::chrono::milliseconds timeout);
  int fd() const { return sock_.fd(); }  // for the streamed state

  static constexpr uint32_t kMagic = 0x534e5354;  // "SNST"
  static constexpr uint16_t kVersion = 3;  // 2: the Output frame; 3: CRC-32C, the state streamed
  static constexpr uint32_t kMaxPayload = 1u << 30;
  static constexpr int kIdleInterval = 20;  // ms, without wake_fds

 private:
  void read_exact(uint8_t* p, size_t n, std::chrono::steady_clock::time_point deadline);
  void wait_readable(std::chrono::milliseconds left);
  Socket sock_;
  int mig_;
  std::function<void()> idle_;
  std::function<std::vector<int>()> wake_fds_;
};

// Verdict payloads.
std::vector<uint8_t> verdict_ok();
std::vector<uint8_t> verdict_refuse(const std::string& why);
// Empty when ok, else the reason.  Throws StreamError when malformed.
std::string verdict_reason(const std::vector<uint8_t>& payload);

// Frame encoding, exposed for unit tests.
std::vector<uint8_t> encode_frame(FrameKind kind, int mig, const std::vector<uint8_t>& payload);
// CRC-32C of a frame's header and payload (its last four bytes).
uint32_t frame_checksum(const uint8_t* header, const uint8_t* payload, size_t len);

}  // namespace snow::migrate
