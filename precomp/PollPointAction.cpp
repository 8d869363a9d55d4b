#include "precomp/PollPointAction.h"

#include "precomp/Diag.h"
#include "precomp/Edits.h"
#include "precomp/analysis/MigrationAnalysis.h"
#include "precomp/transform/CallRewrites.h"
#include "precomp/transform/FrameTransform.h"
#include "precomp/transform/TypeRegistry.h"
#include "precomp/transform/UnitTables.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Pragma.h>
#include <clang/Lex/Preprocessor.h>

#include <vector>

namespace snow::precomp {

// What the preprocessor tells us while parsing.
struct PollPointAction::ParseLog {
  PragmaLog pragmas;
  std::vector<unsigned> include_line_ends;  // offsets just after #include lines of the main file
};

namespace {

// `#pragma snow poll` / `#pragma snow nopoll`.
class SnowPragmaHandler : public clang::PragmaHandler {
 public:
  explicit SnowPragmaHandler(PragmaLog& log) : clang::PragmaHandler("snow"), log_(log) {}

  void HandlePragma(clang::Preprocessor& pp, clang::PragmaIntroducer intro, clang::Token& first) override {
    clang::Token tok;
    pp.LexUnexpandedToken(tok);
    std::string what = tok.is(clang::tok::identifier) ? tok.getIdentifierInfo()->getName().str() : "";
    clang::SourceLocation end = tok.getLocation();
    while (tok.isNot(clang::tok::eod)) {
      end = tok.getLocation();
      pp.LexUnexpandedToken(tok);
    }
    if (what == "poll") log_.poll.push_back(intro.Loc);
    else if (what == "nopoll") log_.nopoll.push_back(intro.Loc);
    else {
      unsigned id = pp.getDiagnostics().getCustomDiagID(
          clang::DiagnosticsEngine::Warning, "snow: unknown '#pragma snow %0' (known: poll, nopoll) [snow-pragma]");
      pp.getDiagnostics().Report(intro.Loc, id) << what;
      return;
    }
    log_.lines.emplace_back(intro.Loc, end);
  }

 private:
  PragmaLog& log_;
};

class IncludeWatcher : public clang::PPCallbacks {
 public:
  IncludeWatcher(const clang::SourceManager& sm, std::vector<unsigned>& out) : sm_(sm), out_(out) {}
  void InclusionDirective(clang::SourceLocation hash, const clang::Token&, llvm::StringRef, bool,
                          clang::CharSourceRange filename, const clang::FileEntry*, llvm::StringRef,
                          llvm::StringRef, const clang::Module*, clang::SrcMgr::CharacteristicKind) override {
    if (!sm_.isInMainFile(hash)) return;
    auto [fid, offset] = sm_.getDecomposedLoc(filename.getEnd());
    llvm::StringRef buf = sm_.getBufferData(fid);
    size_t nl = buf.find('\n', offset);
    out_.push_back(nl == llvm::StringRef::npos ? static_cast<unsigned>(buf.size()) : static_cast<unsigned>(nl + 1));
  }

 private:
  const clang::SourceManager& sm_;
  std::vector<unsigned>& out_;
};

std::string basename_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class PrecompConsumer : public clang::ASTConsumer {
 public:
  PrecompConsumer(const Options& options, Output& out, std::shared_ptr<const PollPointAction::ParseLog> log,
                  std::string display_name)
      : options_(options), out_(out), log_(std::move(log)), display_name_(std::move(display_name)) {}

  void HandleTranslationUnit(clang::ASTContext& ctx) override;

 private:
  unsigned prelude_offset(clang::ASTContext& ctx) const;

  const Options& options_;
  Output& out_;
  std::shared_ptr<const PollPointAction::ParseLog> log_;
  std::string display_name_;
};

// After the last #include that precedes the first function definition, so
// that feature macros and headers the user sets up come first.
unsigned PrecompConsumer::prelude_offset(clang::ASTContext& ctx) const {
  const clang::SourceManager& sm = ctx.getSourceManager();
  unsigned first_function = ~0u;
  for (const clang::Decl* d : ctx.getTranslationUnitDecl()->decls()) {
    const auto* fd = llvm::dyn_cast<clang::FunctionDecl>(d);
    if (!fd || !fd->doesThisDeclarationHaveABody() || !sm.isInMainFile(fd->getLocation())) continue;
    first_function = sm.getFileOffset(sm.getExpansionLoc(fd->getBeginLoc()));
    break;
  }
  unsigned best = 0;
  for (unsigned end : log_->include_line_ends)
    if (end <= first_function && end > best) best = end;
  return best;
}

void PrecompConsumer::HandleTranslationUnit(clang::ASTContext& ctx) {
  Diag diag(ctx.getDiagnostics());
  if (diag.failed()) return;  // the parser already complained
  std::string unit = basename_of(display_name_);
  ProgramPlan plan = analyze_program(ctx, options_, log_->pragmas, diag);
  if (diag.failed()) return;

  Edits edits(ctx.getSourceManager(), ctx.getLangOpts(), diag, display_name_);
  TypeRegistry types(ctx, diag);
  FrameTransform frames(ctx, edits, types, diag, unit);
  for (const FunctionPlan& f : plan.functions) frames.apply(f);
  rewrite_library_calls(ctx, edits, types, diag);
  for (clang::SourceRange line : log_->pragmas.lines) {
    // Keep the pragma visible but inert for the C compiler.
    edits.insert_before(line.getBegin(), "/* ", -1);
    edits.insert_after(line.getEnd(), " */", 1);
  }
  emit_unit_tables(ctx, edits, types, frames.moved_statics(), unit, prelude_offset(ctx), diag);
  if (diag.failed()) return;
  auto text = edits.render();
  if (!text || diag.failed()) return;
  out_.text = std::move(*text);
  out_.ok = true;
}

class Factory : public clang::tooling::FrontendActionFactory {
 public:
  Factory(const Options& options, Output& out) : options_(options), out_(out) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<PollPointAction>(options_, out_);
  }

 private:
  const Options& options_;
  Output& out_;
};

}  // namespace

bool PollPointAction::BeginSourceFileAction(clang::CompilerInstance& ci) {
  log_ = std::make_shared<ParseLog>();
  clang::Preprocessor& pp = ci.getPreprocessor();
  pp.AddPragmaHandler(new SnowPragmaHandler(log_->pragmas));
  pp.addPPCallbacks(std::make_unique<IncludeWatcher>(ci.getSourceManager(), log_->include_line_ends));
  return true;
}

std::unique_ptr<clang::ASTConsumer> PollPointAction::CreateASTConsumer(clang::CompilerInstance&,
                                                                       llvm::StringRef file) {
  std::string name = options_.display_name.empty() ? file.str() : options_.display_name;
  return std::make_unique<PrecompConsumer>(options_, out_, log_, name);
}

std::unique_ptr<clang::tooling::FrontendActionFactory> make_action_factory(const Options& options, Output& out) {
  return std::make_unique<Factory>(options, out);
}

}  // namespace snow::precomp
