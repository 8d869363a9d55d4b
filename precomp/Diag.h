// Diagnostics of the pre-compiler, reported through Clang's engine so they
// read like compiler messages: "file.c:12:5: warning: ... [snow-setjmp]".
#pragma once

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceLocation.h>

#include <string>

namespace snow::precomp {

class Diag {
 public:
  explicit Diag(clang::DiagnosticsEngine& engine) : engine_(engine) {}

  void error(clang::SourceLocation loc, const std::string& msg) {
    report(clang::DiagnosticsEngine::Error, loc, msg);
  }
  void warning(clang::SourceLocation loc, const std::string& msg) {
    report(clang::DiagnosticsEngine::Warning, loc, msg);
  }
  void note(clang::SourceLocation loc, const std::string& msg) {
    report(clang::DiagnosticsEngine::Note, loc, msg);
  }
  // True once any error was reported (by us or by the parser).
  bool failed() const { return engine_.hasErrorOccurred(); }

 private:
  void report(clang::DiagnosticsEngine::Level level, clang::SourceLocation loc,
              const std::string& msg) {
    unsigned id = engine_.getCustomDiagID(level, "%0");
    engine_.Report(loc, id) << msg;
  }

  clang::DiagnosticsEngine& engine_;
};

}  // namespace snow::precomp
