#include "libsnowpvm/msr/type_info.h"

#include "libsnowpvm/msr/state_error.h"

#include <algorithm>
#include <cfloat>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace snow::msr {
namespace {

constexpr int kMaxDepth = 64;                 // nesting of arrays/structs
constexpr size_t kMaxStaticSlots = 1u << 16;  // per element, else generic walk

std::string describe(const snow_type* t) { return t ? type_name(t) : std::string("(null type)"); }

void validate(const snow_type* t, int depth, std::unordered_set<const snow_type*>& seen) {
  if (t == nullptr) throw StateError("type descriptor is NULL");
  if (depth > kMaxDepth) throw StateError("type " + describe(t) + " nests deeper than 64 levels");
  if (!seen.insert(t).second) return;
  switch (kind_of(t)) {
    case SNOW_K_BOOL:
    case SNOW_K_INT:
    case SNOW_K_ENUM:
    case SNOW_K_CHAR:
      if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
        throw StateError("integer type " + describe(t) + " has unsupported size " +
                         std::to_string(t->size));
      break;
    case SNOW_K_FLOAT:
      if (t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
        throw StateError("floating type " + describe(t) + " has unsupported size " +
                         std::to_string(t->size));
      break;
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      if (t->size != sizeof(void*))
        throw StateError("pointer type " + describe(t) + " has size " + std::to_string(t->size) +
                         ", not " + std::to_string(sizeof(void*)));
      // The target of a data pointer is only a hint; it is not walked here
      // (pointer types may be recursive).
      break;
    case SNOW_K_ARRAY:
      if (t->elem == nullptr)
        throw StateError("array type " + describe(t) + " has no element type");
      validate(t->elem, depth + 1, seen);
      if (t->elem->size == 0)
        throw StateError("array type " + describe(t) + " has elements of size 0");
      if (t->count > SIZE_MAX / t->elem->size || t->size != t->elem->size * t->count)
        throw StateError("array type " + describe(t) + " has size " + std::to_string(t->size) +
                         " but count*element size differs");
      break;
    case SNOW_K_STRUCT:
    case SNOW_K_UNION: {
      if (t->name == nullptr || *t->name == '\0')
        throw StateError(
            "struct/union descriptor without a name (give anonymous ones a unique name)");
      if (t->nfields > 0 && t->fields == nullptr)
        throw StateError("type " + describe(t) + " has " + std::to_string(t->nfields) +
                         " fields but no field table");
      for (size_t i = 0; i < t->nfields; ++i) {
        const snow_field& f = t->fields[i];
        if (f.name == nullptr)
          throw StateError("type " + describe(t) + ": field " + std::to_string(i) + " has no name");
        if (f.type == nullptr)
          throw StateError("type " + describe(t) + ": field " + f.name + " has no type");
        validate(f.type, depth + 1, seen);
        if (f.bit_width > 0) {
          if (!is_integer_like(f.type) || f.bit_width > 64 || f.get_bits == nullptr ||
              f.set_bits == nullptr)
            throw StateError("type " + describe(t) + ": bit-field " + f.name +
                             " needs an integer type, a width <= 64 and get/set accessors");
          continue;
        }
        bool fam =
            kind_of(t) == SNOW_K_STRUCT && kind_of(f.type) == SNOW_K_ARRAY && f.type->count == 0;
        if (fam && i + 1 != t->nfields)
          throw StateError("type " + describe(t) + ": flexible array member " + f.name +
                           " is not the last field");
        size_t end = f.offset + (fam ? 0 : f.type->size);
        if (end < f.offset || end > t->size)
          throw StateError("type " + describe(t) + ": field " + f.name +
                           " lies outside the type (offset " + std::to_string(f.offset) +
                           ", size " + std::to_string(f.type->size) + " in " +
                           std::to_string(t->size) + ")");
      }
      break;
    }
    case SNOW_K_VOID:
    default:
      throw StateError("type " + describe(t) + " has unknown kind " + std::to_string(t->kind));
  }
}

// Collects pointer slots of `t` at `base`; returns false when they depend
// on a union's active member or there are too many to list.
bool collect_slots(const snow_type* t, size_t base, std::vector<PointerSlot>& out) {
  switch (kind_of(t)) {
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      if (out.size() >= kMaxStaticSlots) return false;
      out.push_back({base, t});
      return true;
    case SNOW_K_ARRAY: {
      if (!facts(t->elem).has_pointers) return true;
      for (size_t i = 0; i < t->count; ++i)
        if (!collect_slots(t->elem, base + i * t->elem->size, out)) return false;
      return true;
    }
    case SNOW_K_STRUCT:
      for (size_t i = 0; i < t->nfields; ++i) {
        const snow_field& f = t->fields[i];
        if (f.bit_width > 0 || !facts(f.type).has_pointers) continue;
        if (kind_of(f.type) == SNOW_K_ARRAY && f.type->count == 0)
          return false;  // FAM: count is per block
        if (!collect_slots(f.type, base + f.offset, out)) return false;
      }
      return true;
    case SNOW_K_UNION:  // static only when no member holds a pointer
      for (size_t i = 0; i < t->nfields; ++i)
        if (t->fields[i].bit_width == 0 && facts(t->fields[i].type).has_pointers) return false;
      return true;
    default:
      return true;
  }
}

std::unique_ptr<TypeFacts> compute_facts(const snow_type* t) {
  auto f = std::make_unique<TypeFacts>();
  switch (kind_of(t)) {
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      f->has_pointers = true;
      break;
    case SNOW_K_FLOAT:
      f->has_long_double = float_digits_native(t) > 53;
      break;
    case SNOW_K_ARRAY: {
      const TypeFacts& e = facts(t->elem);
      f->has_pointers = e.has_pointers;
      f->has_unions = e.has_unions;
      f->has_bitfields = e.has_bitfields;
      f->has_long_double = e.has_long_double;
      break;
    }
    case SNOW_K_STRUCT:
    case SNOW_K_UNION:
      f->has_unions = kind_of(t) == SNOW_K_UNION;
      for (size_t i = 0; i < t->nfields; ++i) {
        const snow_field& fld = t->fields[i];
        if (fld.bit_width > 0) {
          f->has_bitfields = true;
          continue;
        }
        const TypeFacts& e = facts(fld.type);
        f->has_pointers |= e.has_pointers;
        f->has_unions |= e.has_unions;
        f->has_bitfields |= e.has_bitfields;
        f->has_long_double |= e.has_long_double;
        f->has_fam |= kind_of(t) == SNOW_K_STRUCT && kind_of(fld.type) == SNOW_K_ARRAY &&
                      fld.type->count == 0;
      }
      break;
    default:
      break;
  }
  f->static_slots = collect_slots(t, 0, f->slots);
  if (!f->static_slots) f->slots.clear();
  return f;
}

// "unsigned long int" -> "long unsigned": order-free, "int" implied.
std::string normalize_int_name(std::string_view name) {
  std::vector<std::string> words;
  std::istringstream in{std::string(name)};
  for (std::string w; in >> w;) words.push_back(w);
  if (words.size() > 1) std::erase(words, std::string("int"));
  if (words.size() > 1) std::erase(words, std::string("signed"));
  if (words.size() == 1 && words[0] == "signed") words[0] = "int";
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

int digits_for(const snow_type* t, int ldouble_digits, int ldouble_size) {
  std::string_view n = t->name ? t->name : "";
  if (n == "float") return 24;
  if (n == "double") return 53;
  if (n == "long double") return ldouble_digits;
  if (t->size == 4) return 24;
  if (t->size == 8) return 53;
  return static_cast<int>(t->size) == ldouble_size ? ldouble_digits : 0;
}

}  // namespace

bool is_scalar(const snow_type* t) {
  switch (kind_of(t)) {
    case SNOW_K_BOOL:
    case SNOW_K_INT:
    case SNOW_K_ENUM:
    case SNOW_K_CHAR:
    case SNOW_K_FLOAT:
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      return true;
    default:
      return false;
  }
}

bool is_integer_like(const snow_type* t) {
  auto k = kind_of(t);
  return k == SNOW_K_BOOL || k == SNOW_K_INT || k == SNOW_K_ENUM || k == SNOW_K_CHAR;
}

std::string type_name(const snow_type* t) {
  if (t == nullptr) return "void";
  if (t->name != nullptr && *t->name != '\0') return t->name;
  switch (kind_of(t)) {
    case SNOW_K_ARRAY:
      return type_name(t->elem) + "[" + std::to_string(t->count) + "]";
    case SNOW_K_POINTER:
      return type_name(t->elem) + " *";
    case SNOW_K_FUNCPTR:
      return "function pointer";
    default:
      return "unnamed type of kind " + std::to_string(t->kind);
  }
}

ElementView element_view(const snow_type* t) {
  size_t count = 1;
  while (kind_of(t) == SNOW_K_ARRAY && t->count > 0) {
    if (t->count > SIZE_MAX / count)
      throw StateError("array type " + type_name(t) + " is too large");
    count *= t->count;
    t = t->elem;
  }
  return {t, count};
}

const snow_field* flexible_member(const snow_type* t) {
  if (kind_of(t) != SNOW_K_STRUCT || t->nfields == 0) return nullptr;
  const snow_field& last = t->fields[t->nfields - 1];
  if (last.bit_width == 0 && kind_of(last.type) == SNOW_K_ARRAY && last.type->count == 0)
    return &last;
  return nullptr;
}

bool same_type(const snow_type* a, const snow_type* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->kind != b->kind || a->size != b->size) return false;
  switch (kind_of(a)) {
    case SNOW_K_ARRAY:
      return a->count == b->count && same_type(a->elem, b->elem);
    case SNOW_K_POINTER:
    case SNOW_K_FUNCPTR:
      return true;
    case SNOW_K_INT:
    case SNOW_K_ENUM:
    case SNOW_K_CHAR:
    case SNOW_K_BOOL:
      return a->is_signed == b->is_signed;
    default:
      return a->name != nullptr && b->name != nullptr && std::string_view(a->name) == b->name;
  }
}

void validate_type(const snow_type* t) {
  std::unordered_set<const snow_type*> seen;
  validate(t, 0, seen);
}

const TypeFacts& facts(const snow_type* t) {
  static std::unordered_map<const snow_type*, std::unique_ptr<TypeFacts>> cache;
  auto it = cache.find(t);
  if (it != cache.end()) return *it->second;
  validate_type(t);
  auto f = compute_facts(t);
  return *(cache[t] = std::move(f));
}

size_t int_size_on(const Platform& p, const snow_type* t) {
  if (kind_of(t) == SNOW_K_ENUM) return p.size_int;
  if (kind_of(t) == SNOW_K_BOOL || kind_of(t) == SNOW_K_CHAR) return t->size;
  if (t->name == nullptr) return 0;
  static const std::unordered_map<std::string, int> fixed{
      {"int8_t", 1},  {"uint8_t", 1},  {"int16_t", 2}, {"uint16_t", 2},
      {"int32_t", 4}, {"uint32_t", 4}, {"int64_t", 8}, {"uint64_t", 8},
  };
  std::string n = normalize_int_name(t->name);
  if (auto it = fixed.find(n); it != fixed.end()) return static_cast<size_t>(it->second);
  if (n == "char" || n == "char unsigned" || n == "char signed") return 1;
  if (n == "short" || n == "short unsigned") return p.size_short;
  if (n == "int" || n == "unsigned") return p.size_int;
  if (n == "long" || n == "long unsigned") return p.size_long;
  if (n == "long long" || n == "long long unsigned") return p.size_llong;
  if (n == "size_t" || n == "ssize_t" || n == "ptrdiff_t" || n == "intptr_t" || n == "uintptr_t")
    return p.size_ptr;
  return 0;
}

int float_digits_native(const snow_type* t) {
  return digits_for(t, LDBL_MANT_DIG, static_cast<int>(sizeof(long double)));
}

int float_digits_on(const Platform& p, const snow_type* t) {
  return digits_for(t, p.ldouble_digits, p.size_ldouble);
}

// ---------------------------------------------------------------- catalog

struct TypeCatalog::Impl {
  std::unordered_map<std::string, const snow_type*> by_name;
  std::unordered_set<const snow_type*> added;
};

TypeCatalog& TypeCatalog::instance() {
  static TypeCatalog c;
  return c;
}

TypeCatalog::Impl& TypeCatalog::impl() const {
  static Impl i;
  return i;
}

void TypeCatalog::add(const snow_type* t) {
  auto& im = impl();
  std::vector<const snow_type*> todo{t};
  while (!todo.empty()) {
    const snow_type* x = todo.back();
    todo.pop_back();
    if (x == nullptr || !im.added.insert(x).second) continue;
    auto k = kind_of(x);
    if ((k == SNOW_K_STRUCT || k == SNOW_K_UNION || k == SNOW_K_ENUM) && x->name != nullptr) {
      auto [it, fresh] = im.by_name.emplace(x->name, x);
      if (!fresh && it->second != x) {
        const snow_type* o = it->second;
        if (o->size != x->size || o->nfields != x->nfields || o->kind != x->kind)
          throw StateError("two different layouts are registered as " + type_name(x) +
                           " (type names must be unique in a program)");
      }
    }
    if (k == SNOW_K_ARRAY || k == SNOW_K_POINTER) todo.push_back(x->elem);
    if (k == SNOW_K_STRUCT || k == SNOW_K_UNION)
      for (size_t i = 0; i < x->nfields; ++i) todo.push_back(x->fields[i].type);
  }
}

const snow_type* TypeCatalog::find(std::string_view name) const {
  auto& im = impl();
  auto it = im.by_name.find(std::string(name));
  return it == im.by_name.end() ? nullptr : it->second;
}

void TypeCatalog::clear() {
  impl().by_name.clear();
  impl().added.clear();
}

}  // namespace snow::msr
