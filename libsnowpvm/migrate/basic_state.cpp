// INTERIM: see basic_state.h.
#include "libsnowpvm/migrate/basic_state.h"

#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <spdlog/spdlog.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

namespace snow::migrate {
namespace {

constexpr uint32_t kMagic = 0x534e4253;  // "SNBS"
constexpr uint16_t kVersion = 1;

struct Root {
  void* addr;
  const snow_type* type;
  std::string name;
};

std::vector<Root>& roots() {
  static std::vector<Root> r;
  return r;
}

// The scalar element type and element count of a supported root.
bool scalar_shape(const snow_type* t, const snow_type*& elem, size_t& count) {
  if (!t) return false;
  if (t->kind == SNOW_K_ARRAY) {
    if (!t->elem || t->elem->kind == SNOW_K_ARRAY) return false;
    elem = t->elem;
    count = t->count;
  } else {
    elem = t;
    count = 1;
  }
  return elem->kind == SNOW_K_INT || elem->kind == SNOW_K_BOOL ||
         (elem->kind == SNOW_K_FLOAT && (elem->size == sizeof(float) || elem->size == sizeof(double)));
}

// Size of C type `name` on `p` (the local size when the name is unknown).
size_t size_on(const Platform& p, const snow_type* t) {
  std::string n = t->name ? t->name : "";
  if (n == "char" || n == "signed char" || n == "unsigned char") return 1;
  if (n == "short" || n == "unsigned short") return p.size_short;
  if (n == "int" || n == "unsigned int") return p.size_int;
  if (n == "long" || n == "unsigned long") return p.size_long;
  if (n == "long long" || n == "unsigned long long") return p.size_llong;
  return t->size;
}

bool fits(long long v, size_t bytes, bool is_signed) {
  if (bytes >= 8) return true;
  int bits = static_cast<int>(8 * bytes);
  if (is_signed) return v >= -(1LL << (bits - 1)) && v < (1LL << (bits - 1));
  return static_cast<unsigned long long>(v) < (1ULL << bits);
}

long long load_int(const uint8_t* p, const snow_type* t) {
  switch (t->size) {
    case 1: return t->is_signed ? static_cast<long long>(*reinterpret_cast<const int8_t*>(p)) : *p;
    case 2: { int16_t s; uint16_t u; std::memcpy(&s, p, 2); std::memcpy(&u, p, 2); return t->is_signed ? s : u; }
    case 4: { int32_t s; uint32_t u; std::memcpy(&s, p, 4); std::memcpy(&u, p, 4); return t->is_signed ? s : static_cast<long long>(u); }
    default: { long long v; std::memcpy(&v, p, 8); return v; }
  }
}

void store_int(uint8_t* p, const snow_type* t, long long v) {
  switch (t->size) {
    case 1: { auto b = static_cast<uint8_t>(v); *p = b; break; }
    case 2: { auto s = static_cast<uint16_t>(v); std::memcpy(p, &s, 2); break; }
    case 4: { auto s = static_cast<uint32_t>(v); std::memcpy(p, &s, 4); break; }
    default: std::memcpy(p, &v, 8);
  }
}

class Out {
 public:
  explicit Out(ByteSink& s) : s_(s) {}
  void u8(uint8_t v) { s_.write(&v, 1); }
  void u32(uint32_t v) { uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; s_.write(b, 4); }
  void u64(uint64_t v) { u32(static_cast<uint32_t>(v >> 32)); u32(static_cast<uint32_t>(v)); }
  void str(const std::string& v) { u32(static_cast<uint32_t>(v.size())); s_.write(v.data(), v.size()); }

 private:
  ByteSink& s_;
};

class In {
 public:
  explicit In(ByteSource& s) : s_(s) {}
  uint8_t u8() { uint8_t v; s_.read_exact(&v, 1); return v; }
  uint32_t u32() { uint8_t b[4]; s_.read_exact(b, 4); return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3]; }
  uint64_t u64() { uint64_t hi = u32(); return (hi << 32) | u32(); }
  std::string str() {
    uint32_t n = u32();
    if (n > 4096) throw Error("state stream: implausible variable name length");
    std::string v(n, '\0');
    s_.read_exact(v.data(), n);
    return v;
  }

