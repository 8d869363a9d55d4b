#include "libsnowpvm/msr/block_graph.h"

#include "libsnowpvm/msr/state_error.h"

#include <algorithm>
#include <cstring>

namespace snow::msr {

HeapView heap_view(const snow_type* t, size_t size) {
  if (t == nullptr || t->size == 0 || size < t->size) return {&snow_type_uchar, size, 0, size};
  if (const snow_field* fam = flexible_member(t)) {
    size_t esz = fam->type->elem->size;
    size_t n = size > fam->offset ? (size - fam->offset) / esz : 0;
    return {t, 1, n, std::max(t->size, fam->offset + n * esz)};
  }
  ElementView v = element_view(t);
  size_t count = size / t->size * v.count;
  return {v.elem, count, 0, count * v.elem->size};
}

BlockGraph::BlockGraph(Registry& reg) : reg_(reg) {
  auto add_root = [&](void* key, const char* data, const snow_type* decl, RootInfo info) {
    ElementView v = element_view(decl);
    slots_.push_back({reinterpret_cast<uintptr_t>(key), v.elem, v.count, 0, UINT32_MAX, 0});
    info.decl = decl;
    info.data = data;
    info.bytes = decl->size;
    root_info_.push_back(info);
  };
  for (const Root& r : reg.roots())
    add_root(r.addr, static_cast<const char*>(r.addr), r.type,
             {nullptr, r.name, BlockKind::Global, nullptr, 0});
  uint32_t depth = 0;
  for (snow_stack_block* s : reg.stack_bottom_up()) {
    if (s->type == nullptr || s->addr == nullptr)
      throw StateError("a stack block has no type or address");
    validate_type(s->type);
    RootInfo info{nullptr, s->name ? s->name : "", BlockKind::Stack, nullptr, 0};
    info.depth = depth++;
    add_root(s->addr, static_cast<const char*>(s->addr), s->type, info);
  }
  auto& frames = reg.frames();
  for (uint32_t f = 0; f < frames.size(); ++f) {
    SavedFrame& fr = frames[f];
    RootInfo rec{nullptr, fr.function, BlockKind::FrameRecord, nullptr, 0};
    rec.frame = f;
    add_root(fr.record.data(), static_cast<const char*>(fr.record.data()), fr.type, rec);
    for (uint32_t k = 0; k < fr.locals.size(); ++k) {
      SavedLocal& l = fr.locals[k];
      RootInfo info{nullptr, l.name, BlockKind::FrameLocal, nullptr, 0};
      info.frame = f;
      info.local = k;
      add_root(reinterpret_cast<void*>(l.old_addr), static_cast<const char*>(l.copy.data()), l.type,
               info);
    }
  }
  slots_.reserve(slots_.size() + reg.heap().blocks());
  const snow_type* last_elem = nullptr;
  size_t last_size = SIZE_MAX;
  HeapView v{};
  reg.heap().for_each([&](const HeapBlock& h) {
    if (h.elem != last_elem || h.size != last_size) {  // blocks of one kind come in runs
      v = heap_view(h.elem, h.size);
      last_elem = h.elem;
      last_size = h.size;
    }
    if (v.fam > 0) fams_[static_cast<uint32_t>(slots_.size())] = {v.fam, v.bytes};
    slots_.push_back({reinterpret_cast<uintptr_t>(h.payload), v.elem, v.count, 0, UINT32_MAX, 0});
  });
  heap_end_ = slots_.size();
  build_index();
}

size_t BlockGraph::bytes_of(uint32_t i) const {
  if (i < root_info_.size()) return root_info_[i].bytes;
  if (i < heap_end_ && !fams_.empty())
    if (auto it = fams_.find(i); it != fams_.end()) return it->second.bytes;
  return slots_[i].count * slots_[i].elem->size;
}

Block BlockGraph::block(uint32_t i) const {
  const Slot& s = slots_[i];
  Block b{s.key,
          reinterpret_cast<const char*>(s.key),
          0,
          s.elem,
          s.count,
          0,
          s.parent_offset,
          s.parent,
          s.wire_id,
          BlockKind::Heap};
  if (i < root_info_.size()) {
    b.kind = root_info_[i].kind;
    b.data = root_info_[i].data;
    b.bytes = root_info_[i].bytes;
    return b;
  }
  if (i >= heap_end_) {
    b.kind = BlockKind::String;
    b.bytes = s.count;
    return b;
  }
  b.bytes = s.count * s.elem->size;
  if (!fams_.empty())
    if (auto it = fams_.find(i); it != fams_.end()) {
      b.fam = it->second.fam;
      b.bytes = it->second.bytes;
    }
  return b;
}

namespace {

struct KeyIndex {
  uintptr_t key;
  uint32_t index;
};

// LSD radix sort on 16-bit digits: a fragmented heap lists a million
// blocks in no particular address order, and comparison sorts through an
// index array spend their time in cache misses.  Digits equal in every
// key (the high bits of addresses) are skipped.
void radix_sort(std::vector<KeyIndex>& v) {
  std::vector<KeyIndex> tmp(v.size());
  uintptr_t all_or = 0, all_and = ~uintptr_t{0};
  for (const auto& x : v) {
    all_or |= x.key;
    all_and &= x.key;
  }
  for (unsigned shift = 0; shift < 8 * sizeof(uintptr_t); shift += 16) {
    if (((all_or ^ all_and) >> shift & 0xffff) == 0) continue;  // the same digit everywhere
    std::vector<size_t> count(1 << 16, 0);
    for (const auto& x : v) ++count[x.key >> shift & 0xffff];
    size_t sum = 0;
    for (auto& c : count) {
      size_t k = c;
      c = sum;
      sum += k;
    }
    for (const auto& x : v) tmp[count[x.key >> shift & 0xffff]++] = x;
    v.swap(tmp);
  }
}

}  // namespace

void BlockGraph::build_index() {
  std::vector<KeyIndex> sorted(slots_.size());
  for (size_t i = 0; i < slots_.size(); ++i) sorted[i] = {slots_[i].key, static_cast<uint32_t>(i)};
  // Small heap blocks come in address order, large ones oldest first.
  auto by_key = [](const KeyIndex& a, const KeyIndex& b) { return a.key < b.key; };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) {
    if (sorted.size() > 4096)
      radix_sort(sorted);
    else
      std::sort(sorted.begin(), sorted.end(), by_key);
  }
  order_.resize(sorted.size());
  keys_.resize(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    order_[i] = sorted[i].index;
    keys_[i] = sorted[i].key;
  }
  sorted.clear();
  sorted.shrink_to_fit();
  for (size_t i = 1; i < order_.size(); ++i) {
    if (keys_[i - 1] + bytes_of(order_[i - 1]) > keys_[i])
      throw StateError("memory blocks overlap: " + describe(order_[i - 1]) + " and " +
                       describe(order_[i]));
  }
  if (keys_.empty()) return;
  lo_ = keys_.front();
  uintptr_t range = keys_.back() - lo_ + 1;
  size_t want = std::min<size_t>(std::max<size_t>(keys_.size(), 1), size_t{1} << 22);
  shift_ = 0;
  while ((range >> shift_) > want) ++shift_;
  size_t nb = static_cast<size_t>(range >> shift_) + 2;
  buckets_.resize(nb + 1);
  size_t j = 0;
  for (size_t b = 0; b <= nb; ++b) {
    while (j < keys_.size() && ((keys_[j] - lo_) >> shift_) < b) ++j;
    buckets_[b] = static_cast<uint32_t>(j);
  }
}

