// The pre-compiler as a Clang frontend action: parse one C file, run
// migration point analysis, transform, and render the migratable C with
// #line directives back to the user's source.
#pragma once

#include "precomp/Options.h"

#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/Tooling.h>

#include <memory>
#include <string>

namespace snow::precomp {

// Where the result of one translation unit goes.  `text` is set only when
// the whole unit was transformed without error (all-or-nothing).
struct Output {
  bool ok = false;
  std::string text;
};

class PollPointAction : public clang::ASTFrontendAction {
 public:
  PollPointAction(const Options& options, Output& out) : options_(options), out_(out) {}

  struct ParseLog;  // what the preprocessor reported (pragmas, #includes)

 protected:
  bool BeginSourceFileAction(clang::CompilerInstance& ci) override;
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef file) override;

 private:
  const Options& options_;
  Output& out_;
  std::shared_ptr<ParseLog> log_;
};

// For ClangTool::run().
std::unique_ptr<clang::tooling::FrontendActionFactory> make_action_factory(const Options& options,
                                                                           Output& out);

}  // namespace snow::precomp