 private:
  ByteSource& s_;
};

class BasicStateProvider final : public StateProvider {
 public:
  void check(const Platform& dst) override {
    for (const auto& r : roots()) {
      const snow_type* elem;
      size_t count;
      if (!scalar_shape(r.type, elem, count))
        throw NotMigratable(r.name, "the interim state provider moves only scalars and arrays of scalars");
      if (elem->kind != SNOW_K_INT) continue;
      size_t dsize = size_on(dst, elem);
      for (size_t i = 0; i < count; ++i) {
        long long v = load_int(static_cast<const uint8_t*>(r.addr) + i * elem->size, elem);
        if (!fits(v, dsize, elem->is_signed != 0))
          throw NotMigratable(r.name + (count > 1 ? "[" + std::to_string(i) + "]" : ""),
                              "value " + std::to_string(v) + " does not fit a " +
                                  std::to_string(8 * dsize) + "-bit " + elem->name + " on " +
                                  dst.describe());
      }
    }
  }

  void collect(ByteSink& sink, const Platform&) override {
    Out o(sink);
    o.u32(kMagic);
    o.u32(kVersion);
    o.u32(static_cast<uint32_t>(roots().size()));
    for (const auto& r : roots()) {
      const snow_type* elem;
      size_t count;
      if (!scalar_shape(r.type, elem, count)) throw NotMigratable(r.name, "unsupported type");
      o.str(r.name);
      o.u8(static_cast<uint8_t>(elem->kind));
      o.u8(static_cast<uint8_t>(elem->size));
      o.u8(static_cast<uint8_t>(elem->is_signed != 0));
      o.u32(static_cast<uint32_t>(count));
      const auto* base = static_cast<const uint8_t*>(r.addr);
      for (size_t i = 0; i < count; ++i) {
        const uint8_t* p = base + i * elem->size;
        if (elem->kind == SNOW_K_INT) {
          o.u64(static_cast<uint64_t>(load_int(p, elem)));
        } else if (elem->kind == SNOW_K_BOOL) {
          o.u8(*p != 0);
        } else if (elem->size == sizeof(float)) {
          uint32_t bits;
          std::memcpy(&bits, p, 4);
          o.u32(bits);
        } else {
          uint64_t bits;
          std::memcpy(&bits, p, 8);
          o.u64(bits);
        }
      }
    }
  }

  void restore(ByteSource& src) override {
    In in(src);
    if (in.u32() != kMagic) throw Error("state stream: not an interim (SNBS) state");
    if (in.u32() != kVersion) throw Error("state stream: unsupported interim state version");
    uint32_t n = in.u32();
    if (n != roots().size())
      throw Error("state stream: " + std::to_string(n) + " variables sent, " +
                  std::to_string(roots().size()) + " tracked here");
    for (auto& r : roots()) {
      std::string name = in.str();
      uint8_t kind = in.u8(), size = in.u8();
      in.u8();  // signedness: values are range-checked below instead (plain char differs)
      uint32_t count = in.u32();
      const snow_type* elem;
      size_t lcount;
      if (name != r.name || !scalar_shape(r.type, elem, lcount) || kind != elem->kind ||
          count != lcount || (kind == SNOW_K_FLOAT && size != elem->size))
        throw Error("state stream: variable '" + name + "' does not match the tracked '" + r.name + "'");
      auto* base = static_cast<uint8_t*>(r.addr);
      for (size_t i = 0; i < count; ++i) {
        uint8_t* p = base + i * elem->size;
        if (kind == SNOW_K_INT) {
          auto v = static_cast<long long>(in.u64());
          if (!fits(v, elem->size, elem->is_signed != 0))
            throw Error("state stream: value of '" + name + "' does not fit here");
          store_int(p, elem, v);
        } else if (kind == SNOW_K_BOOL) {
          *p = in.u8() != 0;
        } else if (size == sizeof(float)) {
          uint32_t bits = in.u32();
          std::memcpy(p, &bits, 4);
        } else {
          uint64_t bits = in.u64();
          std::memcpy(p, &bits, 8);
        }
      }
    }
  }
};

}  // namespace

StateProvider& basic_state_provider() {
  static BasicStateProvider p;
  return p;
}

}  // namespace snow::migrate

extern "C" int snow_track(void* addr, const struct snow_type* type, const char* name) {
  if (!addr || !type || !name || !*name) return PvmBadParam;
  auto& rs = snow::migrate::roots();
  for (auto& r : rs)
    if (r.addr == addr) {
      r.type = type;
      r.name = name;
      return 0;
    }
  rs.push_back({addr, type, name});
  return 0;
}

extern "C" int snow_untrack(void* addr) {
  auto& rs = snow::migrate::roots();
  for (auto it = rs.begin(); it != rs.end(); ++it)
    if (it->addr == addr) {
      rs.erase(it);
      return 0;
    }
  return PvmNoData;
}
