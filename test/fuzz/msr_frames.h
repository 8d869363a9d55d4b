// Test helpers: take the frames off a state stream, and put valid ones
// back around (mutated) record bytes, so tests and the fuzzer reach the
// decoder behind the checksums.
#pragma once

#include "libsnowpvm/msr/framing.h"
#include "libsnowpvm/util/byte_stream.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace msr_test {

// The record bytes inside a well-formed stream (header and frame headers
// removed).  Stops at the first malformed frame.
inline std::vector<uint8_t> unframe(const std::vector<uint8_t>& s) {
  std::vector<uint8_t> out;
  size_t pos = 12;
  while (pos + snow::msr::kFrameHeader <= s.size()) {
    uint32_t len = uint32_t(s[pos]) << 24 | uint32_t(s[pos + 1]) << 16 | uint32_t(s[pos + 2]) << 8 |
                   s[pos + 3];
    pos += snow::msr::kFrameHeader;
    if (len > snow::msr::kMaxFrame || pos + len > s.size()) break;
    out.insert(out.end(), s.begin() + static_cast<long>(pos),
               s.begin() + static_cast<long>(pos + len));
    pos += len;
  }
  return out;
}

// A well-formed stream around arbitrary record bytes.
inline std::vector<uint8_t> reframe(const uint8_t* records, size_t n) {
  snow::MemorySink sink;
  snow::msr::FrameWriter w(sink);
  w.write(records, n);
  w.flush();
  return sink.take();
}

}  // namespace msr_test
