#include "libsnowpvm/msr/restorer.h"

#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/convert_node.h"
#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/function_table.h"
#include "libsnowpvm/msr/logical_pointer.h"
#include "libsnowpvm/msr/type_info.h"
#include "libsnowpvm/msr/wire.h"
#include "libsnowpvm/msr/writable_window.h"

#include <bit>
#include <cstring>
#include <deque>
#include <memory>

namespace snow::msr {
namespace {

constexpr bool kNativeBig = std::endian::native == std::endian::big;
constexpr size_t kBatch = 256 * 1024;  // bytes of source data converted at a time

[[noreturn]] void corrupt(const std::string& why) {
  throw StateError("corrupt state stream: " + why);
}

uint64_t mul(uint64_t a, uint64_t b, const char* what) {
  if (b != 0 && a > UINT64_MAX / b) corrupt(std::string(what) + " overflows");
  return a * b;
}

size_t to_size(uint64_t v, const char* what) {
  if (v > SIZE_MAX)
    throw StateError(std::string(what) + " of " + std::to_string(v) + " bytes does not fit this " +
                     std::to_string(8 * sizeof(void*)) + "-bit address space");
  return static_cast<size_t>(v);
}

struct RBlock {
  BlockKind kind;
  char* base = nullptr;
  const Node* node = nullptr;  // of one element
  uint64_t count = 0, fam = 0;
  uint64_t src_bytes = 0;
  size_t dst_bytes = 0;
  bool filled = false;
  uint32_t frame = 0, local = 0;
};

class Restore {
 public:
  Restore(Registry& reg, const RestoreOptions& opt, RestoreStats& st, FrameReader& fr)
      : reg_(reg), opt_(opt), st_(st), d_(fr) {
    char_node_.kind = Node::Kind::Char;
    char_node_.native = &snow_type_char;
    char_node_.src_size = 1;
    char_node_.dst_size = 1;
    char_node_.identical = true;
  }

  ~Restore() {
    if (committed_) return;
    for (const RBlock& b : blocks_) {
      if (b.kind != BlockKind::Heap && b.kind != BlockKind::String) continue;
      reg_.forget_unions(b.base, b.dst_bytes);
      reg_.heap().release(b.base);
    }
  }

  void run() {
    hello();
    for (;;) {
      auto tag = static_cast<Tag>(d_.u8());
      switch (tag) {
        case Tag::Type:
          read_type(d_, types_);
          break;
        case Tag::Root:
          root();
          break;
        case Tag::Data:
          data();
          break;
        case Tag::End:
          end();
          return;
        default:
          corrupt("unknown record tag " + std::to_string(static_cast<unsigned>(tag)));
      }
    }
  }

 private:
  // ---------------------------------------------------------------- records

  void hello() {
    if (static_cast<Tag>(d_.u8()) != Tag::Hello) corrupt("it does not start with a hello record");
    std::vector<uint8_t> blob(d_.bounded(256, "platform description length"));
    d_.bytes(blob.data(), blob.size());
    try {
      src_ = Platform::decode(blob.data(), blob.size());
    } catch (const Error& e) {
      corrupt(e.what());
    }
    uint64_t flags = d_.varint();
    if ((flags & ~kFlagPortable) != 0)
      throw StateError("the state stream uses features this runtime does not know");
    portable_ = (flags & kFlagPortable) != 0;
    d_.string();  // program name: informative
    expected_roots_ = d_.bounded(1u << 24, "root count");
    same_order_ = src_.big_endian == kNativeBig;
    same_platform_ = src_.same_layout(Platform::local());
    if (!portable_ && !same_platform_)
      throw StateError("the state stream was written for a " + src_.describe() +
                       " destination, not for " + Platform::local().describe());
    nodes_ = std::make_unique<NodeBuilder>(types_, same_order_, same_platform_);
    st_.source_arch = src_.arch;
  }

  uint32_t type_ref() {
    uint64_t id = d_.varint();
    if (id >= types_.size())
      corrupt("reference to type " + std::to_string(id) + ", which is not described");
    return static_cast<uint32_t>(id);
  }

