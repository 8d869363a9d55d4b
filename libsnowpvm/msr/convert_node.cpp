#include "libsnowpvm/msr/convert_node.h"

#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/msr/type_info.h"

#include <deque>
#include <tuple>

namespace snow::msr {
namespace {

const snow_type snow_type_funcptr_native = {SNOW_K_FUNCPTR,
                                            "function pointer",
                                            sizeof(void (*)()),
                                            alignof(void (*)()),
                                            0,
                                            nullptr,
                                            0,
                                            0,
                                            nullptr,
                                            nullptr};

const snow_type* builtin(std::string_view name) {
  static const snow_type* const all[] = {
      &snow_type_bool,   &snow_type_char,    &snow_type_schar,   &snow_type_uchar,
      &snow_type_short,  &snow_type_ushort,  &snow_type_int,     &snow_type_uint,
      &snow_type_long,   &snow_type_ulong,   &snow_type_llong,   &snow_type_ullong,
      &snow_type_float,  &snow_type_double,  &snow_type_ldouble, &snow_type_int8,
      &snow_type_uint8,  &snow_type_int16,   &snow_type_uint16,  &snow_type_int32,
      &snow_type_uint32, &snow_type_int64,   &snow_type_uint64,  &snow_type_size,
      &snow_type_ssize,  &snow_type_ptrdiff, &snow_type_intptr,  &snow_type_uintptr};
  for (const snow_type* t : all)
    if (name == t->name) return t;
  return nullptr;
}

// Scalar descriptors for names this program never spelled (e.g. an enum or
// a typedef only the source registered), kept for the process.
const snow_type* synthesize(uint8_t kind, const std::string& name, size_t size, bool is_signed) {
  static std::map<std::tuple<uint8_t, std::string, size_t, bool>, const snow_type*> made;
  static std::deque<snow_type> storage;
  static std::deque<std::string> names;
  auto key = std::make_tuple(kind, name, size, is_signed);
  if (auto it = made.find(key); it != made.end()) return it->second;
  names.push_back(name);
  storage.push_back(snow_type{kind, names.back().c_str(), size, size, is_signed ? 1 : 0, nullptr, 0,
                              0, nullptr, nullptr});
  return made[key] = &storage.back();
}

bool int_kind(unsigned k) { return k == SNOW_K_INT || k == SNOW_K_ENUM; }

}  // namespace

std::string Where::text() const {
  std::string s;
  for (const Where* w = this; w != nullptr; w = w->up) {
    if (w->up == nullptr && w->field == nullptr)
      s.insert(0, "heap block " + std::to_string(w->index) + " (" + type_name(w->type) + ")");
    else if (w->field != nullptr)
      s.insert(0, w->up == nullptr ? std::string(w->field) : "." + std::string(w->field));
    else
      s.insert(0, "[" + std::to_string(w->index) + "]");
  }
  return s;
}

void NodeBuilder::mismatch(uint32_t wire, const snow_type* native, const std::string& why) const {
  throw StateError("the source's " + wire_type_name(types_, wire) +
                   " does not match this program's " + type_name(native) + ": " + why);
}

const snow_type* NodeBuilder::native_for(uint32_t wire) {
  if (wire >= types_.size())
    throw StateError("corrupt state stream: type " + std::to_string(wire) + " is not described");
  if (auto it = natives_.find(wire); it != natives_.end()) return it->second;
  const WireType& w = types_[wire];
  const snow_type* n = nullptr;
  switch (w.kind) {
    case SNOW_K_STRUCT:
    case SNOW_K_UNION:
      n = TypeCatalog::instance().find(w.name);
      if (n == nullptr)
        throw StateError("the source's type '" + w.name +
                         "' is not known to this program (generated code registers its "
                         "types with snow_register_types)");
      break;
    case SNOW_K_ENUM:
      n = TypeCatalog::instance().find(w.name);
      if (n == nullptr) n = synthesize(SNOW_K_ENUM, w.name, sizeof(int), w.is_signed);
      break;
    case SNOW_K_ARRAY:
      n = snow_array_of(native_for(w.elem), w.count);
      break;
    case SNOW_K_POINTER:
      n = &snow_type_voidptr;
      break;
    case SNOW_K_FUNCPTR:
      n = &snow_type_funcptr_native;
      break;
    case SNOW_K_FLOAT:
      n = w.digits == 24   ? &snow_type_float
          : w.digits == 53 ? &snow_type_double
                           : &snow_type_ldouble;
      break;
    default: {  // BOOL, INT, CHAR: by the C spelling
      n = builtin(w.name);
      if (n == nullptr) n = TypeCatalog::instance().find(w.name);
      if (n == nullptr) {
        snow_type probe{
            w.kind,  w.name.c_str(), static_cast<size_t>(w.size), 0, w.is_signed, nullptr, 0, 0,
            nullptr, nullptr};
        size_t here = int_size_on(Platform::local(), &probe);
        n = synthesize(w.kind, w.name, here != 0 ? here : static_cast<size_t>(w.size), w.is_signed);
      }
      break;
    }
  }
  return natives_[wire] = n;
}

const Node* NodeBuilder::node(uint32_t wire, const snow_type* native) {
  if (wire >= types_.size())
    throw StateError("corrupt state stream: type " + std::to_string(wire) + " is not described");
  auto key = std::make_pair(wire, native);
  if (auto it = nodes_.find(key); it != nodes_.end()) return it->second.get();
  auto n = build(wire, native);
  return (nodes_[key] = std::move(n)).get();
}

std::unique_ptr<Node> NodeBuilder::build(uint32_t wire, const snow_type* native) {
  const WireType& w = types_[wire];
  auto n = std::make_unique<Node>();
  n->wire = wire;
  n->native = native;
  n->src_size = w.size;
  n->dst_size = native->size;
  unsigned nk = native->kind;
  switch (w.kind) {
    case SNOW_K_INT:
    case SNOW_K_ENUM:
      if (!int_kind(nk)) mismatch(wire, native, "an integer there, not here");
      n->kind = Node::Kind::Int;
      n->src_signed = w.is_signed;
      n->dst_signed = native->is_signed != 0;
      n->identical =
          w.size == native->size && n->src_signed == n->dst_signed && (same_order_ || w.size == 1);
      break;
    case SNOW_K_CHAR:
      if (nk != SNOW_K_CHAR || native->size != 1 || w.size != 1)
        mismatch(wire, native, "a plain char there, not here");
      n->kind = Node::Kind::Char;
      n->identical = true;
      break;
    case SNOW_K_BOOL:
      if (nk != SNOW_K_BOOL) mismatch(wire, native, "a _Bool there, not here");
      n->kind = Node::Kind::Bool;
      n->identical = w.size == native->size && (same_order_ || w.size == 1);
      break;
    case SNOW_K_FLOAT: {
      if (nk != SNOW_K_FLOAT) mismatch(wire, native, "a floating type there, not here");
      auto from = float_format(w.digits), to = float_format(float_digits_native(native));
      if (!from || !to) mismatch(wire, native, "floating formats with no conversion");
      n->kind = Node::Kind::Float;
      n->ffrom = *from;
      n->fto = *to;
      n->identical = *from == *to && w.size == native->size && same_order_;
      break;
    }
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      if (nk != w.kind) mismatch(wire, native, "a different kind of pointer");
      n->kind = w.kind == SNOW_K_POINTER ? Node::Kind::Pointer : Node::Kind::FuncPtr;
      n->identical = w.size == native->size;
      n->has_pointers = true;
      n->static_ptrs = true;
      n->ptr_slots.push_back({0, w.kind == SNOW_K_FUNCPTR});
      break;
    case SNOW_K_ARRAY: {
      if (nk != SNOW_K_ARRAY || native->count != w.count)
        mismatch(wire, native,
                 "arrays of different lengths (" + std::to_string(w.count) + " there)");
      n->kind = Node::Kind::Array;
      n->count = w.count;
      n->elem = node(w.elem, native->elem);
      n->identical = n->elem->identical && n->elem->src_size == n->elem->dst_size;
      n->has_pointers = n->elem->has_pointers;
      n->has_unions = n->elem->has_unions;
      n->has_bitfields = n->elem->has_bitfields;
      n->has_fam = w.count == 0;
      n->static_ptrs =
          w.count > 0 && n->elem->static_ptrs && n->elem->ptr_slots.size() * w.count <= (1u << 16);
      if (n->static_ptrs)
        for (uint64_t i = 0; i < w.count; ++i)
          for (auto [off, fn] : n->elem->ptr_slots)
            n->ptr_slots.push_back({i * n->elem->dst_size + off, fn});
      break;
    }
    case SNOW_K_STRUCT:
    case SNOW_K_UNION: {
      if (nk != w.kind)
        mismatch(wire, native, w.kind == SNOW_K_STRUCT ? "a struct there" : "a union there");
      if (native->nfields != w.fields.size())
        mismatch(wire, native,
                 std::to_string(w.fields.size()) + " fields there, " +
                     std::to_string(native->nfields) + " here");
      // Layouts differ by the widths of long, pointers and long double and
      // by alignment: at most a few times the size.  A source type much
      // larger than ours is not the same type (and would make a restore
      // stage gigabytes for one element).
      if (w.size > 4 * static_cast<uint64_t>(native->size) + 64)
        mismatch(wire, native, std::to_string(w.size) + " bytes there, " + std::to_string(native->size) + " here");
      n->kind = w.kind == SNOW_K_STRUCT ? Node::Kind::Struct : Node::Kind::Union;
      bool identical = same_platform_ && w.size == native->size;
      bool static_ptrs = w.kind == SNOW_K_STRUCT;
      for (const WireField& f : w.fields) {
        size_t k = 0;
        while (k < native->nfields && f.name != native->fields[k].name) ++k;
        if (k == native->nfields) mismatch(wire, native, "field " + f.name + " is missing here");
        const snow_field& nf = native->fields[k];
        if ((f.bit_width > 0) != (nf.bit_width > 0))
          mismatch(wire, native, "field " + f.name + " is a bit-field on one side only");
        Node::Member m{nullptr, f.offset, nf.offset, f.bit_width, types_[f.type].is_signed,
                       &nf,     k,        f.name,    false};
        if (f.bit_width > 0) {
          if (!is_integer_like(nf.type))
            mismatch(wire, native, "bit-field " + f.name + " is not an integer here");
          n->has_bitfields = true;
          identical = identical && nf.bit_width == f.bit_width;
        } else {
          m.node = node(f.type, nf.type);
          m.fam = m.node->kind == Node::Kind::Array && m.node->count == 0;
          identical = identical && m.node->identical && f.offset == nf.offset &&
                      m.node->src_size == m.node->dst_size;
          n->has_pointers |= m.node->has_pointers;
          n->has_unions |= m.node->has_unions;
          n->has_bitfields |= m.node->has_bitfields;
          n->has_fam |= m.fam;
          if (m.node->has_pointers) {
            static_ptrs = static_ptrs && m.node->static_ptrs && !m.fam;
            if (static_ptrs)
              for (auto [off, fn] : m.node->ptr_slots)
                n->ptr_slots.push_back({nf.offset + off, fn});
          }
        }
        n->members.push_back(std::move(m));
      }
      if (n->kind == Node::Kind::Union) {
        n->has_unions = true;
        static_ptrs = !n->has_pointers;
      }
      n->identical = identical;
      n->static_ptrs = static_ptrs && n->ptr_slots.size() <= (1u << 16);
      if (!n->static_ptrs) n->ptr_slots.clear();
      break;
    }
    default:
      mismatch(wire, native, "unknown kind");
  }
  return n;
}

}  // namespace snow::msr
