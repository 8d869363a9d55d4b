#include "libsnowpvm/msr/float_format.h"

#include <bit>
#include <cstring>

namespace snow::msr {
namespace {

// 128-bit unsigned in two halves (i386 has no __int128).
struct U128 {
  uint64_t hi = 0, lo = 0;
  bool zero() const { return hi == 0 && lo == 0; }
};

U128 shl(U128 v, unsigned n) {
  if (n == 0) return v;
  if (n >= 128) return {};
  if (n >= 64) return {v.lo << (n - 64), 0};
  return {(v.hi << n) | (v.lo >> (64 - n)), v.lo << n};
}

U128 shr(U128 v, unsigned n) {
  if (n == 0) return v;
  if (n >= 128) return {};
  if (n >= 64) return {0, v.hi >> (n - 64)};
  return {v.hi >> n, (v.lo >> n) | (v.hi << (64 - n))};
}

U128 low_bits(U128 v, unsigned n) {  // v mod 2^n
  if (n >= 128) return v;
  if (n >= 64) return {n == 64 ? 0 : v.hi & ((uint64_t{1} << (n - 64)) - 1), v.lo};
  return {0, n == 0 ? 0 : v.lo & ((uint64_t{1} << n) - 1)};
}

U128 bor(U128 a, U128 b) { return {a.hi | b.hi, a.lo | b.lo}; }

// Value in the abstract: (-1)^sign * 1.frac * 2^exp, frac left-aligned in
// 128 bits (bit 127 is the first bit after the binary point).
struct Value {
  enum class Class { Zero, Finite, Inf, NaN } cls = Class::Zero;
  bool sign = false;
  int32_t exp = 0;
  U128 frac;  // NaN: payload, left-aligned
};

struct Layout {
  unsigned frac_bits;  // stored fraction bits (x87: without the explicit J bit)
  unsigned exp_bits;
  int32_t bias;
  bool explicit_j;  // x87
  unsigned total_bits;
};

Layout layout(FloatFormat f) {
  switch (f) {
    case FloatFormat::Binary32:
      return {23, 8, 127, false, 32};
    case FloatFormat::Binary64:
      return {52, 11, 1023, false, 64};
    case FloatFormat::X87:
      return {63, 15, 16383, true, 80};
    case FloatFormat::Binary128:
      return {112, 15, 16383, false, 128};
  }
  return {52, 11, 1023, false, 64};
}

// The significant bytes of a stored value as an integer.
U128 load(const uint8_t* p, size_t size, bool big_endian, unsigned total_bits) {
  size_t n = total_bits / 8;
  // x87 values keep their 10 significant bytes first (little-endian only).
  U128 v;
  for (size_t i = 0; i < n; ++i) {
    uint8_t b = big_endian ? p[size - n + i] : p[n - 1 - i];
    v = bor(shl(v, 8), U128{0, b});
  }
  return v;
}

void store(uint8_t* p, size_t size, U128 v, unsigned total_bits) {
  size_t n = total_bits / 8;
  std::memset(p, 0, size);
  const bool big = std::endian::native == std::endian::big;
  for (size_t i = 0; i < n; ++i) {
    auto b = static_cast<uint8_t>(shr(v, static_cast<unsigned>(8 * i)).lo);
    if (big)
      p[size - 1 - i] = b;
    else
      p[i] = b;
  }
}

bool unpack(const Layout& L, U128 bits, Value& out) {
  out.sign = !shr(bits, L.total_bits - 1).zero();
  auto e = static_cast<int32_t>(low_bits(shr(bits, L.total_bits - 1 - L.exp_bits), L.exp_bits).lo);
  U128 stored = low_bits(bits, L.frac_bits + (L.explicit_j ? 1 : 0));
  bool j = true;
  if (L.explicit_j) {
    j = !shr(stored, L.frac_bits).zero();
    stored = low_bits(stored, L.frac_bits);
  }
  U128 frac = shl(stored, 128 - L.frac_bits);
  const int32_t emax_field = (1 << L.exp_bits) - 1;
  if (e == emax_field) {
    if (L.explicit_j && !j) return false;  // pseudo-infinity / pseudo-NaN
    out.cls = frac.zero() ? Value::Class::Inf : Value::Class::NaN;
    out.frac = frac;
    return true;
  }
  if (e == 0) {
    if (L.explicit_j && j) {  // pseudo-denormal: 1.frac * 2^(1-bias)
      out.cls = Value::Class::Finite;
      out.exp = 1 - L.bias;
      out.frac = frac;
      return true;
    }
    if (frac.zero()) {
      out.cls = Value::Class::Zero;
      return true;
    }
    // Subnormal: 0.frac * 2^(1-bias); normalize.
    int32_t exp = 1 - L.bias;
    while (!(frac.hi >> 63)) {
      frac = shl(frac, 1);
      --exp;
    }
    out.cls = Value::Class::Finite;
    out.exp = exp - 1;
    out.frac = shl(frac, 1);
    return true;
  }
  if (L.explicit_j && !j) return false;  // unnormal
  out.cls = Value::Class::Finite;
  out.exp = e - L.bias;
  out.frac = frac;
  return true;
}

bool pack(const Layout& L, const Value& v, U128& out) {
  const unsigned F = L.frac_bits;
  const int32_t emax_field = (1 << L.exp_bits) - 1;
  U128 sign = shl(U128{0, v.sign ? 1u : 0u}, L.total_bits - 1);
  U128 jbit = L.explicit_j ? shl(U128{0, 1}, F) : U128{};
  auto field = [&](int32_t e) {
    return shl(U128{0, static_cast<uint64_t>(e)}, L.total_bits - 1 - L.exp_bits);
  };
  switch (v.cls) {
    case Value::Class::Zero:
      out = sign;
      return true;
    case Value::Class::Inf:
      out = bor(bor(sign, field(emax_field)), jbit);
      return true;
    case Value::Class::NaN: {
      if (!low_bits(v.frac, 128 - F).zero()) return false;  // payload would be cut
      U128 f = shr(v.frac, 128 - F);
      if (f.zero()) return false;
      out = bor(bor(bor(sign, field(emax_field)), jbit), f);
      return true;
    }
    case Value::Class::Finite:
      break;
  }
  const int32_t emin = 1 - L.bias, emax = emax_field - 1 - L.bias;
  if (v.exp > emax) return false;
  if (v.exp >= emin) {
    if (!low_bits(v.frac, 128 - F).zero()) return false;
    out = bor(bor(bor(sign, field(v.exp + L.bias)), jbit), shr(v.frac, 128 - F));
    return true;
  }
  // Subnormal here: 0.f * 2^emin with 0.f = 1.frac >> shift.
  auto shift = static_cast<uint32_t>(emin - v.exp);
  if (shift > F || !low_bits(v.frac, shift).zero()) return false;
  U128 f = bor(shr(v.frac, shift), shl(U128{0, 1}, 128 - shift));
  if (!low_bits(f, 128 - F).zero()) return false;
  out = bor(sign, shr(f, 128 - F));  // exponent field 0 (and J = 0 for x87)
  return true;
}

}  // namespace

std::optional<FloatFormat> float_format(int digits) {
  switch (digits) {
    case 24:
      return FloatFormat::Binary32;
    case 53:
      return FloatFormat::Binary64;
    case 64:
      return FloatFormat::X87;
    case 113:
      return FloatFormat::Binary128;
    default:
      return std::nullopt;
  }
}

bool convert_float(FloatFormat from, const uint8_t* src, size_t src_size, bool src_big_endian,
                   FloatFormat to, uint8_t* dst, size_t dst_size) {
  const Layout A = layout(from), B = layout(to);
  if (src_size * 8 < A.total_bits || dst_size * 8 < B.total_bits) return false;
  U128 bits = load(src, src_size, src_big_endian, A.total_bits);
  U128 out;
  if (from == to) {
    if (A.explicit_j) {  // still reject invalid x87 encodings
      Value v;
      if (!unpack(A, bits, v)) return false;
    }
    out = bits;
  } else {
    Value v;
    if (!unpack(A, bits, v) || !pack(B, v, out)) return false;
  }
  store(dst, dst_size, out, B.total_bits);
  return true;
}

}  // namespace snow::msr