size_t BlockGraph::floor_index(uintptr_t p) const {
  if (keys_.empty() || p < lo_) return SIZE_MAX;
  size_t b = static_cast<size_t>((p - lo_) >> shift_);
  size_t first, last;
  if (b + 1 >= buckets_.size()) {
    first = buckets_.back();
    last = keys_.size();
  } else {
    first = buckets_[b];
    last = buckets_[b + 1];
  }
  auto it = std::upper_bound(keys_.begin() + static_cast<long>(first),
                             keys_.begin() + static_cast<long>(last), p);
  size_t i = static_cast<size_t>(it - keys_.begin());
  return i == 0 ? SIZE_MAX : i - 1;
}

std::optional<Target> BlockGraph::find(uintptr_t p, const snow_type* hint) const {
  if (size_t i = floor_index(p); i != SIZE_MAX) {
    uint32_t c = order_[i];
    size_t off = p - keys_[i];
    if (off == 0 && i > 0 && hint != nullptr) {
      // p starts c and may also be one past the end of its neighbour.
      uint32_t prev = order_[i - 1];
      if (keys_[i - 1] + bytes_of(prev) == p && same_type(slots_[prev].elem, hint) &&
          !same_type(slots_[c].elem, hint))
        return Target{prev, bytes_of(prev)};
    }
    if (off <= bytes_of(c)) return Target{c, off};
  }
  if (!strings_.empty()) {
    auto s = strings_.upper_bound(p);
    if (s != strings_.begin()) {
      --s;
      // Strictly inside: the address just past a string's NUL is, as often
      // as not, the start of the next string literal (an i386 build packs
      // "lo" and "mi" back to back), and must become a string of its own.
      if (p - s->first < slots_[s->second].count) return Target{s->second, p - s->first};
    }
  }
  return std::nullopt;
}

