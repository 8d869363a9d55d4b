// The outer layer of a state stream: a magic and format version, then
// frames of at most kMaxFrame bytes, each "u32 length, u32 CRC-32C,
// payload" (big-endian).  A frame is verified before a single byte of it
// is decoded, so corruption ends in a clear error, never in garbage state.
// Collection writes frames as it walks, the transport sends them while the
// walk goes on, and restoration decodes each as it arrives: this is the
// buffered data transfer of seed 000.
#pragma once

#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/util/byte_stream.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace snow::msr {

inline constexpr char kStreamMagic[8] = {'S', 'N', 'O', 'W', '-', 'M', 'S', 'R'};
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr size_t kMaxFrame = 256 * 1024;
inline constexpr size_t kFrameHeader = 8;
inline constexpr uint32_t kAbortFrame = 0xFFFFFFFFu;  // length field of an abort frame
inline constexpr size_t kMaxAbortReason = 4096;

class FrameWriter final : public ByteSink {
 public:
  // Writes the stream header at once.
  explicit FrameWriter(ByteSink& out);
  void write(const void* data, size_t n) override;
  inline void put(uint8_t b) {
    if (used_ == buf_.size()) grow();
    buf_[used_++] = b;
  }
  // Closes the current frame (a large write then starts on a frame of its
  // own, which lets the reader place it without copying).
  void flush_frame();
  void flush() override;  // flush_frame() and the sink
  // The source gives up mid-stream: whatever record was being written,
  // an abort frame carrying the reason follows, and the reader reports
  // the reason instead of a puzzling decode error.
  void abort(const std::string& reason);
  uint64_t bytes() const { return bytes_; }
  uint64_t frames() const { return frames_; }

 private:
  void emit(const uint8_t* p, size_t n);
  void grow();  // a full frame is sent; else the buffer grows
  ByteSink& out_;
  std::vector<uint8_t> buf_;
  size_t used_ = 0;
  uint64_t bytes_ = 0;
  uint64_t frames_ = 0;
};

class FrameReader final : public ByteSource {
 public:
  // Reads and checks the stream header; throws StateError.
  explicit FrameReader(ByteSource& in);
  size_t read_some(void* data, size_t n) override;
  inline uint8_t get() {
    if (pos_ == len_) load();
    return buf_[pos_++];
  }
  uint64_t bytes() const { return bytes_; }
  uint64_t frames() const { return frames_; }
  // True when the last frame is used up (used to check a stream's end).
  bool frame_done() const { return pos_ == len_; }

 private:
  // Reads the next frame header; false at a clean end of stream.
  bool next_header();
  void load();  // next frame into buf_, or throw "truncated"
  ByteSource& in_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0, len_ = 0;
  uint32_t want_len_ = 0, want_crc_ = 0;
  bool header_pending_ = false;
  uint64_t bytes_ = 0;
  uint64_t frames_ = 0;
};

}  // namespace snow::msr