  // Element view of a source type: arrays flattened like element_view().
  std::pair<uint32_t, uint64_t> flatten(uint32_t w) {
    uint64_t count = 1;
    while (types_[w].kind == SNOW_K_ARRAY && types_[w].count > 0) {
      count = mul(count, types_[w].count, "array size");
      w = types_[w].elem;
    }
    return {w, count};
  }

  void sizes(RBlock& b, const char* what) {
    const Node* n = b.node;
    if (b.fam > 0) {
      const Node::Member* fm =
          n->kind == Node::Kind::Struct && !n->members.empty() ? &n->members.back() : nullptr;
      if (fm == nullptr || !fm->fam || b.count != 1)
        corrupt("a flexible array count for a type without one");
      b.src_bytes = std::max(n->src_size,
                             fm->src_off + mul(b.fam, fm->node->elem->src_size, "flexible array"));
      uint64_t dst = std::max<uint64_t>(
          n->dst_size, fm->dst_off + mul(b.fam, fm->node->elem->dst_size, "flexible array"));
      b.dst_bytes = to_size(dst, what);
    } else {
      // Elements of size zero would make the loops over them unbounded.
      if ((n->src_size == 0 || n->dst_size == 0) && b.count > (1u << 20))
        corrupt("a block of " + std::to_string(b.count) + " elements of an empty type");
      b.src_bytes = mul(b.count, n->src_size, "block size");
      b.dst_bytes = to_size(mul(b.count, n->dst_size, "block size"), what);
    }
  }

  void root() {
    if (blocks_.size() >= expected_roots_) corrupt("more roots than announced");
    auto kind = static_cast<RootKind>(d_.u8());
    std::string name = d_.string();
    RBlock b;
    root_names_.push_back(name);
    switch (kind) {
      case RootKind::Global: {
        uint32_t w = type_ref();
        const Root* r = reg_.find_root(name);
        if (r == nullptr)
          throw StateError("the state has a variable '" + name +
                           "' that this program does not track (snow_track)");
        b.kind = BlockKind::Global;
        place_root(b, name, w, r->addr, r->type);
        // A const global may sit in read-only pages (writable_window.h).
        writable_.open(b.base, b.dst_bytes);
        break;
      }
      case RootKind::Stack: {
        uint64_t depth = d_.varint();
        uint32_t w = type_ref();
        auto stack = reg_.stack_bottom_up();
        if (depth >= stack.size() || name != (stack[depth]->name ? stack[depth]->name : ""))
          throw StateError("the state has stack variable '" + name + "' at depth " +
                           std::to_string(depth) +
                           ", which this program has not pushed there (snow_stack_push)");
        b.kind = BlockKind::Stack;
        place_root(b, name, w, stack[depth]->addr, stack[depth]->type);
        break;
      }
      case RootKind::FrameRecord: {
        uint64_t f = d_.varint();
        uint32_t w = type_ref();
        if (f != frames_.size()) corrupt("frame " + std::to_string(f) + " out of order");
        const snow_type* t = nodes_->native_for(w);
        validate_type(t);
        frames_.push_back(SavedFrame{name, t, AlignedBuffer(t->size), {}});
        b.kind = BlockKind::FrameRecord;
        b.frame = static_cast<uint32_t>(f);
        place_root(b, name, w, frames_.back().record.data(), t);
        break;
      }
      case RootKind::FrameLocal: {
        uint64_t f = d_.varint(), l = d_.varint();
        uint32_t w = type_ref();
        if (frames_.empty() || f != frames_.size() - 1 || l != frames_.back().locals.size())
          corrupt("saved local " + name + " out of order");
        const snow_type* t = nodes_->native_for(w);
        validate_type(t);
        frames_.back().locals.push_back(SavedLocal{name, t, 0, AlignedBuffer(t->size)});
        b.kind = BlockKind::FrameLocal;
        b.frame = static_cast<uint32_t>(f);
        b.local = static_cast<uint32_t>(l);
        place_root(b, name, w, frames_.back().locals.back().copy.data(), t);
        break;
      }
      default:
        corrupt("unknown root kind " + std::to_string(static_cast<unsigned>(kind)));
    }
    blocks_.push_back(std::move(b));
  }

