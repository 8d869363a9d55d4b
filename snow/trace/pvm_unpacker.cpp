#include "snow/trace/pvm_unpacker.h"

#include <pvm3.h>
#include <pvmtev.h>

#include <vector>

namespace snow::cli::trace {

bool PvmUnpacker::get_int(int& out) {
  if (left_ < 4) return false;
  if (pvm_upkint(&out, 1, 1) < 0) return false;
  left_ -= 4;
  return true;
}

// libpvm packs a string as an int length (with its NUL) and the bytes
// (pvm_pkstr); unpacked the same way here, with the length checked.
bool PvmUnpacker::get_string(std::string& out, std::size_t max) {
  int len = 0;
  if (!get_int(len)) return false;
  if (len < 1 || static_cast<std::size_t>(len) > max + 1 || static_cast<std::size_t>(len) > left_) return false;
  std::string buf(static_cast<std::size_t>(len), '\0');
  if (pvm_upkbyte(buf.data(), len, 1) < 0) return false;
  left_ -= static_cast<std::size_t>(len);
  auto nul = buf.find('\0');
  out = buf.substr(0, nul);
  return true;
}

bool PvmUnpacker::skip(int type, std::size_t count) {
  std::size_t size = 0;
  switch (type) {
    case TEV_DATA_BYTE: size = 1; break;
    case TEV_DATA_SHORT: case TEV_DATA_USHORT: size = 2; break;
    case TEV_DATA_FLOAT: size = 4; break;
    case TEV_DATA_LONG: case TEV_DATA_ULONG: size = 4; break;  // at least (XDR: 4 bytes)
    case TEV_DATA_DOUBLE: case TEV_DATA_CPLX: size = 8; break;
    case TEV_DATA_DCPLX: size = 16; break;
    default: return false;
  }
  if (count > left_ / size) return false;
  bool ok = true;
  switch (type) {
    case TEV_DATA_BYTE: { std::vector<char> v(count); ok = pvm_upkbyte(v.data(), static_cast<int>(count), 1) >= 0; break; }
    case TEV_DATA_SHORT: case TEV_DATA_USHORT: { std::vector<short> v(count); ok = pvm_upkshort(v.data(), static_cast<int>(count), 1) >= 0; break; }
    case TEV_DATA_FLOAT: { std::vector<float> v(count); ok = pvm_upkfloat(v.data(), static_cast<int>(count), 1) >= 0; break; }
    case TEV_DATA_LONG: case TEV_DATA_ULONG: { std::vector<long> v(count); ok = pvm_upklong(v.data(), static_cast<int>(count), 1) >= 0; break; }
    case TEV_DATA_DOUBLE: { std::vector<double> v(count); ok = pvm_upkdouble(v.data(), static_cast<int>(count), 1) >= 0; break; }
    case TEV_DATA_CPLX: { std::vector<float> v(count * 2); ok = pvm_upkfloat(v.data(), static_cast<int>(count * 2), 1) >= 0; break; }
    case TEV_DATA_DCPLX: { std::vector<double> v(count * 2); ok = pvm_upkdouble(v.data(), static_cast<int>(count * 2), 1) >= 0; break; }
    default: return false;
  }
  left_ -= count * size;
  return ok;
}

}  // namespace snow::cli::trace
