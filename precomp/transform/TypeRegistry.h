// Type descriptors (snowpvm_msr.h) for every type whose values may have to
// move: globals, frame records, heap blocks and everything reachable from
// them.  Descriptors are static const objects computed by the target's own
// compiler (sizeof, offsetof, __alignof__), so the same generated C is
// right on x86_64, i386 and s390x.  Bit-fields get generated accessors.
#pragma once

#include "precomp/Diag.h"

#include <clang/AST/Type.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace snow::precomp {

struct FrameField {
  std::string name;             // member of the frame record struct
  clang::QualType type;         // its type, or
  std::string descriptor_expr;  // a fixed descriptor (the record header)
};

// The innermost element type of a variable length array, or of the
// array a pointer points to (`double` for `double (*)[n][n]`); null when
// the type is variably modified some other way.
clang::QualType vm_element(const clang::ASTContext& ctx, clang::QualType t);

class TypeRegistry {
 public:
  TypeRegistry(clang::ASTContext& ctx, Diag& diag);

  // A C expression of type `const snow_type *` describing `t`, e.g.
  // "&snow_type_int" or "&__snow_t_struct_node".  `spelling` names the type
  // when it has no name of its own (anonymous struct of a global:
  // "__typeof__(g)").  Reports at `where` and returns nothing when the type
  // cannot migrate.
  std::optional<std::string> descriptor(clang::QualType t, clang::SourceLocation where,
                                        const std::string& spelling = {});

  // The descriptor of a generated frame record `struct <struct_name>`.
  std::string frame_descriptor(const std::string& struct_name, const std::string& label,
                               const std::vector<FrameField>& fields, clang::SourceLocation where);

  // A C type name for `t` usable at file scope, if it has one.
  std::optional<std::string> spell(clang::QualType t) const;

  std::string declarations() const;  // tentative definitions, for the top of the file
  std::string definitions() const;   // accessors, field tables, descriptors
  std::vector<std::string> names() const;  // every generated descriptor variable

 private:
  struct Generated {
    std::string var;   // __snow_t_...
    std::string body;  // definition text (field table + descriptor)
  };
  std::string add(const std::string& key, const std::string& stem);
  std::optional<std::string> describe_record(clang::QualType t, const std::string& spelling,
                                             clang::SourceLocation where);
  std::optional<std::string> describe_pointer(clang::QualType t, const std::string& spelling,
                                              clang::SourceLocation where);
  bool add_fields(const clang::RecordDecl* rd, const std::string& spelling, const std::string& prefix,
                  std::string& table, size_t& count, clang::SourceLocation where);

  clang::ASTContext& ctx_;
  Diag& diag_;
  std::map<std::string, std::string> by_key_;  // canonical type -> variable
  std::map<std::string, Generated> generated_; // variable -> text
  std::vector<std::string> order_;
  std::string accessors_;
  std::map<std::string, int> stems_;
};

}  // namespace snow::precomp