  void place_root(RBlock& b, const std::string& name, uint32_t wire, void* addr,
                  const snow_type* native) {
    auto [welem, wcount] = flatten(wire);
    ElementView v = element_view(native);
    if (wcount != v.count)
      throw StateError("'" + name + "' has " + std::to_string(v.count) + " elements here, " +
                       std::to_string(wcount) + " in the state");
    b.base = static_cast<char*>(addr);
    b.node = nodes_->node(welem, v.elem);
    b.count = v.count;
    sizes(b, "a root");
    if (b.dst_bytes != native->size) corrupt("the size of '" + name + "' does not add up");
  }

  size_t declare_heap(uint32_t welem, uint64_t count, uint64_t fam) {
    if (welem != heap_wire_ || heap_node_ == nullptr) {  // blocks of one type come in runs
      const snow_type* native = nodes_->native_for(welem);
      if (kind_of(native) == SNOW_K_ARRAY && native->count == 0)
        corrupt("a heap block of a flexible array type");
      validate_type(native);
      heap_node_ = nodes_->node(welem, native);
      heap_wire_ = welem;
    }
    const snow_type* native = heap_node_->native;
    RBlock b;
    b.kind = BlockKind::Heap;
    b.node = heap_node_;
    b.count = count;
    b.fam = fam;
    sizes(b, "a heap block");
    b.base = static_cast<char*>(allocate(b.dst_bytes, native, !b.node->identical));
    blocks_.push_back(std::move(b));
    return blocks_.size() - 1;
  }

  size_t declare_string(uint64_t count) {
    RBlock b;
    b.kind = BlockKind::String;
    b.node = &char_node_;
    b.count = count;
    b.src_bytes = count;
    b.dst_bytes = to_size(count, "a string");
    b.base = static_cast<char*>(allocate(b.dst_bytes, &snow_type_char, false));
    blocks_.push_back(std::move(b));
    return blocks_.size() - 1;
  }

  void* allocate(size_t bytes, const snow_type* elem, bool zero) {
    if (bytes > opt_.max_bytes - allocated_)
      throw StateError("the state needs more than " + std::to_string(opt_.max_bytes) +
                       " bytes of new memory");
    allocated_ += bytes;
    void* p = reg_.heap().allocate(bytes, elem, zero);
    if (p == nullptr)
      throw StateError("out of memory restoring a block of " + std::to_string(bytes) + " bytes");
    return p;
  }

  void data() {
    uint64_t id = d_.varint();
    if (id >= blocks_.size())
      corrupt("contents of block " + std::to_string(id) + ", which was never declared");
    size_t bi = static_cast<size_t>(id);
    if (blocks_[bi].filled) corrupt("block " + std::to_string(id) + " arrives twice");
    const RBlock b = blocks_[bi];  // a copy: blocks_ grows while pointers are read
    const Node* n = b.node;
    unions_.clear();
    bits_.clear();
    ucur_ = bcur_ = 0;
    if (n->has_unions || (portable_ && n->has_bitfields)) {
      uint64_t nu = d_.bounded(b.src_bytes, "union count");
      for (uint64_t i = 0; i < nu; ++i) unions_.push_back(d_.varint());
      if (portable_) {
        uint64_t nb = d_.bounded(mul(b.src_bytes, 8, "bit-field count"), "bit-field count");
        for (uint64_t i = 0; i < nb; ++i) bits_.push_back(d_.svarint());
      }
    }
    Where top{nullptr, id < root_names_.size() ? root_names_[id].c_str() : nullptr, id, n->native};
    if (n->identical && b.src_bytes == b.dst_bytes) {
      d_.bytes(b.base, b.dst_bytes);
      if (n->has_unions || (portable_ && n->has_bitfields))
        for (uint64_t el = 0; el < b.count; ++el) side(n, b.base + el * n->dst_size, b.fam);
    } else {
      st_.converted = true;
      convert_block(b, top);
    }
    if (ucur_ != unions_.size() || bcur_ != bits_.size())
      corrupt("side values of block " + std::to_string(id) +
              " do not match its unions and bit-fields");
    if (n->has_pointers)
      for (uint64_t el = 0; el < b.count; ++el) pointers(bi, n, el * n->dst_size, b.fam);
    blocks_[bi].filled = true;
    ++data_count_;
    ++st_.blocks;
    st_.payload_bytes += b.src_bytes;
  }

