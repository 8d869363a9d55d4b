// The data model of a platform: what a C value looks like in memory here.
// Migration sends the destination's Platform to the source before the
// source commits (so that, e.g., a 64-bit long that cannot fit a 32-bit
// long is refused while the source still runs), and the memory-state
// format uses it to decide whether conversion is needed at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snow {

struct Platform {
  std::string arch;            // "x86_64", "i386", "s390x"
  bool big_endian = false;
  bool char_is_signed = true;  // plain char (unsigned on s390x)
  uint8_t size_short = 2, size_int = 4, size_long = 8, size_llong = 8;
  uint8_t size_ptr = 8, size_float = 4, size_double = 8, size_ldouble = 16;
  uint8_t ldouble_digits = 64; // LDBL_MANT_DIG: 64 = x87 extended, 113 = binary128
  uint8_t align_double = 8, align_llong = 8;  // in structs (i386: 4)

  static const Platform& local();

  // Compact, versioned, endian-neutral encoding (for the handshake).
  std::vector<uint8_t> encode() const;
  // Throws snow::Error on a malformed or unknown-version encoding.
  static Platform decode(const uint8_t* data, size_t n);

  bool same_layout(const Platform& o) const;  // memcpy-compatible scalars
  std::string describe() const;               // "s390x (big-endian, ILP64?...)"
  bool operator==(const Platform& o) const = default;
};

}  // namespace snow
