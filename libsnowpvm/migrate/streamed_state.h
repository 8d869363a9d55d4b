// The memory and execution state goes over the state stream's socket as it
// is collected, and is restored as it arrives (seed 000's buffered data
// transfer, issue 12): the source's collector writes into a SocketSink
// while it walks, the destination's restorer reads from a SocketSource, so
// collection, transfer and restoration overlap and neither side holds the
// whole state in a buffer.  What checks it end to end is the MSR stream's
// own framing: every frame carries a CRC-32C, a source that gives up sends
// an abort frame, and the restorer needs the end record (msr/framing.h).
#pragma once

#include "libsnowpvm/util/byte_stream.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace snow::migrate {

// Bytes handed to the kernel at a time (the MSR frames are at most 256 KiB).
inline constexpr size_t kStreamChunk = 256 * 1024;

// Writes to a connected socket, buffered; throws StreamError on failure or
// when the destination has not taken the bytes by `deadline`.
class SocketSink final : public BufferedSink {
 public:
  SocketSink(int fd, std::chrono::steady_clock::time_point deadline);
  uint64_t bytes() const { return bytes_written(); }

 private:
  void emit(const uint8_t* p, size_t n) override;
  int fd_;
  std::chrono::steady_clock::time_point deadline_;
};

// Reads from a connected socket; throws StreamError when the source closes
// it, fails, or sends nothing more by `deadline`.  Never reads beyond what
// is asked (the StateAck frame travels the other way on the same socket).
class SocketSource final : public ByteSource {
 public:
  SocketSource(int fd, std::chrono::steady_clock::time_point deadline);
  size_t read_some(void* data, size_t n) override;
  uint64_t bytes() const { return total_; }

 private:
  int fd_;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t total_ = 0;
};

}  // namespace snow::migrate
