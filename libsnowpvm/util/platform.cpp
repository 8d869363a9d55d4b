#include "libsnowpvm/util/platform.h"

#include "config.h"
#include "libsnowpvm/util/error.h"

#include <cfloat>
#include <climits>
#include <cstddef>

namespace snow {
namespace {

constexpr uint8_t kVersion = 1;

struct AlignProbeD { char c; double d; };
struct AlignProbeL { char c; long long l; };

Platform make_local() {
  Platform p;
  p.arch = SNOW_ARCH;
  const uint16_t one = 1;
  p.big_endian = *reinterpret_cast<const uint8_t*>(&one) == 0;
  p.char_is_signed = CHAR_MIN < 0;
  p.size_short = sizeof(short);
  p.size_int = sizeof(int);
  p.size_long = sizeof(long);
  p.size_llong = sizeof(long long);
  p.size_ptr = sizeof(void*);
  p.size_float = sizeof(float);
  p.size_double = sizeof(double);
  p.size_ldouble = sizeof(long double);
  p.ldouble_digits = LDBL_MANT_DIG;
  p.align_double = offsetof(AlignProbeD, d);
  p.align_llong = offsetof(AlignProbeL, l);
  return p;
}

}  // namespace

const Platform& Platform::local() {
  static const Platform p = make_local();
  return p;
}

std::vector<uint8_t> Platform::encode() const {
  std::vector<uint8_t> v{kVersion,
                         static_cast<uint8_t>(big_endian),
                         static_cast<uint8_t>(char_is_signed),
                         size_short, size_int, size_long, size_llong, size_ptr,
                         size_float, size_double, size_ldouble, ldouble_digits,
                         align_double, align_llong,
                         static_cast<uint8_t>(arch.size())};
  for (char c : arch) v.push_back(static_cast<uint8_t>(c));  // (insert() trips GCC 12's -Warray-bounds)
  return v;
}

Platform Platform::decode(const uint8_t* d, size_t n) {
  if (n < 15) throw Error("malformed platform description (" + std::to_string(n) + " bytes)");
  if (d[0] != kVersion)
    throw Error("platform description version " + std::to_string(d[0]) + " is not supported (want " +
                std::to_string(kVersion) + ")");
  Platform p;
  p.big_endian = d[1] != 0;
  p.char_is_signed = d[2] != 0;
  p.size_short = d[3];
  p.size_int = d[4];
  p.size_long = d[5];
  p.size_llong = d[6];
  p.size_ptr = d[7];
  p.size_float = d[8];
  p.size_double = d[9];
  p.size_ldouble = d[10];
  p.ldouble_digits = d[11];
  p.align_double = d[12];
  p.align_llong = d[13];
  size_t len = d[14];
  if (n != 15 + len) throw Error("malformed platform description (arch name length)");
  p.arch.assign(reinterpret_cast<const char*>(d + 15), len);
  return p;
}

bool Platform::same_layout(const Platform& o) const {
  Platform a = *this, b = o;
  a.arch.clear();
  b.arch.clear();
  return a == b;
}

std::string Platform::describe() const {
  return arch + " (" + (big_endian ? "big" : "little") + "-endian, " +
         std::to_string(8 * size_long) + "-bit long, " + std::to_string(8 * size_ptr) +
         "-bit pointers)";
}

}  // namespace snow