  void end() {
    uint64_t declared = d_.varint(), data = d_.varint();
    if (blocks_.size() < expected_roots_) corrupt("fewer roots than announced");
    if (declared != blocks_.size() || data != data_count_)
      corrupt("the end record counts " + std::to_string(declared) + " blocks and " +
              std::to_string(data) + " contents, the stream had " + std::to_string(blocks_.size()) +
              " and " + std::to_string(data_count_));
    for (size_t i = 0; i < blocks_.size(); ++i)
      if (!blocks_[i].filled)
        corrupt("block " + std::to_string(i) + " was declared but its contents never came");
    st_.frames = frames_.size();
    if (!frames_.empty() && reg_.frames_pending() != 0)
      throw StateError("this process still has saved frames; restore refused");
    // Reopen the streams the state describes (a failure refuses the whole
    // restore), then aim the pointers to them.
    external_recreate(reg_);
    for (const Handle& h : handles_) {
      void* p = external_object(h.handle);
      std::memcpy(blocks_[h.holder].base + h.offset, &p, sizeof p);
    }
    if (!frames_.empty()) {
      reg_.frames() = std::move(frames_);
      reg_.frame_fixups() = std::move(fixups_);
    }
    committed_ = true;
  }

  // ---------------------------------------------------------------- values

  int next_union(const Node* n) {
    if (ucur_ >= unions_.size()) corrupt("fewer union members recorded than unions");
    uint64_t v = unions_[ucur_++];
    if (v > n->members.size()) corrupt("a union member index out of range");
    return static_cast<int>(v) - 1;
  }

  int64_t next_bit() {
    if (bcur_ >= bits_.size()) corrupt("fewer bit-field values than bit-fields");
    return bits_[bcur_++];
  }

  bool side_wanted(const Node* n) const { return n->has_unions || (portable_ && n->has_bitfields); }

  // After an identical copy: consume the side values the source sent for
  // this element, and record union members here.
  void side(const Node* n, char* dst, uint64_t fam_n) {
    switch (n->kind) {
      case Node::Kind::Array: {
        if (!side_wanted(n->elem)) return;
        uint64_t cnt = n->count != 0 ? n->count : fam_n;
        for (uint64_t i = 0; i < cnt; ++i) side(n->elem, dst + i * n->elem->dst_size, 0);
        return;
      }
      case Node::Kind::Struct:
        for (const auto& m : n->members) {
          if (m.bit_width > 0) {
            if (portable_) next_bit();
          } else if (side_wanted(m.node)) {
            side(m.node, dst + m.dst_off, m.fam ? fam_n : 0);
          }
        }
        return;
      case Node::Kind::Union: {
        int m = next_union(n);
        if (m < 0) return;
        const auto& mem = n->members[static_cast<size_t>(m)];
        if (n->native->union_active == nullptr)
          reg_.set_union_active(dst, static_cast<int>(mem.native_index));
        if (mem.bit_width == 0 && side_wanted(mem.node)) side(mem.node, dst + mem.dst_off, 0);
        return;
      }
      default:
        return;
    }
  }

  void convert_block(const RBlock& b, const Where& top) {
    const Node* n = b.node;
    if (b.fam > 0) {  // one element and its flexible array
      staging_.resize(to_size(b.src_bytes, "a block"));
      d_.bytes(staging_.data(), staging_.size());
      convert(n, staging_.data(), b.base, b.fam, &top);
      return;
    }
    if (n->src_size == 0) return;
    uint64_t per = std::max<uint64_t>(1, kBatch / n->src_size);
    for (uint64_t el = 0; el < b.count; el += per) {
      uint64_t k = std::min(per, b.count - el);
      staging_.resize(static_cast<size_t>(k * n->src_size));
      d_.bytes(staging_.data(), staging_.size());
      if (b.count == 1) {
        convert(n, staging_.data(), b.base, 0, &top);
      } else {
        convert_run(n, staging_.data(), b.base + el * n->dst_size, k, el, &top);
      }
    }
  }

