#include "libsnowpvm/msr/wire.h"

#include "libsnowpvm/msr/type_info.h"

#include <algorithm>

namespace snow::msr {

// ------------------------------------------------------------------ decoder

uint64_t Decoder::bounded(uint64_t max, const char* what) {
  uint64_t v = varint();
  if (v > max)
    throw StateError(std::string("corrupt state stream: ") + what + " " + std::to_string(v) +
                     " exceeds " + std::to_string(max));
  return v;
}

std::string Decoder::string(size_t max) {
  size_t n = bounded(max, "string length");
  std::string s(n, '\0');
  bytes(s.data(), n);
  return s;
}

void Decoder::bytes(void* p, size_t n) {
  auto* q = static_cast<uint8_t*>(p);
  while (n > 0) {
    size_t k = r_.read_some(q, n);
    if (k == 0)
      throw StateError("truncated state stream: it ends inside a record (after " +
                       std::to_string(r_.bytes()) + " bytes)");
    q += k;
    n -= k;
  }
}

// ------------------------------------------------------------------ types out

uint32_t TypeWriter::id(Encoder& e, const snow_type* t, uint8_t prefix) {
  auto it = ids_.find(t);
  if (it != ids_.end()) return it->second;
  return write(e, t, prefix);
}

uint32_t TypeWriter::write(Encoder& e, const snow_type* t, uint8_t prefix) {
  auto k = kind_of(t);
  uint32_t elem = 0;
  std::vector<uint32_t> field_ids;
  if (k == SNOW_K_ARRAY) elem = id(e, t->elem, prefix);
  if (k == SNOW_K_STRUCT || k == SNOW_K_UNION)
    for (size_t i = 0; i < t->nfields; ++i) field_ids.push_back(id(e, t->fields[i].type, prefix));
  e.u8(prefix);
  e.u8(static_cast<uint8_t>(k));
  e.string(k == SNOW_K_ARRAY || k == SNOW_K_POINTER ? std::string_view()
                                                    : std::string_view(t->name ? t->name : ""));
  e.varint(t->size);
  e.varint(t->align);
  e.u8(t->is_signed ? 1 : 0);
  switch (k) {
    case SNOW_K_ARRAY:
      e.varint(elem);
      e.varint(t->count);
      break;
    case SNOW_K_STRUCT:
    case SNOW_K_UNION:
      e.varint(t->nfields);
      for (size_t i = 0; i < t->nfields; ++i) {
        const snow_field& f = t->fields[i];
        e.string(f.name);
        e.varint(field_ids[i]);
        e.varint(f.bit_width > 0 ? 0 : f.offset);
        e.varint(f.bit_width);
      }
      break;
    case SNOW_K_FLOAT:
      e.u8(static_cast<uint8_t>(float_digits_native(t)));
      break;
    default:
      break;
  }
  uint32_t id = next_++;
  ids_[t] = id;
  return id;
}

// ------------------------------------------------------------------ types in

namespace {

[[noreturn]] void bad_type(size_t id, const std::string& why) {
  throw StateError("corrupt state stream: type " + std::to_string(id) + " " + why);
}

void check_scalar_size(size_t id, const WireType& t) {
  switch (t.kind) {
    case SNOW_K_BOOL:
    case SNOW_K_INT:
    case SNOW_K_ENUM:
    case SNOW_K_CHAR:
      if (t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8)
        bad_type(id, "is an integer of size " + std::to_string(t.size));
      break;
    case SNOW_K_FLOAT:
      if (!((t.size == 4 && t.digits == 24) || (t.size == 8 && t.digits == 53) ||
            ((t.size == 10 || t.size == 12 || t.size == 16) && t.digits == 64) ||
            (t.size == 16 && t.digits == 113) || (t.size == 8 && t.digits == 53)))
        bad_type(id, "is a floating type of size " + std::to_string(t.size) + " with " +
                         std::to_string(t.digits) + " digits");
      break;
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      if (t.size != 4 && t.size != 8)
        bad_type(id, "is a pointer of size " + std::to_string(t.size));
      break;
    default:
      break;
  }
}

}  // namespace

void read_type(Decoder& d, std::vector<WireType>& table) {
  size_t id = table.size();
  if (id >= kMaxTypes)
    throw StateError("corrupt state stream: more than " + std::to_string(kMaxTypes) + " types");
  WireType t;
  t.kind = d.u8();
  if (t.kind < SNOW_K_BOOL || t.kind > SNOW_K_ENUM)
    bad_type(id, "has unknown kind " + std::to_string(t.kind));
  t.name = d.string();
  t.size = d.bounded(UINT64_MAX >> 1, "type size");
  t.align = d.bounded(4096, "alignment");
  t.is_signed = d.u8() != 0;
  auto ref = [&](const char* what) {
    uint64_t r = d.varint();
    if (r >= id)
      bad_type(id, std::string("refers to ") + what + " type " + std::to_string(r) +
                       " not yet described");
    return static_cast<uint32_t>(r);
  };
  switch (t.kind) {
    case SNOW_K_ARRAY: {
      t.elem = ref("element");
      t.count = d.varint();
      const WireType& e = table[t.elem];
      if (e.size == 0) bad_type(id, "is an array of zero-size elements");
      if (t.count > (UINT64_MAX >> 1) / e.size || t.size != e.size * t.count)
        bad_type(id, "is an array whose size is not count * element size");
      t.depth = e.depth + 1;
      break;
    }
    case SNOW_K_STRUCT:
    case SNOW_K_UNION: {
      size_t n = d.bounded(kMaxFields, "field count");
      t.fields.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        WireField f;
        f.name = d.string();
        f.type = ref("field");
        f.offset = d.varint();
        f.bit_width = static_cast<uint32_t>(d.bounded(64, "bit-field width"));
        const WireType& ft = table[f.type];
        bool fam =
            t.kind == SNOW_K_STRUCT && ft.kind == SNOW_K_ARRAY && ft.count == 0 && f.bit_width == 0;
        if (fam && i + 1 != n) bad_type(id, "has a flexible array member that is not last");
        if (f.bit_width > 0 && !(ft.kind == SNOW_K_INT || ft.kind == SNOW_K_ENUM ||
                                 ft.kind == SNOW_K_BOOL || ft.kind == SNOW_K_CHAR))
          bad_type(id, "has a bit-field of a non-integer type");
        if (f.bit_width == 0 && (f.offset > t.size || (!fam && ft.size > t.size - f.offset)))
          bad_type(id, "has field " + f.name + " outside the struct");
        for (const auto& g : t.fields)
          if (g.name == f.name) bad_type(id, "has two fields named " + f.name);
        t.depth = std::max(t.depth, ft.depth + 1);
        t.fields.push_back(std::move(f));
      }
      break;
    }
    case SNOW_K_FLOAT:
      t.digits = d.u8();
      break;
    default:
      break;
  }
  check_scalar_size(id, t);
  if (t.depth > kMaxTypeDepth)
    bad_type(id, "nests deeper than " + std::to_string(kMaxTypeDepth) + " levels");
  table.push_back(std::move(t));
}

std::string wire_type_name(const std::vector<WireType>& table, uint32_t id) {
  if (id >= table.size()) return "type #" + std::to_string(id);
  const WireType& t = table[id];
  if (!t.name.empty()) return t.name;
  if (t.kind == SNOW_K_ARRAY)
    return wire_type_name(table, t.elem) + "[" + std::to_string(t.count) + "]";
  if (t.kind == SNOW_K_POINTER) return "pointer";
  if (t.kind == SNOW_K_FUNCPTR) return "function pointer";
  return "type #" + std::to_string(id);
}

}  // namespace snow::msr
