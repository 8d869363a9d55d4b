// Makes a function able to save its frame and to re-enter the chain on
// restore (doc/design/exec-state.md):
//  * a frame record struct (the variables live at any of its resume
//    points, and the locals whose address escapes) and its descriptor;
//  * a dispatch at entry: in restore mode, take the record and jump to
//    the resume point;
//  * at each resume point an `if (0) { unwind: ... restore: ... }` block
//    that saves / restores exactly the variables live there;
//  * SNOW_POLL / SNOW_CALL / SNOW_COMM at poll-points and call sites.
// Also moves static locals to file scope (so they can be registered) and
// brackets functions that defer migration with inhibit calls.
#pragma once

#include "precomp/Diag.h"
#include "precomp/Edits.h"
#include "precomp/analysis/Plan.h"
#include "precomp/transform/TypeRegistry.h"

#include <string>
#include <vector>

namespace clang {
class ASTContext;
class VarDecl;
}

namespace snow::precomp {

// A static object the unit registers (hoisted static locals).
struct MovedStatic {
  const clang::VarDecl* var;
  std::string c_name;    // its name at file scope
  std::string reg_name;  // "unit:function.name"
};

class FrameTransform {
 public:
  FrameTransform(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag, std::string unit);

  // Rewrites one function according to its plan.
  void apply(const FunctionPlan& plan);

  const std::vector<MovedStatic>& moved_statics() const { return moved_; }

 private:
  void transform_frames(const FunctionPlan& plan);
  void bracket_inhibited(const FunctionPlan& plan);
  void move_statics(const FunctionPlan& plan);

  clang::ASTContext& ctx_;
  Edits& edits_;
  TypeRegistry& types_;
  Diag& diag_;
  std::string unit_;
  std::vector<MovedStatic> moved_;
};

// 32-bit FNV-1a of "unit:function", the function id in frame records.
unsigned function_id(const std::string& unit, const std::string& function);

}  // namespace snow::precomp