  // k consecutive elements (indexes first..first+k-1 for messages).
  void convert_run(const Node* n, const uint8_t* src, char* dst, uint64_t k, uint64_t first,
                   const Where* w) {
    if (n->identical) {
      std::memcpy(dst, src, static_cast<size_t>(k * n->dst_size));
      if (side_wanted(n))
        for (uint64_t i = 0; i < k; ++i) side(n, dst + i * n->dst_size, 0);
      return;
    }
    if (swap_run(n, src, dst, k)) return;
    for (uint64_t i = 0; i < k; ++i) {
      Where wi{w, nullptr, first + i};
      convert(n, src + i * n->src_size, dst + i * n->dst_size, 0, &wi);
    }
  }

  // Same-size scalars in the other byte order: a tight loop.
  bool swap_run(const Node* n, const uint8_t* src, char* dst, uint64_t k) {
    bool same_int =
        n->kind == Node::Kind::Int && n->src_size == n->dst_size && n->src_signed == n->dst_signed;
    bool same_float = n->kind == Node::Kind::Float && n->ffrom == n->fto &&
                      n->src_size == n->dst_size &&
                      (n->ffrom == FloatFormat::Binary32 || n->ffrom == FloatFormat::Binary64);
    if (same_order_ || !(same_int || same_float)) return false;
    switch (n->src_size) {
      case 2:
        for (uint64_t i = 0; i < k; ++i) {
          uint16_t v;
          std::memcpy(&v, src + 2 * i, 2);
          v = __builtin_bswap16(v);
          std::memcpy(dst + 2 * i, &v, 2);
        }
        return true;
      case 4:
        for (uint64_t i = 0; i < k; ++i) {
          uint32_t v;
          std::memcpy(&v, src + 4 * i, 4);
          v = __builtin_bswap32(v);
          std::memcpy(dst + 4 * i, &v, 4);
        }
        return true;
      case 8:
        for (uint64_t i = 0; i < k; ++i) {
          uint64_t v;
          std::memcpy(&v, src + 8 * i, 8);
          v = __builtin_bswap64(v);
          std::memcpy(dst + 8 * i, &v, 8);
        }
        return true;
      default:
        return false;
    }
  }

  void convert(const Node* n, const uint8_t* src, char* dst, uint64_t fam_n, const Where* w) {
    if (n->identical && !n->has_fam) {
      std::memcpy(dst, src, n->dst_size);
      if (side_wanted(n)) side(n, dst, fam_n);
      return;
    }
    switch (n->kind) {
      case Node::Kind::Int:
        convert_int(n, src, dst, w);
        return;
      case Node::Kind::Char:
        *dst = static_cast<char>(*src);
        return;
      case Node::Kind::Bool: {
        bool v = false;
        for (uint64_t i = 0; i < n->src_size; ++i) v = v || src[i] != 0;
        std::memset(dst, 0, n->dst_size);
        dst[kNativeBig ? n->dst_size - 1 : 0] = v ? 1 : 0;
        return;
      }
      case Node::Kind::Float:
        if (!convert_float(n->ffrom, src, static_cast<size_t>(n->src_size), src_.big_endian, n->fto,
                           reinterpret_cast<uint8_t*>(dst), n->dst_size))
          throw migrate::NotMigratable(
              w->text(), "holds a " + type_name(n->native) +
                             " value that cannot be represented exactly here (or is not a "
                             "valid value of the source's format)");
        return;
      case Node::Kind::Pointer:
      case Node::Kind::FuncPtr:
        return;  // patched once the pointers are read
      case Node::Kind::Array: {
        uint64_t cnt = n->count != 0 ? n->count : fam_n;
        convert_run(n->elem, src, dst, cnt, 0, w);
        return;
      }
      case Node::Kind::Struct:
        for (const auto& m : n->members) {
          Where wm{w, m.name.c_str(), 0};
          if (m.bit_width > 0) {
            if (!portable_)
              throw StateError(
                  "the state stream lacks the bit-field values a different layout needs");
            set_bitfield(m, dst, next_bit(), &wm);
          } else {
            convert(m.node, src + m.src_off, dst + m.dst_off, m.fam ? fam_n : 0, &wm);
          }
        }
        return;
      case Node::Kind::Union: {
        int m = next_union(n);
        // No member recorded: the collector lets that through only for a
        // union without pointers, which the program has not assigned a
        // member of since it was made (a never-written element of a local
        // array) or has filled by other means (an initialiser, memcpy).
        // Its first member is the best reading of those bytes; refusing
        // would keep such programs from ever moving.
        if (m < 0) {
          if (n->members.empty())
            throw migrate::NotMigratable(w->text(), "is a union without members");
          m = 0;
        }
        const auto& mem = n->members[static_cast<size_t>(m)];
        Where wm{w, mem.name.c_str(), 0};
        if (mem.bit_width > 0) corrupt("a bit-field as a union member");
        convert(mem.node, src + mem.src_off, dst + mem.dst_off, 0, &wm);
        if (n->native->union_active == nullptr)
          reg_.set_union_active(dst, static_cast<int>(mem.native_index));
        return;
      }
    }
  }

