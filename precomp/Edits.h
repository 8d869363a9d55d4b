// The edits of one translation unit.  Every change the passes make to the
// main file is collected here; nothing is written unless all of them fit
// together (tooling::Replacements, all-or-nothing per TU).  Rendering keeps
// the output's line numbers tied to the user's source with #line
// directives wherever an edit adds or removes lines.
#pragma once

#include "precomp/Diag.h"

#include <clang/Basic/LangOptions.h>
#include <clang/Basic/SourceManager.h>

#include <optional>
#include <string>
#include <vector>

namespace snow::precomp {

class Edits {
 public:
  Edits(const clang::SourceManager& sm, const clang::LangOptions& lang, Diag& diag,
        std::string display_name);

  // Insert `text` right before the token at `loc`.  Edits at the same place
  // are applied by ascending `order`, then in the order they were made.
  // Returns false (and reports why) when `loc` cannot be edited, e.g. it is
  // inside the body of a macro.
  bool insert_before(clang::SourceLocation loc, std::string text, int order = 0);
  // Insert `text` right after the token that starts at `token`.
  bool insert_after(clang::SourceLocation token, std::string text, int order = 0);
  // Replace the token that starts at `token`.
  bool replace_token(clang::SourceLocation token, std::string text);
  // Replace the characters from the token at `begin` to the end of the
  // token at `last`.
  bool replace_range(clang::SourceLocation begin, clang::SourceLocation last, std::string text);

  // Move the code from the token at `begin` to the end of the token at
  // `last` -- with every edit made inside it -- into a new statement
  // before `dest`: prefix + code + suffix.  The code's place gets
  // `replacement` (the name of a temporary).  Hoists may nest.
  bool hoist(clang::SourceLocation begin, clang::SourceLocation last, clang::SourceLocation dest,
             std::string prefix, std::string suffix, std::string replacement, int order);

  // Insert `text` at a raw offset of the main file (e.g. after a directive).
  void insert_at_offset(unsigned offset, std::string text, int order = 0);
  // Text put after the user's code (generated definitions).
  void add_trailer(const std::string& text) { trailer_ += text; }

  // The main file offset of the beginning of the token at `loc` (or of the
  // end of that token), if it can be edited.
  std::optional<unsigned> begin_offset(clang::SourceLocation loc) const;
  std::optional<unsigned> end_offset(clang::SourceLocation token) const;

  // A #line directive telling the compiler that the next line is `line`.
  std::string line_directive(unsigned line) const;
  std::string line_directive(unsigned line, const std::string& file) const;

  // The output file, or nothing when the edits conflict (reported).
  std::optional<std::string> render() const;

 private:
  struct Edit {
    unsigned offset;
    unsigned length;
    std::string text;
    int order;
    unsigned seq;
  };
  struct Hoist {
    unsigned begin, end;  // the code moved
    unsigned dest;        // where its statement goes
    std::string prefix, suffix, replacement;
    int order;
  };
  // Applies `edits` (sorted, within [base, base + code.size())) to `code`;
  // `resync` adds #line directives (top level only).
  std::optional<std::string> apply(llvm::StringRef code, unsigned base, const std::vector<Edit>& edits,
                                   bool resync) const;
  bool add(clang::SourceLocation where, std::optional<unsigned> offset, unsigned length,
           std::string text, int order);
  void explain_unwritable(clang::SourceLocation loc) const;
  // The file a presumed location names, in the user's terms.
  std::string file_name(const clang::PresumedLoc& where) const;

  const clang::SourceManager& sm_;
  const clang::LangOptions& lang_;
  Diag& diag_;
  std::string display_name_;
  std::vector<Edit> edits_;
  std::vector<Hoist> hoists_;
  std::string trailer_;
};

}  // namespace snow::precomp
