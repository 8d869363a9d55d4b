// Which locals must be saved at a resume point: those that are live there
// (Clang's LiveVariables analysis over the function's CFG) and in scope.
#pragma once

#include <memory>
#include <set>
#include <vector>

namespace clang {
class ASTContext;
class CompoundStmt;
class ForStmt;
class FunctionDecl;
class Stmt;
class VarDecl;
}  // namespace clang

namespace snow::precomp {

class FunctionLiveness {
 public:
  FunctionLiveness(clang::ASTContext& ctx, const clang::FunctionDecl* fn);
  ~FunctionLiveness();
  FunctionLiveness(const FunctionLiveness&) = delete;
  FunctionLiveness& operator=(const FunctionLiveness&) = delete;

  // Locals and parameters whose value is used after execution reaches the
  // start of `s` (or the condition of `f`, or the end of `block`), in the
  // order they are declared.  Where the analysis cannot be precise the
  // answer errs on the safe side: every local in scope.
  std::vector<const clang::VarDecl*> live_before(const clang::Stmt* s) const;
  std::vector<const clang::VarDecl*> live_before_cond(const clang::ForStmt* f) const;
  std::vector<const clang::VarDecl*> live_at_end(const clang::CompoundStmt* block) const;

  // Every automatic local and parameter of the function, in declaration order.
  const std::vector<const clang::VarDecl*>& locals() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace snow::precomp
