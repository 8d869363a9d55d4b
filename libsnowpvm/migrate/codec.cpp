#include "libsnowpvm/migrate/codec.h"

namespace snow::wire {

void Writer::u32(uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) buf_.push_back(static_cast<uint8_t>(v >> s));
}

void Writer::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

void Writer::str(const std::string& s) {
  u32(static_cast<uint32_t>(s.size()));
  for (char c : s) buf_.push_back(static_cast<uint8_t>(c));
}

void Writer::ints(const std::vector<int>& v) {
  u32(static_cast<uint32_t>(v.size()));
  for (int x : v) i32(x);
}

void Writer::strs(const std::vector<std::string>& v) {
  u32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) str(s);
}

const uint8_t* Reader::need(size_t k, const char* field) {
  if (n_ - pos_ < k)
    throw Malformed(std::string("truncated control message at field '") + field + "'");
  const uint8_t* at = p_ + pos_;
  pos_ += k;
  return at;
}

uint8_t Reader::u8(const char* field) { return *need(1, field); }

uint32_t Reader::u32(const char* field) {
  const uint8_t* b = need(4, field);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

uint64_t Reader::u64(const char* field) {
  uint64_t hi = u32(field);
  return (hi << 32) | u32(field);
}

bool Reader::boolean(const char* field) {
  uint8_t v = u8(field);
  if (v > 1) throw Malformed(std::string("field '") + field + "' is not a boolean");
  return v == 1;
}

std::string Reader::str(const char* field) {
  uint32_t len = u32(field);
  if (len > kMaxString) throw Malformed(std::string("field '") + field + "' is too long");
  const uint8_t* b = need(len, field);
  return std::string(reinterpret_cast<const char*>(b), len);
}

std::vector<int> Reader::ints(const char* field) {
  uint32_t k = u32(field);
  if (k > kMaxList) throw Malformed(std::string("list '") + field + "' is too long");
  std::vector<int> v;
  v.reserve(k);
  for (uint32_t i = 0; i < k; ++i) v.push_back(i32(field));
  return v;
}

std::vector<std::string> Reader::strs(const char* field) {
  uint32_t k = u32(field);
  if (k > kMaxList) throw Malformed(std::string("list '") + field + "' is too long");
  std::vector<std::string> v;
  v.reserve(k);
  for (uint32_t i = 0; i < k; ++i) v.push_back(str(field));
  return v;
}

void Reader::expect_end() const {
  if (pos_ != n_)
    throw Malformed(std::to_string(n_ - pos_) + " unexpected trailing bytes in control message");
}

}  // namespace snow::wire
