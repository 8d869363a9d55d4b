// Floating-point formats of the three platforms.  float and double are
// IEEE binary32/binary64 everywhere (byte order aside).  long double is the
// x87 80-bit extended format on x86_64 (16 bytes) and i386 (12 bytes), but
// IEEE binary128 on s390x.  Both have a 15-bit exponent with the same
// bias, so x87 -> binary128 is always exact; binary128 -> x87 is exact only
// when the low 49 fraction bits are zero (and the value is not a binary128
// subnormal too small for x87).  Anything inexact is refused, naming the
// variable (seed 004: precision loss on narrowing); nothing is rounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace snow::msr {

enum class FloatFormat : uint8_t { Binary32, Binary64, X87, Binary128 };

// From mantissa digits (24, 53, 64, 113); nullopt for anything else.
std::optional<FloatFormat> float_format(int digits);

// Converts one value.  `src` holds src_size bytes in the source's byte
// order; `dst` receives dst_size bytes in this machine's order (padding
// bytes of x87 values are zeroed).  Returns false, leaving dst untouched,
// when the value cannot be represented exactly in the destination format
// (or is not a valid value of the source format, such as an x87
// unnormal).
bool convert_float(FloatFormat from, const uint8_t* src, size_t src_size, bool src_big_endian,
                   FloatFormat to, uint8_t* dst, size_t dst_size);

}  // namespace snow::msr
