// Timing helpers of `snow bench`: medians, and the physical limits every
// figure is shown beside -- memcpy of the same bytes and a plain loopback
// TCP copy, measured in the same run.
#pragma once

#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/tcp_stream.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace snow::cli::bench {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0);
double median(std::vector<double> v);

// Median wall time of `run`, each repetition after an untimed `setup`.
// `first`, when given, receives the first repetition's time (cold caches,
// fresh memory: what a single migration pays).
double median_seconds(int reps, const std::function<void()>& setup,
                      const std::function<void()>& run, double* first = nullptr);

// memcpy of `bytes` between two buffers already touched.
double memcpy_seconds(size_t bytes, int reps);

// A connected loopback TCP pair (client, server) in this host's namespace.
std::pair<Socket, Socket> loopback_pair();

// Sends n bytes over a fresh loopback connection to a reader thread that
// discards them; median seconds.
double tcp_copy_seconds(const uint8_t* data, size_t n, int reps);

// A sink that keeps its (touched) buffer between repetitions.
class ReusableSink final : public ByteSink {
 public:
  void write(const void* data, size_t n) override;
  void reset() { used_ = 0; }
  // Sizes and touches the buffer beforehand, so collection times do not
  // include growing it (a migration streams into a socket instead).
  void prepare(size_t bytes) {
    if (buf_.size() < bytes) buf_.assign(bytes, 0);
  }
  const uint8_t* data() const { return buf_.data(); }
  size_t size() const { return used_; }
  std::vector<uint8_t> copy() const {
    return {buf_.begin(), buf_.begin() + static_cast<long>(used_)};
  }

 private:
  std::vector<uint8_t> buf_;
  size_t used_ = 0;
};

// Reads from memory the caller owns, without copying it first.
class SpanSource final : public ByteSource {
 public:
  SpanSource(const uint8_t* data, size_t n) : p_(data), n_(n) {}
  size_t read_some(void* data, size_t n) override;

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
};

}  // namespace snow::cli::bench
