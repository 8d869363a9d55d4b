#include "libsnowpvm/msr/block_graph.h"

#include "libsnowpvm/msr/state_error.h"

#include <algorithm>
#include <cstring>
#include <numeric>

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
  for (const Root& r : reg.roots()) {
    ElementView v = element_view(r.type);
    add({BlockKind::Global, reinterpret_cast<uintptr_t>(r.addr), static_cast<const char*>(r.addr), r.type->size,
         r.type, v.elem, v.count, 0, r.name});
  }
  uint32_t depth = 0;
  for (snow_stack_block* s : reg.stack_bottom_up()) {
    if (s->type == nullptr || s->addr == nullptr) throw StateError("a stack block has no type or address");
    validate_type(s->type);
    ElementView v = element_view(s->type);
    Block b{BlockKind::Stack, reinterpret_cast<uintptr_t>(s->addr), static_cast<const char*>(s->addr),
            s->type->size, s->type, v.elem, v.count, 0, s->name ? s->name : ""};
    b.depth = depth++;
    add(b);
  }
  auto& frames = reg.frames();
  for (uint32_t f = 0; f < frames.size(); ++f) {
    SavedFrame& fr = frames[f];
    ElementView v = element_view(fr.type);
    Block rec{BlockKind::FrameRecord, reinterpret_cast<uintptr_t>(fr.record.data()),
              static_cast<const char*>(fr.record.data()), fr.type->size, fr.type, v.elem, v.count, 0, fr.function};
    rec.frame = f;
    add(rec);
    for (uint32_t k = 0; k < fr.locals.size(); ++k) {
      SavedLocal& l = fr.locals[k];
      ElementView lv = element_view(l.type);
      Block b{BlockKind::FrameLocal, l.old_addr, static_cast<const char*>(l.copy.data()), l.type->size, l.type,
              lv.elem, lv.count, 0, l.name};
      b.frame = f;
      b.local = k;
      add(b);
    }
  }
  roots_ = blocks_.size();
  blocks_.reserve(roots_ + reg.heap().blocks());
  for (HeapHeader* h = reg.heap().first(); h != reg.heap().end(); h = h->next) {
    HeapView v = heap_view(h->elem, h->size);
    add({BlockKind::Heap, reinterpret_cast<uintptr_t>(payload_of(h)), static_cast<const char*>(payload_of(h)),
         v.bytes, h->elem ? h->elem : &snow_type_uchar, v.elem, v.count, v.fam, {}});
  }
  // Address index.  Heap blocks come oldest first, which is nearly sorted.
  order_.resize(blocks_.size());
  std::iota(order_.begin(), order_.end(), 0u);
  auto by_key = [&](uint32_t a, uint32_t b) { return blocks_[a].key < blocks_[b].key; };
  if (!std::is_sorted(order_.begin(), order_.end(), by_key)) std::sort(order_.begin(), order_.end(), by_key);
  keys_.resize(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) keys_[i] = blocks_[order_[i]].key;
  for (size_t i = 1; i < order_.size(); ++i) {
    const Block& a = blocks_[order_[i - 1]];
    const Block& b = blocks_[order_[i]];
    if (a.key + a.bytes > b.key)
      throw StateError("memory blocks overlap: " + describe(order_[i - 1]) + " and " + describe(order_[i]));
  }
}

std::optional<Target> BlockGraph::find(uintptr_t p, const snow_type* hint) const {
  auto it = std::upper_bound(keys_.begin(), keys_.end(), p);
  if (it != keys_.begin()) {
    size_t i = static_cast<size_t>(it - keys_.begin()) - 1;
    const Block& c = blocks_[order_[i]];
    size_t off = p - c.key;
    if (off == 0 && i > 0 && hint != nullptr) {
      // p starts c and may also be one past the end of its neighbour.
      const Block& prev = blocks_[order_[i - 1]];
      if (prev.key + prev.bytes == p && prev.elem && same_type(prev.elem, hint) && !same_type(c.elem, hint))
        return Target{order_[i - 1], prev.bytes};
    }
    if (off <= c.bytes) return Target{order_[i], off};
  }
  if (!strings_.empty()) {
    auto s = strings_.upper_bound(p);
    if (s != strings_.begin()) {
      --s;
      const Block& b = blocks_[s->second];
      if (p - b.key <= b.bytes) return Target{s->second, p - b.key};
    }
  }
  return std::nullopt;
}

Target BlockGraph::add_string(const char* p) {
  size_t n = std::strlen(p) + 1;
  auto idx = static_cast<uint32_t>(blocks_.size());
  add({BlockKind::String, reinterpret_cast<uintptr_t>(p), p, n, &snow_type_char, &snow_type_char, n, 0, {}});
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
        if (f.bit_width == 0 && off >= f.offset && (off < f.offset + f.type->size || f.type->size == 0)) {
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

std::string BlockGraph::describe(uint32_t i) const {
  const Block& b = blocks_[i];
  switch (b.kind) {
    case BlockKind::Global:
      return std::string(b.name);
    case BlockKind::Stack:
      return std::string(b.name);
    case BlockKind::FrameRecord:
      return "frame of " + std::string(b.name);
    case BlockKind::FrameLocal:
      return std::string(b.name);
    case BlockKind::String:
    case BlockKind::Heap:
      break;
  }
  // A C expression that reaches the block: "(*(*tree).left)".
  std::string what = b.kind == BlockKind::String ? "string" : "heap block of " + type_name(b.elem);
  if (b.parent == UINT32_MAX) return what;
  std::string expr;
  uint32_t cur = i;
  int hops = 0;
  std::vector<std::string> steps;
  while (blocks_[cur].parent != UINT32_MAX && hops < 8) {
    const Block& c = blocks_[cur];
    const Block& p = blocks_[c.parent];
    steps.push_back(path_label(p.elem, p.count, c.parent_offset));
    cur = c.parent;
    ++hops;
  }
  expr = blocks_[cur].parent == UINT32_MAX ? describe(cur) : "(" + what + ")";
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) expr = "(*" + expr + *it + ")";
  return expr;
}

std::string BlockGraph::describe_at(uint32_t i, size_t offset) const {
  const Block& b = blocks_[i];
  return describe(i) + path_label(b.elem, b.count, offset);
}

}  // namespace snow::msr
