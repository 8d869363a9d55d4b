#include "libsnowpvm/msr/framing.h"

#include "libsnowpvm/msr/crc32c.h"

#include <algorithm>
#include <string>

namespace snow::msr {
namespace {

void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t get_be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

}  // namespace

// ------------------------------------------------------------------ writer

FrameWriter::FrameWriter(ByteSink& out) : out_(out) {
  uint8_t h[12];
  std::memcpy(h, kStreamMagic, 8);
  h[8] = static_cast<uint8_t>(kFormatVersion >> 8);
  h[9] = static_cast<uint8_t>(kFormatVersion);
  h[10] = h[11] = 0;
  out_.write(h, sizeof h);
  bytes_ += sizeof h;
}

void FrameWriter::emit(const uint8_t* p, size_t n) {
  uint8_t h[kFrameHeader];
  put_be32(h, static_cast<uint32_t>(n));
  put_be32(h + 4, crc32c(0, p, n));
  out_.write(h, sizeof h);
  out_.write(p, n);
  bytes_ += sizeof h + n;
  ++frames_;
}

void FrameWriter::grow() {
  if (used_ == kMaxFrame) {
    flush_frame();
    return;
  }
  buf_.resize(std::min(kMaxFrame, 2 * buf_.size() + 4096));
}

void FrameWriter::flush_frame() {
  if (used_ == 0) return;
  emit(buf_.data(), used_);
  used_ = 0;
}

void FrameWriter::write(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    if (used_ == 0 && n >= kMaxFrame) {  // whole frames straight from the caller's memory
      emit(p, kMaxFrame);
      p += kMaxFrame;
      n -= kMaxFrame;
      continue;
    }
    size_t k = std::min(n, kMaxFrame - used_);
    if (buf_.size() < used_ + k)
      buf_.resize(std::max(used_ + k, std::min(kMaxFrame, 2 * buf_.size() + 4096)));
    std::memcpy(buf_.data() + used_, p, k);
    used_ += k;
    p += k;
    n -= k;
    if (used_ == kMaxFrame) flush_frame();
  }
}

void FrameWriter::abort(const std::string& reason) {
  flush_frame();
  std::string r = reason.substr(0, kMaxAbortReason);
  uint8_t h[kFrameHeader + 4];
  put_be32(h, kAbortFrame);
  put_be32(h + 4, crc32c(0, r.data(), r.size()));
  put_be32(h + 8, static_cast<uint32_t>(r.size()));
  out_.write(h, sizeof h);
  out_.write(r.data(), r.size());
  out_.flush();
}

void FrameWriter::flush() {
  flush_frame();
  out_.flush();
}

// ------------------------------------------------------------------ reader

FrameReader::FrameReader(ByteSource& in) : in_(in) {
  uint8_t h[12];
  size_t got = 0;
  while (got < sizeof h) {
    size_t k = in_.read_some(h + got, sizeof h - got);
    if (k == 0) {
      throw StateError(got == 0
                           ? "empty state stream (no header)"
                           : "truncated state stream: header of " + std::to_string(got) + " bytes");
    }
    got += k;
  }
  if (std::memcmp(h, kStreamMagic, 8) != 0)
    throw StateError("not a SNOW-PVM state stream (bad magic)");
  uint16_t version = static_cast<uint16_t>(h[8] << 8 | h[9]);
  if (version != kFormatVersion)
    throw StateError("state stream format version " + std::to_string(version) +
                     " is not supported (this runtime reads " + std::to_string(kFormatVersion) +
                     ")");
  bytes_ += sizeof h;
}

bool FrameReader::next_header() {
  uint8_t h[kFrameHeader];
  size_t got = 0;
  while (got < sizeof h) {
    size_t k = in_.read_some(h + got, sizeof h - got);
    if (k == 0) {
      if (got == 0) return false;
      throw StateError("truncated state stream: frame header cut after " + std::to_string(got) +
                       " bytes (frame " + std::to_string(frames_ + 1) + ")");
    }
    got += k;
  }
  want_len_ = get_be32(h);
  want_crc_ = get_be32(h + 4);
  if (want_len_ == kAbortFrame) {
    uint8_t l[4];
    std::string reason;
    try {
      in_.read_exact(l, 4);
      uint32_t n = get_be32(l);
      if (n > kMaxAbortReason)
        throw StateError("corrupt state stream: abort frame of " + std::to_string(n) + " bytes");
      reason.resize(n);
      in_.read_exact(reason.data(), n);
    } catch (const StateError&) {
      throw;
    } catch (const Error& e) {
      throw StateError(std::string("truncated state stream: inside an abort frame: ") + e.what());
    }
    if (crc32c(0, reason.data(), reason.size()) != want_crc_)
      throw StateError("corrupt state stream: checksum mismatch in an abort frame");
    throw StateError("the source gave up collecting its state: " + reason);
  }
  if (want_len_ == 0 || want_len_ > kMaxFrame)
    throw StateError("corrupt state stream: frame " + std::to_string(frames_ + 1) + " claims " +
                     std::to_string(want_len_) + " bytes");
  header_pending_ = true;
  return true;
}

void FrameReader::load() {
  if (!header_pending_ && !next_header())
    throw StateError("truncated state stream: it ends after " + std::to_string(frames_) +
                     " frames (" + std::to_string(bytes_) + " bytes) without its end record");
  if (buf_.size() < want_len_) buf_.resize(want_len_);
  try {
    in_.read_exact(buf_.data(), want_len_);
  } catch (const StateError&) {
    throw;
  } catch (const Error& e) {
    throw StateError(std::string(e.what()) + " (in frame " + std::to_string(frames_ + 1) + ")");
  }
  if (crc32c(0, buf_.data(), want_len_) != want_crc_)
    throw StateError("corrupt state stream: checksum mismatch in frame " +
                     std::to_string(frames_ + 1));
  header_pending_ = false;
  pos_ = 0;
  len_ = want_len_;
  bytes_ += kFrameHeader + want_len_;
  ++frames_;
}

size_t FrameReader::read_some(void* data, size_t n) {
  if (n == 0) return 0;
  if (pos_ == len_) {
    if (!header_pending_ && !next_header()) return 0;
    if (n >= want_len_) {  // a whole frame: read it in place, then verify it
      auto* p = static_cast<uint8_t*>(data);
      size_t len = want_len_;
      try {
        in_.read_exact(p, len);
      } catch (const StateError&) {
        throw;
      } catch (const Error& e) {
        throw StateError(std::string(e.what()) + " (in frame " + std::to_string(frames_ + 1) + ")");
      }
      if (crc32c(0, p, len) != want_crc_)
        throw StateError("corrupt state stream: checksum mismatch in frame " +
                         std::to_string(frames_ + 1));
      header_pending_ = false;
      bytes_ += kFrameHeader + len;
      ++frames_;
      return len;
    }
    load();
  }
  size_t k = std::min(n, len_ - pos_);
  std::memcpy(data, buf_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace snow::msr
