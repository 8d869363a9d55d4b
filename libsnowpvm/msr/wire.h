// The record layer of a state stream (inside the frames of framing.h):
// tags, LEB128 varints, strings, and the self-description of types.
// doc/state-format.md is the reference; keep the two in step.
#pragma once

#include "libsnowpvm/msr/framing.h"
#include "snowpvm_msr.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace snow::msr {

// Record tags.
enum class Tag : uint8_t {
  Hello = 'H',  // source platform, flags, program
  Type = 'T',   // a type description (ids in order of appearance)
  Root = 'R',   // a root and the block it declares
  Data = 'D',   // the contents of a declared block
  End = 'E',    // block and data counts
  Abort = 'X',  // the source gave up; a reason follows
};

enum class RootKind : uint8_t { Global = 'G', Stack = 'S', FrameRecord = 'F', FrameLocal = 'L' };

// A pointer slot's value (inside a Data record, in slot order).
enum class PtrTag : uint8_t {
  Null = 0,
  Ref = 1,        // block id, path
  NewHeap = 2,    // declares a heap block (type, count, fam), then path
  NewString = 3,  // declares a string block (count), then path
  Func = 4,       // index of a function name already sent
  NewFunc = 5,    // a function name
  TypeDef = 6,    // a type description (the next type id); not a slot value
  Handle = 7,     // a stdio stream by handle (external_objects.h)
};

// Hello flags.
inline constexpr uint64_t kFlagPortable = 1;  // bit-field side values present

// Limits a decoder enforces before allocating anything.
inline constexpr size_t kMaxName = 4096;
inline constexpr size_t kMaxTypes = 1 << 16;
inline constexpr size_t kMaxFields = 1 << 16;
inline constexpr size_t kMaxPath = 64;
inline constexpr int kMaxTypeDepth = 64;

class Encoder {
 public:
  explicit Encoder(FrameWriter& w) : w_(w) {}
  void tag(Tag t) { w_.put(static_cast<uint8_t>(t)); }
  void u8(uint8_t v) { w_.put(v); }
  inline void varint(uint64_t v) {
    while (v >= 0x80) {
      w_.put(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    w_.put(static_cast<uint8_t>(v));
  }
  void svarint(int64_t v) {
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void string(std::string_view s) {
    varint(s.size());
    w_.write(s.data(), s.size());
  }
  void bytes(const void* p, size_t n) { w_.write(p, n); }
  FrameWriter& frames() { return w_; }

 private:
  FrameWriter& w_;
};

class Decoder {
 public:
  explicit Decoder(FrameReader& r) : r_(r) {}
  uint8_t u8() { return r_.get(); }
  inline uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = r_.get();
      if (shift == 63 && b > 1) break;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw StateError("corrupt state stream: a number is longer than 64 bits");
  }
  // A varint that must be <= max; `what` names it in the error.
  uint64_t bounded(uint64_t max, const char* what);
  int64_t svarint() {
    uint64_t u = varint();
    return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  }
  std::string string(size_t max = kMaxName);
  void bytes(void* p, size_t n);
  FrameReader& frames() { return r_; }

 private:
  FrameReader& r_;
};

// A type as the source described it.
struct WireField {
  std::string name;
  uint32_t type;
  uint64_t offset;
  uint32_t bit_width;
};

struct WireType {
  uint8_t kind = 0;
  std::string name;
  uint64_t size = 0, align = 0;
  bool is_signed = false;
  uint32_t elem = 0;  // ARRAY
  uint64_t count = 0;
  uint8_t digits = 0;  // FLOAT
  std::vector<WireField> fields;
  int depth = 1;
};

// Writes descriptions of native types as they are first used: as Type
// records between records, or as PtrTag::TypeDef inside a pointer section.
class TypeWriter {
 public:
  // The wire id of t, writing its description (and its parts') first,
  // each preceded by `prefix` (Tag::Type or PtrTag::TypeDef).
  uint32_t id(Encoder& e, const snow_type* t, uint8_t prefix);
  uint32_t id_between_records(Encoder& e, const snow_type* t) {
    return id(e, t, static_cast<uint8_t>(Tag::Type));
  }
  uint32_t id_in_pointers(Encoder& e, const snow_type* t) {
    return id(e, t, static_cast<uint8_t>(PtrTag::TypeDef));
  }
  bool known(const snow_type* t) const { return ids_.count(t) != 0; }

 private:
  uint32_t write(Encoder& e, const snow_type* t, uint8_t prefix);
  std::unordered_map<const snow_type*, uint32_t> ids_;
  uint32_t next_ = 0;
};

// Reads one Type record's body (the tag is already read) and appends it.
// Validates everything: kinds, sizes, references to earlier types only,
// fields inside their struct, depth.  Throws StateError.
void read_type(Decoder& d, std::vector<WireType>& table);

std::string wire_type_name(const std::vector<WireType>& table, uint32_t id);

}  // namespace snow::msr
