// Explicit big-endian encoding of control-message bodies.  Every field has
// a fixed width on the wire whatever the platform (no pvm_pklong: it is
// 32-bit on the wire and not sign-extended by Debian's LP64 libpvm3).
#pragma once

#include "libsnowpvm/util/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snow::wire {

// A control message that cannot be decoded; what() names the field.
class Malformed : public Error {
 public:
  using Error::Error;
};

class Writer {
 public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u32(uint32_t v);
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void u64(uint64_t v);
  void boolean(bool v) { u8(v ? 1 : 0); }
  void str(const std::string& s);
  void ints(const std::vector<int>& v);
  void strs(const std::vector<std::string>& v);
  const std::vector<uint8_t>& bytes() const { return buf_; }

 private:
  std::vector<uint8_t> buf_;
};

class Reader {
 public:
  // Strings and lists longer than these are malformed, not allocated.
  static constexpr uint32_t kMaxString = 1 << 16;
  static constexpr uint32_t kMaxList = 1 << 16;

  Reader(const uint8_t* data, size_t n) : p_(data), n_(n) {}
  uint8_t u8(const char* field);
  uint32_t u32(const char* field);
  int32_t i32(const char* field) { return static_cast<int32_t>(u32(field)); }
  uint64_t u64(const char* field);
  bool boolean(const char* field);
  std::string str(const char* field);
  std::vector<int> ints(const char* field);
  std::vector<std::string> strs(const char* field);
  // Throws Malformed when bytes are left over.
  void expect_end() const;

 private:
  const uint8_t* need(size_t k, const char* field);
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
};

}  // namespace snow::wire