  void convert_int(const Node* n, const uint8_t* src, char* dst, const Where* w) {
    size_t s = static_cast<size_t>(n->src_size), d = n->dst_size;
    uint64_t raw = 0;
    for (size_t i = 0; i < s; ++i) raw = (raw << 8) | src[src_.big_endian ? i : s - 1 - i];
    bool neg = n->src_signed && s < 8 && (raw >> (8 * s - 1)) != 0;
    if (n->src_signed && s < 8 && neg) raw |= ~uint64_t{0} << (8 * s);
    neg = n->src_signed && static_cast<int64_t>(raw) < 0;
    bool fits;
    if (d >= 8) {
      fits = n->dst_signed ? !(!neg && raw > static_cast<uint64_t>(INT64_MAX)) : !neg;
    } else {
      unsigned bits = static_cast<unsigned>(8 * d);
      if (n->dst_signed) {
        int64_t lo = -(int64_t{1} << (bits - 1)), hi = (int64_t{1} << (bits - 1)) - 1;
        int64_t v = static_cast<int64_t>(raw);
        fits = neg ? v >= lo : raw <= static_cast<uint64_t>(hi);
      } else {
        fits = !neg && raw <= (uint64_t{1} << bits) - 1;
      }
    }
    if (!fits)
      throw migrate::NotMigratable(
          w->text(), "holds " +
                         (neg ? std::to_string(static_cast<int64_t>(raw)) : std::to_string(raw)) +
                         ", which does not fit the " + std::to_string(8 * d) + "-bit " +
                         type_name(n->native) + " here");
    for (size_t i = 0; i < d; ++i) {
      auto byte = static_cast<char>(raw >> (8 * i));
      dst[kNativeBig ? d - 1 - i : i] = byte;
    }
  }

  void set_bitfield(const Node::Member& m, char* obj, int64_t v, const Where* w) {
    const snow_field& f = *m.nfield;
    unsigned bits = f.bit_width;
    bool dst_signed = f.type->is_signed != 0;
    bool neg = m.src_signed && v < 0;
    bool fits;
    if (bits >= 64) {
      fits =
          dst_signed ? (neg || static_cast<uint64_t>(v) <= static_cast<uint64_t>(INT64_MAX)) : !neg;
    } else if (dst_signed) {
      int64_t lo = -(int64_t{1} << (bits - 1)), hi = (int64_t{1} << (bits - 1)) - 1;
      fits = neg ? v >= lo : static_cast<uint64_t>(v) <= static_cast<uint64_t>(hi);
    } else {
      fits = !neg && static_cast<uint64_t>(v) <= (uint64_t{1} << bits) - 1;
    }
    if (!fits)
      throw migrate::NotMigratable(w->text(), "holds " + std::to_string(v) +
                                                  ", which does not fit its " +
                                                  std::to_string(bits) + "-bit field here");
    f.set_bits(obj, static_cast<unsigned long long>(v));
  }

  // ---------------------------------------------------------------- pointers

