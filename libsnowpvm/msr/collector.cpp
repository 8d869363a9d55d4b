#include "libsnowpvm/msr/collector.h"

#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/address_info.h"
#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/freed_blocks.h"
#include "libsnowpvm/msr/function_table.h"
#include "libsnowpvm/msr/logical_pointer.h"
#include "libsnowpvm/msr/source_walk.h"
#include "libsnowpvm/msr/wire.h"
#include "libsnowpvm/util/log.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace snow::msr {
namespace {

std::string hex(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

// One collection: the graph, the DFS stack and the stream being written.
class Collection {
 public:
  Collection(Registry& reg, bool portable, FrameWriter& fw, CollectStats& stats)
      : reg_(reg), portable_(portable), fw_(fw), e_(fw), g_(reg), stats_(stats) {}

  void run() {
    hello();
    for (uint32_t i = 0; i < g_.root_count(); ++i) root(i);
    for (uint32_t i = static_cast<uint32_t>(g_.root_count()); i-- > 0;) dfs_.push_back(i);
    while (!dfs_.empty()) {
      uint32_t i = dfs_.back();
      dfs_.pop_back();
      data(i);
    }
    e_.tag(Tag::End);
    e_.varint(declared_);
    e_.varint(stats_.blocks);
    if (dangling_ > 0)
      spdlog::info("msr_collect: dangling pointers (to freed blocks) sent as NULL: {}", dangling_);
  }

  // SourceWalk visitor: side values and pointer slots of the current block.
  void pointer(size_t offset, const snow_type* t) { encode_pointer(offset, t); }
  void union_member(size_t, const snow_type*, int member) {
    unions_.push_back(static_cast<uint64_t>(member + 1));
  }
  [[noreturn]] void union_unknown(size_t offset, const snow_type* u) {
    throw StateError(g_.describe_at(cur_, offset) + " (union " + type_name(u) +
                     ") holds pointers but has no recorded active member (snow_union_set_active)");
  }
  void bitfield(size_t offset, const snow_field& f) {
    bits_.push_back(static_cast<int64_t>(f.get_bits(cur_block_.data + offset)));
  }
  void scalar(size_t, const snow_type*) {}
  bool wants_scalars_in(const snow_type*) const { return false; }

 private:
  void hello() {
    e_.tag(Tag::Hello);
    auto blob = Platform::local().encode();
    e_.varint(blob.size());
    e_.bytes(blob.data(), blob.size());
    e_.varint(portable_ ? kFlagPortable : 0);
    e_.string(program_invocation_short_name ? program_invocation_short_name : "");
    e_.varint(g_.root_count());
  }

  void root(uint32_t i) {
    const RootInfo& info = g_.root(i);
    uint32_t type = tw_.id_between_records(e_, info.decl);
    e_.tag(Tag::Root);
    switch (info.kind) {
      case BlockKind::Global:
        e_.u8(static_cast<uint8_t>(RootKind::Global));
        e_.string(info.name);
        break;
      case BlockKind::Stack:
        e_.u8(static_cast<uint8_t>(RootKind::Stack));
        e_.string(info.name);
        e_.varint(info.depth);
        break;
      case BlockKind::FrameRecord:
        e_.u8(static_cast<uint8_t>(RootKind::FrameRecord));
        e_.string(info.name);
        e_.varint(info.frame);
        break;
      case BlockKind::FrameLocal:
        e_.u8(static_cast<uint8_t>(RootKind::FrameLocal));
        e_.string(info.name);
        e_.varint(info.frame);
        e_.varint(info.local);
        break;
      default:
        throw StateError("BUG: a heap block among the roots");
    }
    e_.varint(type);
    g_.declare(i, static_cast<uint32_t>(++declared_));
  }

  const TypeFacts& facts_of(const snow_type* t) {
    if (t != facts_type_) {
      facts_type_ = t;
      facts_ = &facts(t);
    }
    return *facts_;
  }

  void data(uint32_t i) {
    cur_ = i;
    cur_block_ = g_.block(i);
    const Block& b = cur_block_;
    const TypeFacts& f = facts_of(b.elem);
    e_.tag(Tag::Data);
    e_.varint(b.wire_id - 1);
    if (f.has_unions || (portable_ && f.has_bitfields)) {
      unions_.clear();
      bits_.clear();
      SourceWalk walk(reg_, b, WalkWant{.unions = true, .bitfields = portable_}, *this);
      walk.block();
      e_.varint(unions_.size());
      for (uint64_t u : unions_) e_.varint(u);
      if (portable_) {
        e_.varint(bits_.size());
        for (int64_t v : bits_) e_.svarint(v);
      }
    }
    if (b.bytes >= kMaxFrame / 4) fw_.flush_frame();  // big contents start a frame: read in place
    e_.bytes(b.data, b.bytes);
    stats_.payload_bytes += b.bytes;
    ++stats_.blocks;
    if (!f.has_pointers) return;
    if (f.static_slots) {
      size_t esz = b.elem->size;
      for (size_t el = 0; el < b.count; ++el)
        for (const PointerSlot& s : f.slots) encode_pointer(el * esz + s.offset, s.type);
    } else {
      SourceWalk walk(reg_, b, WalkWant{.pointers = true}, *this);
      walk.block();
    }
  }

  void encode_pointer(size_t offset, const snow_type* pt) {
    ++stats_.pointers;
    const char* slot = cur_block_.data + offset;
    if (kind_of(pt) == SNOW_K_FUNCPTR) {
      FunctionPtr fn;
      std::memcpy(&fn, slot, sizeof fn);
      if (fn == nullptr) {
        e_.u8(static_cast<uint8_t>(PtrTag::Null));
        return;
      }
      const std::string* name = FunctionTable::instance().name_of(fn);
      if (name == nullptr)
        throw StateError(g_.describe_at(cur_, offset) +
                         " points to a function that is not registered "
                         "(snow_register_function)");
      auto [it, fresh] = fn_index_.emplace(*name, static_cast<uint32_t>(fn_index_.size()));
      if (fresh) {
        e_.u8(static_cast<uint8_t>(PtrTag::NewFunc));
        e_.string(*name);
      } else {
        e_.u8(static_cast<uint8_t>(PtrTag::Func));
        e_.varint(it->second);
      }
      return;
    }
    void* v;
    std::memcpy(&v, slot, sizeof v);
    if (v == nullptr) {
      e_.u8(static_cast<uint8_t>(PtrTag::Null));
      return;
    }
    auto p = reinterpret_cast<uintptr_t>(v);
    auto t = g_.find(p, pt->elem);
    if (!t) {
      if (auto h = external_handle(v)) {  // a stdio stream (never a block)
        e_.u8(static_cast<uint8_t>(PtrTag::Handle));
        e_.varint(*h);
        return;
      }
      if (was_freed(p)) {  // dangling (freed_blocks.h): no value to keep
        ++dangling_;
        e_.u8(static_cast<uint8_t>(PtrTag::Null));
        return;
      }
      if (pt->elem == nullptr || kind_of(pt->elem) != SNOW_K_CHAR)
        throw StateError(unregistered_target(offset, p));
      t = g_.add_string(static_cast<const char*>(v));
    }
    const Block target = g_.block(t->block);
    if (cur_block_.kind == BlockKind::FrameRecord && target.kind == BlockKind::FrameLocal &&
        g_.root(t->block).frame < g_.root(cur_).frame)
      throw migrate::NotMigratable(
          g_.describe_at(cur_, offset),
          "points into a local of an inner frame (" + std::string(g_.root(t->block).name) +
              "); only locals of the same or an outer frame can be restored");
    if (target.wire_id == 0) {
      if (target.kind == BlockKind::String) {
        e_.u8(static_cast<uint8_t>(PtrTag::NewString));
        e_.varint(target.count);
      } else {
        if (target.elem != last_type_) {
          last_type_ = target.elem;
          last_type_id_ = tw_.id_in_pointers(e_, target.elem);
        }
        uint32_t type = last_type_id_;
        e_.u8(static_cast<uint8_t>(PtrTag::NewHeap));
        e_.varint(type);
        e_.varint(target.count);
        e_.varint(target.fam);
      }
      g_.declare(t->block, static_cast<uint32_t>(++declared_), cur_, offset);
      dfs_.push_back(t->block);
    } else {
      e_.u8(static_cast<uint8_t>(PtrTag::Ref));
      e_.varint(target.wire_id - 1);
    }
    // Path: a head (depth << 2 | has element << 1 | has remainder), then
    // the parts present: a pointer to the start of a block is one byte.
    LogicalRef r = logical_ref(reg_, g_.block(t->block), t->offset, pt->elem);
    e_.varint((uint64_t{r.depth} << 2) | (r.elem != 0 ? 2u : 0u) | (r.rem != 0 ? 1u : 0u));
    if (r.elem != 0) e_.varint(r.elem);
    for (uint32_t k = 0; k < r.depth; ++k) e_.varint(r.comps[k]);
    if (r.rem != 0) e_.varint(r.rem);
  }

  // The variable (global, frame variable or heap path) that points into
  // unregistered memory, what that memory is, and where the block holding
  // the variable was allocated, when it is a heap block.
  std::string unregistered_target(size_t offset, uintptr_t target) const {
    return g_.describe_at(cur_, offset) + " points to " + hex(reinterpret_cast<void*>(target)) +
           ", which is in no registered block" + unregistered_detail(cur_block_, target);
  }

  Registry& reg_;
  bool portable_;
  FrameWriter& fw_;
  Encoder e_;
  BlockGraph g_;
  CollectStats& stats_;
  TypeWriter tw_;
  std::vector<uint32_t> dfs_;
  uint64_t declared_ = 0;
  uint32_t cur_ = 0;
  Block cur_block_{};
  std::vector<uint64_t> unions_;
  std::vector<int64_t> bits_;
  std::unordered_map<std::string, uint32_t> fn_index_;
  const snow_type* facts_type_ = nullptr;
  const TypeFacts* facts_ = nullptr;
  size_t dangling_ = 0;  // pointers to freed blocks, sent as NULL
  const snow_type* last_type_ = nullptr;  // of the last new heap block
  uint32_t last_type_id_ = 0;
};

}  // namespace

Collector::Collector(Registry& reg, std::optional<Platform> dst)
    : reg_(reg), portable_(!dst || !dst->same_layout(Platform::local())) {}

void Collector::run(ByteSink& out) {
  stats_ = {};
  FrameWriter fw(out);
  try {
    external_prepare(reg_);  // before the graph is taken: it may allocate
    Collection c(reg_, portable_, fw, stats_);
    c.run();
    fw.flush();
  } catch (const std::exception& e) {
    try {
      fw.abort(e.what());
    } catch (...) {  // the sink itself failed: nothing more to tell
    }
    throw;
  }
  stats_.stream_bytes = fw.bytes();
}

}  // namespace snow::msr
