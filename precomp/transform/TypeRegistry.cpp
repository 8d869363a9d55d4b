#include "precomp/transform/TypeRegistry.h"
#include "precomp/transform/CString.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/PrettyPrinter.h>
#include <clang/Basic/SourceManager.h>

#include <cctype>

namespace snow::precomp {

namespace {

// "struct node *" -> "struct_node_p", "int [10]" -> "int_a10"
std::string stem_of(const std::string& spelling) {
  std::string out;
  for (size_t i = 0; i < spelling.size(); ++i) {
    char c = spelling[i];
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    else if (c == '*') out += "_p";
    else if (c == '[') out += "_a";
    else if (c == '(' || c == ')' || c == ']') continue;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  std::string squeezed;
  for (char c : out)
    if (!(c == '_' && !squeezed.empty() && squeezed.back() == '_')) squeezed += c;
  return squeezed.empty() ? "type" : squeezed;
}

const char* builtin_descriptor(const clang::BuiltinType* b) {
  switch (b->getKind()) {
    case clang::BuiltinType::Bool: return "&snow_type_bool";
    case clang::BuiltinType::Char_S:
    case clang::BuiltinType::Char_U: return "&snow_type_char";
    case clang::BuiltinType::SChar: return "&snow_type_schar";
    case clang::BuiltinType::UChar: return "&snow_type_uchar";
    case clang::BuiltinType::Short: return "&snow_type_short";
    case clang::BuiltinType::UShort: return "&snow_type_ushort";
    case clang::BuiltinType::Int: return "&snow_type_int";
    case clang::BuiltinType::UInt: return "&snow_type_uint";
    case clang::BuiltinType::Long: return "&snow_type_long";
    case clang::BuiltinType::ULong: return "&snow_type_ulong";
    case clang::BuiltinType::LongLong: return "&snow_type_llong";
    case clang::BuiltinType::ULongLong: return "&snow_type_ullong";
    case clang::BuiltinType::Float: return "&snow_type_float";
    case clang::BuiltinType::Double: return "&snow_type_double";
    case clang::BuiltinType::LongDouble: return "&snow_type_ldouble";
    default: return nullptr;
  }
}

// Integer typedefs whose width is not that of the C type they name here
// (int64_t is long on x86_64 and long long on i386): the descriptor keeps
// the typedef's name, which tells the runtime the width on any platform.
const char* width_typedef(clang::QualType t) {
  static const char* const names[] = {"int8_t",  "uint8_t",  "int16_t", "uint16_t",  "int32_t",  "uint32_t",
                                      "int64_t", "uint64_t", "size_t",  "ssize_t",   "ptrdiff_t", "intptr_t",
                                      "uintptr_t"};
  while (const auto* td = t->getAs<clang::TypedefType>()) {
    llvm::StringRef n = td->getDecl()->getName();
    for (const char* w : names)
      if (n == w) return w;
    t = td->getDecl()->getUnderlyingType();
  }
  return nullptr;
}

bool declared_in_function(const clang::Decl* d) {
  return d && d->getDeclContext() && d->getDeclContext()->isFunctionOrMethod();
}

}  // namespace

TypeRegistry::TypeRegistry(clang::ASTContext& ctx, Diag& diag) : ctx_(ctx), diag_(diag) {}

std::optional<std::string> TypeRegistry::spell(clang::QualType t) const {
  t = t.getUnqualifiedType();
  // Types declared inside a function have no name at file scope.
  if (const auto* td = t->getAs<clang::TypedefType>(); td && declared_in_function(td->getDecl()))
    return std::nullopt;
  if (const auto* tag = t->getAsTagDecl()) {
    if (declared_in_function(tag)) return std::nullopt;
    if (!tag->getIdentifier()) {
      if (const auto* tdn = tag->getTypedefNameForAnonDecl();
          tdn && !declared_in_function(tdn) && !t->getAs<clang::TypedefType>())
        return tdn->getName().str();
    }
  }
  clang::PrintingPolicy policy(ctx_.getLangOpts());
  policy.SuppressTagKeyword = false;
  policy.Bool = true;
  std::string s = t.getAsString(policy);
  if (s.find("(anonymous") != std::string::npos || s.find("(unnamed") != std::string::npos)
    return std::nullopt;
  return s;
}

clang::QualType vm_element(const clang::ASTContext& ctx, clang::QualType t) {
  if (t->isPointerType()) t = t->getPointeeType();
  while (const clang::ArrayType* a = ctx.getAsArrayType(t)) t = a->getElementType();
  if (t->isVariablyModifiedType()) return {};  // e.g. a pointer to a pointer to a VLA
  return t.getUnqualifiedType();
}

std::string TypeRegistry::add(const std::string& key, const std::string& stem) {
  int n = stems_[stem]++;
  std::string var = "__snow_t_" + stem + (n ? "_" + std::to_string(n + 1) : "");
  by_key_[key] = var;
  order_.push_back(var);
  generated_[var] = Generated{var, {}};
  return var;
}

std::optional<std::string> TypeRegistry::descriptor(clang::QualType t, clang::SourceLocation where,
                                                    const std::string& spelling_hint) {
  t = t.getUnqualifiedType();
  // A variable length array is contiguous elements: a block of them, and
  // a pointer into one, are described by their innermost element type.
  if (t->isVariablyModifiedType()) {
    clang::QualType elem = vm_element(ctx_, t);
    if (elem.isNull()) {
      diag_.error(where, "snow: the variably modified type '" + t.getAsString() +
                             "' cannot be described [snow-vla]");
      return std::nullopt;
    }
    return descriptor(t->isPointerType() ? ctx_.getPointerType(elem) : elem, where, {});
  }
  clang::QualType canon = t.getCanonicalType().getUnqualifiedType();
  if (const auto* b = llvm::dyn_cast<clang::BuiltinType>(canon)) {
    if (const char* w = width_typedef(t); w && b->isInteger()) {
      std::string key = std::string("typedef ") + w;
      if (auto it = by_key_.find(key); it != by_key_.end()) return "&" + it->second;
      std::string var = add(key, w);
      generated_[var].body = "static const snow_type " + var + " = {\n  .kind = SNOW_K_INT, .name = \"" + w +
                             "\", .size = sizeof(" + w + "), .align = __alignof__(" + w +
                             "),\n  .is_signed = ((" + w + ")-1 < 0)\n};\n";
      return "&" + var;
    }
    if (const char* d = builtin_descriptor(b)) return std::string(d);
    diag_.error(where, "snow: values of type '" + t.getAsString() +
                           "' cannot migrate between architectures [snow-type]");
    return std::nullopt;
  }
  if (const auto* atomic = canon->getAs<clang::AtomicType>())
    return descriptor(atomic->getValueType(), where, {});
  std::string key = canon.getAsString();
  if (auto it = by_key_.find(key); it != by_key_.end()) return "&" + it->second;

  std::optional<std::string> spelling = spell(t);
  if (!spelling && !spelling_hint.empty()) spelling = spelling_hint;
  if (!spelling) {
    diag_.error(where, "snow: the type '" + t.getAsString() +
                           "' has no name outside its function, so its layout cannot be "
                           "described; give it a name at file scope [snow-type]");
    return std::nullopt;
  }
  if (canon->isPointerType()) return describe_pointer(t, *spelling, where);
  if (canon->isRecordType()) return describe_record(t, *spelling, where);
  if (const auto* et = canon->getAs<clang::EnumType>()) {
    // An enum moves as its integer type (int or unsigned int in practice):
    // the integer's name tells its width on every platform.
    clang::QualType it = et->getDecl()->getIntegerType();
    if (!it.isNull())
      if (const auto* b = llvm::dyn_cast<clang::BuiltinType>(it.getCanonicalType()))
        if (const char* d = builtin_descriptor(b)) return std::string(d);
    diag_.error(where, "snow: the enum '" + *spelling + "' has no integer type [snow-type]");
    return std::nullopt;
  }
  if (const auto* ca = ctx_.getAsConstantArrayType(canon)) {
    clang::QualType elem_t = llvm::cast<clang::ArrayType>(t.getCanonicalType())->getElementType();
    if (const auto* sugared = ctx_.getAsArrayType(t)) elem_t = sugared->getElementType();
    std::string var = add(key, stem_of(*spelling));
    auto elem = descriptor(elem_t, where, "__typeof__((*(" + *spelling + " *)0)[0])");
    if (!elem) return std::nullopt;
    generated_[var].body = "static const snow_type " + var + " = {\n  .kind = SNOW_K_ARRAY, .name = " +
                           c_string(*spelling) + ", .size = sizeof(" + *spelling +
                           "), .align = __alignof__(" + *spelling + "),\n  .elem = " + *elem +
                           ", .count = " + std::to_string(ca->getSize().getZExtValue()) + "\n};\n";
    return "&" + var;
  }
  if (ctx_.getAsIncompleteArrayType(canon)) {
    const auto* ia = ctx_.getAsIncompleteArrayType(t);
    std::string var = add(key, stem_of(*spelling));
    auto elem = descriptor(ia->getElementType(), where, {});
    if (!elem) return std::nullopt;
    // A flexible array member: its length comes from the enclosing block.
    generated_[var].body = "static const snow_type " + var + " = {\n  .kind = SNOW_K_ARRAY, .name = " +
                           c_string(*spelling) + ", .size = 0, .align = 1, .elem = " + *elem +
                           ", .count = 0\n};\n";
    return "&" + var;
  }
  if (canon->isVariableArrayType()) {
    diag_.error(where, "snow: variable length arrays cannot be described statically [snow-vla]");
    return std::nullopt;
  }
  diag_.error(where, "snow: values of type '" + t.getAsString() +
                         "' cannot migrate between architectures [snow-type]");
  return std::nullopt;
}

std::optional<std::string> TypeRegistry::describe_pointer(clang::QualType t, const std::string& spelling,
                                                          clang::SourceLocation where) {
  clang::QualType canon = t.getCanonicalType();
  clang::QualType pointee = t->getPointeeType();
  clang::QualType pointee_canon = canon->getPointeeType().getUnqualifiedType();
  if (pointee_canon->isVoidType()) return std::string("&snow_type_voidptr");
  if (const auto* b = llvm::dyn_cast<clang::BuiltinType>(pointee_canon);
      b && (b->getKind() == clang::BuiltinType::Char_S || b->getKind() == clang::BuiltinType::Char_U))
    return std::string("&snow_type_string");
  std::string key = canon.getUnqualifiedType().getAsString();
  std::string var = add(key, stem_of(spelling));
  const char* kind = pointee_canon->isFunctionType() ? "SNOW_K_FUNCPTR" : "SNOW_K_POINTER";
  std::string elem = "0";
  if (!pointee_canon->isFunctionType() && !pointee_canon->isIncompleteType()) {
    // Library records behind pointers (FILE, DIR...) are not described:
    // the pointer is typed by the block it points into, if any.
    const clang::TagDecl* tag = pointee_canon->getAsTagDecl();
    bool library = tag && ctx_.getSourceManager().isInSystemHeader(tag->getLocation());
    if (!library) {
      auto d = descriptor(pointee, where, "__typeof__(*(" + spelling + ")0)");
      if (!d) return std::nullopt;
      elem = *d;
    }
  }
  generated_[var].body = "static const snow_type " + var + " = {\n  .kind = " + kind +
                         ", .name = " + c_string(spelling) + ", .size = sizeof(" + spelling +
                         "), .align = __alignof__(" + spelling + "),\n  .elem = " + elem + "\n};\n";
  return "&" + var;
}

bool TypeRegistry::add_fields(const clang::RecordDecl* rd, const std::string& spelling,
                              const std::string& prefix, std::string& table, size_t& count,
                              clang::SourceLocation where) {
  for (const clang::FieldDecl* f : rd->fields()) {
    if (f->isAnonymousStructOrUnion()) {
      const clang::RecordDecl* inner = f->getType()->getAsRecordDecl();
      if (inner->isUnion() && !rd->isUnion()) {
        diag_.error(f->getLocation(), "snow: anonymous unions inside structs are not supported; "
                                      "give the member a name [snow-type]");
        return false;
      }
      if (!add_fields(inner, spelling, prefix, table, count, where)) return false;
      continue;
    }
    if (!f->getIdentifier()) continue;  // unnamed bit-field: padding
    std::string name = prefix + f->getName().str();
    auto d = descriptor(f->getType(), f->getLocation(),
                        "__typeof__(((" + spelling + " *)0)->" + name + ")");
    if (!d) return false;
    std::string line = "  { .name = " + c_string(name) + ", .type = " + *d;
    if (f->isBitField()) {
      unsigned width = f->getBitWidthValue(ctx_);
      std::string acc = "__snow_bits_" + stem_of(spelling) + "_" + f->getName().str();
      accessors_ += "static unsigned long long " + acc + "_get(const void *o) { return (unsigned long long)((const " +
                    spelling + " *)o)->" + name + "; }\n";
      accessors_ += "static void " + acc + "_set(void *o, unsigned long long v) { ((" + spelling +
                    " *)o)->" + name + " = v; }\n";
      line += ", .bit_width = " + std::to_string(width) + ", .get_bits = " + acc + "_get, .set_bits = " +
              acc + "_set";
    } else if (rd->isUnion() && prefix.empty()) {
      // Every member of a union is at offset 0; offsetof would need the
      // member's name, which a library may have made a macro (glibc's
      // sa_handler is `__sigaction_handler.sa_handler`).
      line += ", .offset = 0";
    } else {
      line += ", .offset = offsetof(" + spelling + ", " + name + ")";
    }
    table += line + " },\n";
    ++count;
  }
  return true;
}

std::optional<std::string> TypeRegistry::describe_record(clang::QualType t, const std::string& spelling,
                                                         clang::SourceLocation where) {
  const clang::RecordDecl* rd = t->getAsRecordDecl();
  std::string key = t.getCanonicalType().getUnqualifiedType().getAsString();
  if (!rd->getDefinition()) {
    diag_.error(where, "snow: '" + spelling + "' is incomplete here; its layout is unknown [snow-type]");
    return std::nullopt;
  }
  rd = rd->getDefinition();
  std::string var = add(key, stem_of(spelling));
  std::string table;
  size_t count = 0;
  if (!add_fields(rd, spelling, "", table, count, where)) return std::nullopt;
  std::string body;
  std::string fields = "0";
  if (count) {
    body += "static const snow_field " + var + "_fields[] = {\n" + table + "};\n";
    fields = var + "_fields";
  }
  body += "static const snow_type " + var + " = {\n  .kind = " +
          std::string(rd->isUnion() ? "SNOW_K_UNION" : "SNOW_K_STRUCT") + ", .name = " +
          c_string(spelling) + ", .size = sizeof(" + spelling + "), .align = __alignof__(" + spelling +
          "),\n  .nfields = " + std::to_string(count) + ", .fields = " + fields + "\n};\n";
  generated_[var].body = body;
  return "&" + var;
}

std::string TypeRegistry::frame_descriptor(const std::string& struct_name, const std::string& label,
                                           const std::vector<FrameField>& fields, clang::SourceLocation where) {
  std::string spelling = "struct " + struct_name;
  std::string var = add("frame:" + struct_name, stem_of(struct_name));
  std::string table;
  for (const FrameField& f : fields) {
    std::string d = f.descriptor_expr;
    if (d.empty()) {
      auto got = descriptor(f.type, where, {});
      d = got ? *got : "0";
    }
    table += "  { .name = " + c_string(f.name) + ", .type = " + d + ", .offset = offsetof(" + spelling +
             ", " + f.name + ") },\n";
  }
  generated_[var].body = "static const snow_field " + var + "_fields[] = {\n" + table +
                         "};\nstatic const snow_type " + var + " = {\n  .kind = SNOW_K_STRUCT, .name = " +
                         c_string(label) + ", .size = sizeof(" + spelling + "), .align = __alignof__(" +
                         spelling + "),\n  .nfields = " + std::to_string(fields.size()) + ", .fields = " + var +
                         "_fields\n};\n";
  return "&" + var;
}

std::string TypeRegistry::declarations() const {
  std::string out;
  for (const std::string& var : order_) out += "static const snow_type " + var + ";\n";
  return out;
}

std::string TypeRegistry::definitions() const {
  std::string out = accessors_;
  for (const std::string& var : order_) out += generated_.at(var).body;
  return out;
}

std::vector<std::string> TypeRegistry::names() const { return order_; }

}  // namespace snow::precomp