  void pointers(size_t bi, const Node* n, size_t off, uint64_t fam_n) {
    if (n->static_ptrs) {
      for (auto [o, fn] : n->ptr_slots) slot(bi, off + o, fn);
      return;
    }
    switch (n->kind) {
      case Node::Kind::Pointer:
        slot(bi, off, false);
        return;
      case Node::Kind::FuncPtr:
        slot(bi, off, true);
        return;
      case Node::Kind::Array: {
        if (!n->elem->has_pointers) return;
        uint64_t cnt = n->count != 0 ? n->count : fam_n;
        for (uint64_t i = 0; i < cnt; ++i)
          pointers(bi, n->elem, off + static_cast<size_t>(i) * n->elem->dst_size, 0);
        return;
      }
      case Node::Kind::Struct:
        for (const auto& m : n->members)
          if (m.bit_width == 0 && m.node->has_pointers)
            pointers(bi, m.node, off + m.dst_off, m.fam ? fam_n : 0);
        return;
      case Node::Kind::Union: {
        if (!n->has_pointers) return;
        char* obj = blocks_[bi].base + off;
        int a = active_member(reg_, n->native, obj, reinterpret_cast<uintptr_t>(obj));
        for (const auto& m : n->members)
          if (a >= 0 && m.native_index == static_cast<size_t>(a)) {
            if (m.bit_width == 0 && m.node->has_pointers) pointers(bi, m.node, off + m.dst_off, 0);
            return;
          }
        corrupt("a union holding pointers without an active member");
      }
      default:
        return;
    }
  }

  void slot(size_t holder, size_t off, bool is_func) {
    uint8_t tag;
    while ((tag = d_.u8()) == static_cast<uint8_t>(PtrTag::TypeDef)) read_type(d_, types_);
    ++st_.pointers;
    char* at = blocks_[holder].base + off;
    if (tag == static_cast<uint8_t>(PtrTag::Null)) {
      std::memset(at, 0, is_func ? sizeof(FunctionPtr) : sizeof(void*));
      return;
    }
    if (is_func) {
      FunctionPtr fn = nullptr;
      if (tag == static_cast<uint8_t>(PtrTag::Func)) {
        if (fns_.empty()) corrupt("a function index before any function name");
        fn = fns_[static_cast<size_t>(d_.bounded(fns_.size() - 1, "function index"))];
      } else if (tag == static_cast<uint8_t>(PtrTag::NewFunc)) {
        std::string name = d_.string();
        fn = FunctionTable::instance().find(name);
        if (fn == nullptr)
          throw StateError("the state points to function '" + name +
                           "', which this program has not registered");
        fns_.push_back(fn);
      } else {
        corrupt("a data pointer where a function pointer belongs");
      }
      std::memcpy(at, &fn, sizeof fn);
      return;
    }
    if (tag == static_cast<uint8_t>(PtrTag::Handle)) {  // resolved once all is read
      handles_.push_back(Handle{holder, off, d_.varint()});
      return;
    }
    size_t target;
    switch (static_cast<PtrTag>(tag)) {
      case PtrTag::Ref: {
        uint64_t id = d_.varint();
        if (id >= blocks_.size())
          corrupt("a pointer to block " + std::to_string(id) + ", which was never declared");
        target = static_cast<size_t>(id);
        break;
      }
      case PtrTag::NewHeap: {
        uint32_t w = type_ref();
        uint64_t count = d_.varint(), fam = d_.varint();
        target = declare_heap(w, count, fam);
        at = blocks_[holder].base + off;
        break;
      }
      case PtrTag::NewString: {
        uint64_t count = d_.varint();
        if (count == 0) corrupt("an empty string block");
        target = declare_string(count);
        at = blocks_[holder].base + off;
        break;
      }
      default:
        corrupt("pointer tag " + std::to_string(tag) + " is unknown here");
    }
    char* addr = resolve(blocks_[target]);
    std::memcpy(at, &addr, sizeof addr);
    if (blocks_[target].kind == BlockKind::FrameLocal) fixup(holder, off, target, addr);
  }