Target BlockGraph::add_string(const char* p) {
  size_t n = std::strlen(p) + 1;
  auto idx = static_cast<uint32_t>(slots_.size());
  slots_.push_back({reinterpret_cast<uintptr_t>(p), &snow_type_char, n, 0, UINT32_MAX, 0});
  strings_[reinterpret_cast<uintptr_t>(p)] = idx;
  return {idx, 0};
}

std::string path_label(const snow_type* elem, size_t elem_count, size_t offset) {
  if (elem == nullptr || elem->size == 0) return "+" + std::to_string(offset);
  std::string out;
  size_t i = offset / elem->size;
  if (elem_count != 1 || i != 0) out += "[" + std::to_string(i) + "]";
  size_t off = offset % elem->size;
  const snow_type* t = elem;
  for (int depth = 0; depth < 64 && off < t->size; ++depth) {
    if (kind_of(t) == SNOW_K_ARRAY && t->elem->size > 0) {
      out += "[" + std::to_string(off / t->elem->size) + "]";
      off %= t->elem->size;
      t = t->elem;
    } else if (kind_of(t) == SNOW_K_STRUCT || kind_of(t) == SNOW_K_UNION) {
      const snow_field* hit = nullptr;
      for (size_t k = 0; k < t->nfields; ++k) {
        const snow_field& f = t->fields[k];
        if (f.bit_width == 0 && off >= f.offset &&
            (off < f.offset + f.type->size || f.type->size == 0)) {
          hit = &f;
          break;
        }
      }
      if (hit == nullptr) break;
      out += "." + std::string(hit->name);
      off -= hit->offset;
      t = hit->type;
    } else {
      break;
    }
  }
  if (off != 0) out += "+" + std::to_string(off);
  return out;
}

namespace {

// Frame records of pre-compiled functions are heap blocks whose type is
// named "frame UNIT:FUNCTION" (precomp's FrameTransform): their fields are
// the function's local variables.
const char* frame_function(const snow_type* t) {
  if (t == nullptr || t->name == nullptr || std::strncmp(t->name, "frame ", 6) != 0) return nullptr;
  return t->name + 6;
}

// ".c[2].x" in a frame record: the variable "c[2].x" of `fn`.
std::string local_of(const char* fn, const std::string& label) {
  std::string var = !label.empty() && label[0] == '.' ? label.substr(1) : label;
  return "local variable '" + var + "' of " + fn + "()";
}

}  // namespace

std::string BlockGraph::describe(uint32_t i) const {
  if (i < root_info_.size()) {
    const RootInfo& r = root_info_[i];
    return r.kind == BlockKind::FrameRecord ? "frame of " + std::string(r.name)
                                            : std::string(r.name);
  }
  // A C expression that reaches the block: "(*(*tree).left)".  A path
  // through a frame record starts at that function's local variable.
  std::string what = i >= heap_end_ ? "string" : "heap block of " + type_name(slots_[i].elem);
  if (slots_[i].parent == UINT32_MAX) return what;
  uint32_t cur = i;
  int hops = 0;
  std::vector<std::string> steps;
  const char* fn = nullptr;
  while (slots_[cur].parent != UINT32_MAX && hops < 8) {
    const Slot& c = slots_[cur];
    const Slot& p = slots_[c.parent];
    steps.push_back(path_label(p.elem, p.count, c.parent_offset));
    cur = c.parent;
    ++hops;
    if ((fn = frame_function(p.elem))) break;
  }
  std::string expr;
  if (fn) {
    std::string var = steps.back();
    steps.pop_back();
    std::string name = !var.empty() && var[0] == '.' ? var.substr(1) : var;
    expr = name;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) expr = "(*" + expr + *it + ")";
    return expr + " (" + local_of(fn, var) + ")";
  }
  expr = slots_[cur].parent == UINT32_MAX ? describe(cur) : "(" + what + ")";
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) expr = "(*" + expr + *it + ")";
  return expr;
}

std::string BlockGraph::describe_at(uint32_t i, size_t offset) const {
  const Slot& b = slots_[i];
  if (const char* fn = frame_function(b.elem)) return local_of(fn, path_label(b.elem, b.count, offset));
  std::string base = describe(i);
  // "p (local variable 'p' of f())" + ".next": keep the variable's note last.
  auto note = base.rfind(" (local variable '");
  if (note != std::string::npos && base.back() == ')')
    return "(*" + base.substr(0, note) + ")" + path_label(b.elem, b.count, offset) + base.substr(note);
  return base + path_label(b.elem, b.count, offset);
}

}  // namespace snow::msr
