#include "libsnowpvm/msr/registry.h"

#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/msr/type_info.h"

#include <algorithm>
#include <cstring>

// The C API's stack of stack blocks (snowpvm_msr.h, declared extern "C").
snow_stack_block* snow_stack_top = nullptr;

namespace snow::msr {

AlignedBuffer::AlignedBuffer(size_t size) : size_(size) {
  constexpr size_t a = alignof(std::max_align_t);
  size_t rounded = (std::max<size_t>(size, 1) + a - 1) / a * a;
  p_.reset(std::aligned_alloc(a, rounded));
  if (!p_) throw StateError("out of memory for a " + std::to_string(size) + "-byte block");
}

Registry::Registry() : stack_top_(&own_top_) {}

Registry::Registry(ProcessTag) : stack_top_(&::snow_stack_top) { heap_.keep_blocks_at_exit(); }

Registry::~Registry() = default;

Registry& Registry::process() {
  static Registry r{ProcessTag{}};
  return r;
}

void Registry::track(void* addr, const snow_type* type, const std::string& name) {
  if (addr == nullptr) throw StateError("snow_track(" + name + "): NULL address");
  if (name.empty())
    throw StateError("snow_track: a root needs a name (it is how the destination finds it)");
  validate_type(type);
  if (type->size == 0)
    throw StateError("snow_track(" + name + "): type " + type_name(type) + " has size 0");
  auto lo = reinterpret_cast<uintptr_t>(addr), hi = lo + type->size;
  for (const auto& r : roots_) {
    if (r.name == name)
      throw StateError("snow_track(" + name + "): a root of that name is already tracked");
    auto rlo = reinterpret_cast<uintptr_t>(r.addr), rhi = rlo + r.type->size;
    if (lo < rhi && rlo < hi)
      throw StateError("snow_track(" + name + "): overlaps the tracked root " + r.name);
  }
  TypeCatalog::instance().add(type);
  roots_.push_back({addr, type, name});
}

bool Registry::untrack(void* addr) {
  auto it =
      std::find_if(roots_.begin(), roots_.end(), [&](const Root& r) { return r.addr == addr; });
  if (it == roots_.end()) return false;
  roots_.erase(it);
  return true;
}

const Root* Registry::find_root(const std::string& name) const {
  for (const auto& r : roots_)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<snow_stack_block*> Registry::stack_bottom_up() const {
  std::vector<snow_stack_block*> v;
  for (snow_stack_block* b = *stack_top_; b != nullptr; b = b->below) v.push_back(b);
  std::reverse(v.begin(), v.end());
  return v;
}

void Registry::set_union_active(const void* u, int member) {
  unions_[reinterpret_cast<uintptr_t>(u)] = member;
}

int Registry::union_active(const void* u) const {
  auto it = unions_.find(reinterpret_cast<uintptr_t>(u));
  return it == unions_.end() ? -1 : it->second;
}

void Registry::forget_unions(const void* from, size_t size) {
  if (unions_.empty()) return;
  auto lo = reinterpret_cast<uintptr_t>(from);
  unions_.erase(unions_.lower_bound(lo), unions_.lower_bound(lo + size));
}

void Registry::move_unions(const void* from, size_t size, const void* to, size_t keep) {
  if (unions_.empty() || from == to) return;
  auto lo = reinterpret_cast<uintptr_t>(from), nlo = reinterpret_cast<uintptr_t>(to);
  auto first = unions_.lower_bound(lo), last = unions_.lower_bound(lo + size);
  std::vector<std::pair<uintptr_t, int>> moved;
  for (auto it = first; it != last; ++it)
    if (it->first - lo < keep) moved.emplace_back(it->first - lo, it->second);
  unions_.erase(first, last);
  for (const auto& [off, member] : moved) unions_[nlo + off] = member;
}

void Registry::discard_state() {
  heap_.release_all();
  unions_.clear();
  frames_.clear();
  fixups_.clear();
  resumed_ = 0;
}

// ------------------------------------------------------------------ frames

void Registry::save_frame(const void* record, const snow_type* type, const std::string& function,
                          unsigned nstack) {
  if (record == nullptr && type->size > 0)
    throw StateError("snow_frame_save(" + function + "): NULL record");
  if (resumed_ != 0)
    throw StateError("snow_frame_save(" + function + "): frames are still being resumed");
  validate_type(type);
  TypeCatalog::instance().add(type);
  SavedFrame f{function, type, AlignedBuffer(type->size), {}};
  if (type->size > 0) std::memcpy(f.record.data(), record, type->size);
  std::vector<snow_stack_block*> taken;
  snow_stack_block* b = stack_top();
  for (unsigned k = 0; k < nstack; ++k, b = b->below) {
    if (b == nullptr)
      throw StateError("snow_frame_save(" + function + "): " + std::to_string(nstack) +
                       " stack blocks asked for, only " + std::to_string(k) + " pushed");
    taken.push_back(b);
  }
  std::reverse(taken.begin(), taken.end());
  for (snow_stack_block* s : taken) {
    validate_type(s->type);
    SavedLocal l{s->name ? s->name : "", s->type, reinterpret_cast<uintptr_t>(s->addr),
                 AlignedBuffer(s->type->size)};
    std::memcpy(l.copy.data(), s->addr, s->type->size);
    f.locals.push_back(std::move(l));
  }
  stack_top() = b;
  frames_.push_back(std::move(f));
}

uintptr_t Registry::holder_base(const FrameFixup& f) const {
  switch (f.holder) {
    case FrameFixup::Holder::Absolute:
      return f.holder_addr;
    case FrameFixup::Holder::Record: {
      const SavedFrame& fr = frames_[f.holder_frame];
      return reinterpret_cast<uintptr_t>(fr.record_live ? fr.record_live : fr.record.data());
    }
    case FrameFixup::Holder::Local: {
      const SavedLocal& l = frames_[f.holder_frame].locals[f.holder_local];
      return reinterpret_cast<uintptr_t>(l.live ? l.live : l.copy.data());
    }
  }
  return 0;
}

void Registry::apply_fixups_into(uint32_t frame) {
  for (const FrameFixup& f : fixups_) {
    if (f.target_frame != frame) continue;
    const SavedLocal& t = frames_[f.target_frame].locals[f.target_local];
    void* value = static_cast<char*>(t.live) + f.target_offset;
    std::memcpy(reinterpret_cast<void*>(holder_base(f) + f.holder_offset), &value, sizeof value);
  }
}

void Registry::resume_frame(void* record, const snow_type* type, const std::string& function,
                            unsigned nstack) {
  if (frames_pending() == 0)
    throw StateError("snow_frame_resume(" + function + "): no saved frame is waiting");
  auto index = static_cast<uint32_t>(frames_.size() - 1 - resumed_);
  SavedFrame& f = frames_[index];
  if (f.function != function)
    throw StateError("snow_frame_resume(" + function + "): the next saved frame belongs to " +
                     f.function);
  if (!same_type(f.type, type))
    throw StateError("snow_frame_resume(" + function + "): record type " + type_name(type) +
                     " differs from the saved " + type_name(f.type));
  if (nstack != f.locals.size())
    throw StateError("snow_frame_resume(" + function + "): " + std::to_string(nstack) +
                     " stack blocks, but the frame saved " + std::to_string(f.locals.size()));
  std::vector<snow_stack_block*> live;
  snow_stack_block* b = stack_top();
  for (unsigned k = 0; k < nstack; ++k, b = b->below) {
    if (b == nullptr)
      throw StateError("snow_frame_resume(" + function + "): stack blocks not pushed");
    live.push_back(b);
  }
  std::reverse(live.begin(), live.end());
  for (size_t k = 0; k < live.size(); ++k) {
    const SavedLocal& l = f.locals[k];
    if (l.name != (live[k]->name ? live[k]->name : "") || live[k]->type->size != l.type->size)
      throw StateError("snow_frame_resume(" + function + "): stack block " + std::to_string(k) +
                       " is " + (live[k]->name ? live[k]->name : "?") + ", the frame saved " +
                       l.name);
  }
  if (type->size > 0) std::memcpy(record, f.record.data(), type->size);
  move_unions(f.record.data(), type->size, record, type->size);
  f.record_live = record;
  for (size_t k = 0; k < live.size(); ++k) {
    size_t size = f.locals[k].type->size;
    std::memcpy(live[k]->addr, f.locals[k].copy.data(), size);
    move_unions(f.locals[k].copy.data(), size, live[k]->addr, size);
    f.locals[k].live = live[k]->addr;
  }
  apply_fixups_into(index);
  if (++resumed_ == frames_.size()) {
    frames_.clear();
    fixups_.clear();
    resumed_ = 0;
  }
}

}  // namespace snow::msr