  char* resolve(const RBlock& t) {
    uint64_t head = d_.bounded((kPathMax << 2) | 3, "pointer path depth");
    uint64_t depth = head >> 2;
    uint64_t elem = (head & 2) ? d_.varint() : 0;
    const Node* n = t.node;
    if (elem > t.count || (t.fam > 0 && elem > 1))
      corrupt("a pointer to element " + std::to_string(elem) + " of " + std::to_string(t.count));
    uint64_t addr = mul(elem, n->dst_size, "pointer offset");
    if (t.fam > 0 && elem == 1) addr = t.dst_bytes;
    uint64_t fam_n = t.fam;
    bool one_past = elem == t.count || (t.fam > 0 && elem == 1);
    for (uint64_t k = 0; k < depth; ++k) {
      uint64_t c = d_.varint();
      if (one_past) corrupt("a pointer path continues past the end of an array");
      switch (n->kind) {
        case Node::Kind::Array: {
          uint64_t cnt = n->count != 0 ? n->count : fam_n;
          fam_n = 0;
          if (c > cnt)
            corrupt("a pointer to element " + std::to_string(c) + " of an array of " +
                    std::to_string(cnt));
          addr += mul(c, n->elem->dst_size, "pointer offset");
          one_past = c == cnt;
          n = n->elem;
          break;
        }
        case Node::Kind::Struct:
        case Node::Kind::Union: {
          if (c >= n->members.size())
            corrupt("a pointer to member " + std::to_string(c) + " of " + type_name(n->native));
          const auto& m = n->members[static_cast<size_t>(c)];
          if (m.bit_width > 0) corrupt("a pointer to a bit-field");
          addr += m.dst_off;
          if (!m.fam) fam_n = 0;
          n = m.node;
          break;
        }
        default:
          corrupt("a pointer path that goes inside a scalar");
      }
    }
    uint64_t rem = (head & 1) ? d_.varint() : 0;
    if (rem != 0) {
      if (!(same_platform_ && n->identical))
        throw StateError("a pointer into the middle of a value (" + std::to_string(rem) +
                         " bytes into " + type_name(n->native) + ") cannot be translated from " +
                         src_.arch + " to this layout");
      addr += rem;
    }
    if (addr > t.dst_bytes) corrupt("a pointer beyond the end of its block");
    return t.base + addr;
  }

  void fixup(size_t holder, size_t off, size_t target, char* addr) {
    const RBlock& h = blocks_[holder];
    const RBlock& t = blocks_[target];
    FrameFixup f{};
    switch (h.kind) {
      case BlockKind::FrameRecord:
        f.holder = FrameFixup::Holder::Record;
        f.holder_frame = h.frame;
        break;
      case BlockKind::FrameLocal:
        f.holder = FrameFixup::Holder::Local;
        f.holder_frame = h.frame;
        f.holder_local = h.local;
        break;
      default:
        f.holder = FrameFixup::Holder::Absolute;
        f.holder_addr = reinterpret_cast<uintptr_t>(h.base);
        break;
    }
    f.holder_offset = off;
    f.target_frame = t.frame;
    f.target_local = t.local;
    f.target_offset = static_cast<size_t>(addr - t.base);
    fixups_.push_back(f);
  }

  Registry& reg_;
  const RestoreOptions& opt_;
  RestoreStats& st_;
  Decoder d_;
  Platform src_;
  bool portable_ = false, same_order_ = true, same_platform_ = true;
  uint64_t expected_roots_ = 0;
  std::vector<WireType> types_;
  std::unique_ptr<NodeBuilder> nodes_;
  Node char_node_;
  std::deque<RBlock> blocks_;
  std::vector<std::string> root_names_;  // of blocks [0, roots)
  uint32_t heap_wire_ = 0;
  const Node* heap_node_ = nullptr;
  std::vector<SavedFrame> frames_;
  std::vector<FrameFixup> fixups_;
  struct Handle {  // a pointer slot designating a stdio stream
    size_t holder, offset;
    uint64_t handle;
  };
  std::vector<Handle> handles_;
  std::vector<FunctionPtr> fns_;
  uint64_t allocated_ = 0;
  uint64_t data_count_ = 0;
  std::vector<uint64_t> unions_;
  std::vector<int64_t> bits_;
  size_t ucur_ = 0, bcur_ = 0;
  std::vector<uint8_t> staging_;
  bool committed_ = false;
  WritableWindows writable_;
};

}  // namespace

void Restorer::run(ByteSource& in) {
  stats_ = {};
  if (opt_.discard_existing) reg_.discard_state();
  FrameReader fr(in);
  Restore r(reg_, opt_, stats_, fr);
  r.run();
  stats_.stream_bytes = fr.bytes();
}

}  // namespace snow::msr
