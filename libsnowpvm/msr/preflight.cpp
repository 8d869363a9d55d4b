#include "libsnowpvm/msr/preflight.h"

#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/address_info.h"
#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/float_format.h"
#include "libsnowpvm/msr/freed_blocks.h"
#include "libsnowpvm/msr/function_table.h"
#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/logical_pointer.h"
#include "libsnowpvm/msr/source_walk.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace snow::msr {
namespace {

std::string hex_address(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

int64_t load_signed(const char* p, size_t n) {
  switch (n) {
    case 1: {
      int8_t v;
      std::memcpy(&v, p, 1);
      return v;
    }
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

uint64_t load_unsigned(const char* p, size_t n) {
  switch (n) {
    case 1: {
      uint8_t v;
      std::memcpy(&v, p, 1);
      return v;
    }
    case 2: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

class Check {
 public:
  Check(Registry& reg, const Platform& dst) : reg_(reg), dst_(dst), g_(reg) {}

  PreflightStats run() {
    for (uint32_t i = static_cast<uint32_t>(g_.root_count()); i-- > 0;) {
      g_.declare(i, 1);
      dfs_.push_back(i);
    }
    while (!dfs_.empty()) {
      uint32_t i = dfs_.back();
      dfs_.pop_back();
      visit(i);
    }
    return stats_;
  }

  // SourceWalk visitor.
  bool wants_scalars_in(const snow_type* t) { return needs_check(t); }
  void scalar(size_t offset, const snow_type* t) {
    ++stats_.values_checked;
    const char* p = cur_.data + offset;
    if (kind_of(t) == SNOW_K_FLOAT) {
      auto from = float_format(float_digits_native(t)), to = float_format(float_digits_on(dst_, t));
      if (!from || !to)
        refuse(offset, "has a floating-point format with no counterpart on " + dst_.arch);
      uint8_t scratch[16];
      size_t dsize = *to == FloatFormat::Binary32 ? 4 : *to == FloatFormat::Binary64 ? 8 : 16;
      if (!convert_float(*from, reinterpret_cast<const uint8_t*>(p), t->size,
                         std::endian::native == std::endian::big, *to, scratch, dsize))
        refuse(offset,
               "holds a " + type_name(t) + " that " + dst_.arch + " cannot represent exactly");
      return;
    }
    size_t d = int_size_on(dst_, t);
    if (d == 0 || d >= t->size) return;
    unsigned bits = static_cast<unsigned>(8 * d);
    if (t->is_signed) {
      int64_t v = load_signed(p, t->size);
      int64_t lo = -(int64_t{1} << (bits - 1)), hi = (int64_t{1} << (bits - 1)) - 1;
      if (v < lo || v > hi)
        refuse(offset, "holds " + std::to_string(v) + ", which does not fit the " +
                           std::to_string(bits) + "-bit " + type_name(t) + " of " + dst_.arch);
    } else {
      uint64_t v = load_unsigned(p, t->size);
      if (v > (uint64_t{1} << bits) - 1)
        refuse(offset, "holds " + std::to_string(v) + ", which does not fit the " +
                           std::to_string(bits) + "-bit " + type_name(t) + " of " + dst_.arch);
    }
  }
  void union_member(size_t offset, const snow_type* u, int member) {
    if (member < 0)
      refuse(offset, "is a union (" + type_name(u) +
                         ") whose active member is not recorded, so it cannot be "
                         "converted to " +
                         dst_.arch);
  }
  [[noreturn]] void union_unknown(size_t offset, const snow_type* u) {
    refuse(offset, "is a union (" + type_name(u) +
                       ") that holds pointers but whose active member is not recorded");
  }
  void bitfield(size_t, const snow_field&) {}
  void pointer(size_t offset, const snow_type* pt) { follow(offset, pt); }

 private:
  [[noreturn]] void refuse(size_t offset, const std::string& why) {
    throw migrate::NotMigratable(g_.describe_at(cur_index_, offset), why);
  }

  bool needs_check(const snow_type* t) {
    auto it = needs_.find(t);
    if (it != needs_.end()) return it->second;
    bool n = false;
    switch (kind_of(t)) {
      case SNOW_K_INT:
      case SNOW_K_ENUM: {
        size_t d = int_size_on(dst_, t);
        n = d != 0 && d < t->size;
        break;
      }
      case SNOW_K_FLOAT:
        n = float_digits_native(t) != float_digits_on(dst_, t);
        break;
      case SNOW_K_ARRAY:
        n = needs_check(t->elem);
        break;
      case SNOW_K_STRUCT:
        for (size_t k = 0; k < t->nfields; ++k)
          n = n || (t->fields[k].bit_width == 0 && needs_check(t->fields[k].type));
        break;
      case SNOW_K_UNION:
        n = true;  // the active member must be known to convert it
        break;
      default:
        break;
    }
    return needs_[t] = n;
  }

  void visit(uint32_t i) {
    cur_index_ = i;
    cur_ = g_.block(i);
    ++stats_.blocks;
    const TypeFacts& f = facts(cur_.elem);
    bool values = needs_check(cur_.elem);
    if (!values && !f.has_pointers && !f.has_unions) return;
    SourceWalk walk(reg_, cur_,
                    WalkWant{.pointers = f.has_pointers, .unions = true, .scalars = values}, *this);
    walk.block();
  }

  void follow(size_t offset, const snow_type* pt) {
    const char* slot = cur_.data + offset;
    if (kind_of(pt) == SNOW_K_FUNCPTR) {
      FunctionPtr fn;
      std::memcpy(&fn, slot, sizeof fn);
      if (fn != nullptr && FunctionTable::instance().name_of(fn) == nullptr)
        refuse(offset, "points to a function that is not registered (snow_register_function)");
      return;
    }
    void* v;
    std::memcpy(&v, slot, sizeof v);
    if (v == nullptr) return;
    auto t = g_.find(reinterpret_cast<uintptr_t>(v), pt->elem);
    if (!t) {
      if (external_handle(v)) return;  // a stdio stream (never a block)
      if (was_freed(reinterpret_cast<uintptr_t>(v))) return;  // dangling: moves as NULL
      if (pt->elem == nullptr || kind_of(pt->elem) != SNOW_K_CHAR)
        refuse(offset, "points to " + hex_address(v) + ", which is in no registered block" +
                           unregistered_detail(cur_, reinterpret_cast<uintptr_t>(v)));
      t = g_.add_string(static_cast<const char*>(v));
    }
    const Block target = g_.block(t->block);
    if (cur_.kind == BlockKind::FrameRecord && target.kind == BlockKind::FrameLocal &&
        g_.root(t->block).frame < g_.root(cur_index_).frame)
      refuse(offset, "points into a local of an inner frame");
    LogicalRef r = logical_ref(reg_, target, t->offset, pt->elem);
    if (r.rem != 0)
      refuse(offset, "points into the middle of a value (" + std::to_string(r.rem) +
                         " bytes in), which no other layout can express");
    if (target.wire_id == 0) {
      g_.declare(t->block, 1, cur_index_, offset);
      dfs_.push_back(t->block);
    }
  }

  Registry& reg_;
  const Platform& dst_;
  BlockGraph g_;
  PreflightStats stats_;
  std::vector<uint32_t> dfs_;
  uint32_t cur_index_ = 0;
  Block cur_{};
  std::unordered_map<const snow_type*, bool> needs_;
};

}  // namespace

PreflightStats preflight(Registry& reg, const Platform& dst) {
  if (dst.same_layout(Platform::local())) return {};
  return Check(reg, dst).run();
}

}  // namespace snow::msr
