#include "libsnowpvm/msr/logical_pointer.h"

#include "libsnowpvm/msr/state_error.h"

namespace snow::msr {
namespace {

// Does an object of type t start with an object of type h?
bool starts_with(const snow_type* t, const snow_type* h, int depth = 0) {
  if (h == nullptr || same_type(t, h)) return true;
  if (depth > 64) return false;
  switch (kind_of(t)) {
    case SNOW_K_ARRAY:
      return starts_with(t->elem, h, depth + 1);
    case SNOW_K_STRUCT:
      for (size_t i = 0; i < t->nfields; ++i)
        if (t->fields[i].bit_width == 0 && t->fields[i].offset == 0)
          return starts_with(t->fields[i].type, h, depth + 1);
      return false;
    case SNOW_K_UNION:
      for (size_t i = 0; i < t->nfields; ++i)
        if (t->fields[i].bit_width == 0 && starts_with(t->fields[i].type, h, depth + 1))
          return true;
      return false;
    default:
      return false;
  }
}

}  // namespace

int active_member(const Registry& reg, const snow_type* u, const void* data, uintptr_t key) {
  int m = u->union_active != nullptr ? u->union_active(data)
                                     : reg.union_active(reinterpret_cast<const void*>(key));
  return m >= 0 && static_cast<size_t>(m) < u->nfields && u->fields[m].bit_width == 0 ? m : -1;
}

LogicalRef logical_ref(const Registry& reg, const Block& b, size_t offset, const snow_type* hint) {
  LogicalRef r;
  const snow_type* t = b.elem;
  size_t esz = t->size;
  if (esz == 0) {
    r.rem = offset;
    return r;
  }
  size_t off = offset;
  if (b.fam == 0) {
    r.elem = offset / esz;
    off = offset % esz;
    if (r.elem >= b.count) {  // one past the end of the block
      r.elem = b.count;
      r.rem = offset - b.count * esz;
      return r;
    }
  }
  size_t base = static_cast<size_t>(r.elem) * esz;  // of the current object, from the block start
  size_t fam_n = b.fam;
  auto push = [&](uint64_t c) {
    if (r.depth == kPathMax)
      throw StateError("a pointer path is deeper than " + std::to_string(kPathMax) + " levels");
    r.comps[r.depth++] = c;
  };
  for (;;) {
    if (off == 0 && (hint == nullptr || same_type(t, hint))) return r;
    switch (kind_of(t)) {
      case SNOW_K_ARRAY: {
        size_t count = t->count != 0 ? t->count : fam_n;
        fam_n = 0;
        size_t es = t->elem->size;
        size_t i = off / es, rest = off % es;
        push(i);
        if (i >= count) {  // one past the end of this array
          r.rem = off - count * es;
          r.comps[r.depth - 1] = count;
          return r;
        }
        base += i * es;
        off = rest;
        t = t->elem;
        continue;
      }
      case SNOW_K_STRUCT: {
        const snow_field* hit = nullptr;
        size_t hit_index = 0;
        for (size_t k = 0; k < t->nfields; ++k) {
          const snow_field& f = t->fields[k];
          if (f.bit_width > 0 || off < f.offset) continue;
          bool fam = kind_of(f.type) == SNOW_K_ARRAY && f.type->count == 0;
          size_t size = fam ? fam_n * f.type->elem->size : f.type->size;
          if (off < f.offset + size) {
            hit = &f;
            hit_index = k;
            break;
          }
        }
        if (hint != nullptr &&
            (hit == nullptr || (off == hit->offset && !starts_with(hit->type, hint)))) {
          // One past the end of an array field, if the pointer's type says so.
          for (size_t k = 0; k < t->nfields; ++k) {
            const snow_field& f = t->fields[k];
            if (f.bit_width == 0 && kind_of(f.type) == SNOW_K_ARRAY && f.type->count > 0 &&
                f.offset + f.type->size == off && same_type(f.type->elem, hint)) {
              push(k);
              push(f.type->count);
              return r;
            }
          }
        }
        if (hit == nullptr) {  // padding, or the end of a nested struct
          r.rem = off;
          return r;
        }
        push(hit_index);
        base += hit->offset;
        off -= hit->offset;
        t = hit->type;
        continue;
      }
      case SNOW_K_UNION: {
        int m = active_member(reg, t, b.data + base, b.key + base);
        if (m < 0) {
          m = 0;
          for (size_t k = 0; k < t->nfields; ++k)
            if (t->fields[k].bit_width == 0 && off < t->fields[k].type->size &&
                (off > 0 || starts_with(t->fields[k].type, hint))) {
              m = static_cast<int>(k);
              break;
            }
        }
        const snow_field& f = t->fields[m];
        if (f.bit_width > 0 || off >= f.type->size) {
          r.rem = off;
          return r;
        }
        push(static_cast<uint64_t>(m));
        t = f.type;
        continue;
      }
      default:  // a scalar: the pointer is at it (of another type) or inside it
        r.rem = off;
        return r;
    }
  }
}

}  // namespace snow::msr
