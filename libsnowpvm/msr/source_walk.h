// Walking the inside of a block on the source side, in the one order the
// stream uses everywhere: elements in order, fields in declaration order,
// array elements in order, and of a union only its active member.
#pragma once

#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/logical_pointer.h"
#include "libsnowpvm/msr/state_error.h"

namespace snow::msr {

// Visitor interface (duck-typed):
//   void pointer(size_t offset, const snow_type* ptr_type);   // POINTER/FUNCPTR slot
//   void union_member(size_t offset, const snow_type* u, int member);  // -1: unknown
//   [[noreturn]] void union_unknown(size_t offset, const snow_type* u); // holds pointers
//   void bitfield(size_t offset, const snow_field& f);         // obj at offset
//   void scalar(size_t offset, const snow_type* t);            // INT/ENUM/FLOAT (if wanted)
//   bool wants_scalars_in(const snow_type* t);                 // prune subtrees
// `want` selects which subtrees to enter.
struct WalkWant {
  bool pointers = false;
  bool unions = false;  // report union_member for every union met
  bool bitfields = false;
  bool scalars = false;  // report INT/ENUM/FLOAT (preflight)
};

template <typename V>
class SourceWalk {
 public:
  SourceWalk(const Registry& reg, const Block& b, WalkWant want, V& v)
      : reg_(reg), b_(b), want_(want), v_(v) {}

  void element(size_t base) { walk(b_.elem, base, b_.fam); }

  void block() {
    size_t esz = b_.elem->size;
    for (size_t i = 0; i < b_.count; ++i) element(i * esz);
  }

 private:
  bool interesting(const snow_type* t) const {
    if (want_.scalars && v_.wants_scalars_in(t)) return true;
    const TypeFacts& f = facts(t);
    return (want_.pointers && f.has_pointers) || (want_.unions && f.has_unions) ||
           (want_.bitfields && f.has_bitfields);
  }

  void walk(const snow_type* t, size_t base, size_t fam_n) {
    switch (kind_of(t)) {
      case SNOW_K_POINTER:
      case SNOW_K_FUNCPTR:
        if (want_.pointers) v_.pointer(base, t);
        return;
      case SNOW_K_INT:
      case SNOW_K_ENUM:
      case SNOW_K_FLOAT:
        if (want_.scalars) v_.scalar(base, t);
        return;
      case SNOW_K_ARRAY: {
        if (!interesting(t->elem)) return;
        size_t n = t->count != 0 ? t->count : fam_n;
        for (size_t i = 0; i < n; ++i) walk(t->elem, base + i * t->elem->size, 0);
        return;
      }
      case SNOW_K_STRUCT:
        for (size_t k = 0; k < t->nfields; ++k) {
          const snow_field& f = t->fields[k];
          if (f.bit_width > 0) {
            if (want_.bitfields) v_.bitfield(base, f);
            continue;
          }
          if (!interesting(f.type)) continue;
          bool fam = kind_of(f.type) == SNOW_K_ARRAY && f.type->count == 0;
          walk(f.type, base + f.offset, fam ? fam_n : 0);
        }
        return;
      case SNOW_K_UNION: {
        if (!interesting(t)) return;
        int m = active_member(reg_, t, b_.data + base, b_.key + base);
        if (want_.unions) v_.union_member(base, t, m);
        if (m < 0) {
          // Its pointers cannot be found: the visitor refuses (throws).
          if (want_.pointers && facts(t).has_pointers) v_.union_unknown(base, t);
          return;
        }
        walk(t->fields[m].type, base, 0);
        return;
      }
      default:
        return;
    }
  }

  const Registry& reg_;
  const Block& b_;
  WalkWant want_;
  V& v_;
};

}  // namespace snow::msr
