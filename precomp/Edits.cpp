#include "precomp/Edits.h"
#include "precomp/transform/CString.h"

#include <clang/Lex/Lexer.h>
#include <clang/Tooling/Core/Replacement.h>
#include <llvm/Support/Error.h>

#include <algorithm>

namespace snow::precomp {

namespace {

unsigned count_newlines(llvm::StringRef s) { return static_cast<unsigned>(s.count('\n')); }


}  // namespace

Edits::Edits(const clang::SourceManager& sm, const clang::LangOptions& lang, Diag& diag,
             std::string display_name)
    : sm_(sm), lang_(lang), diag_(diag), display_name_(std::move(display_name)) {}

std::optional<unsigned> Edits::begin_offset(clang::SourceLocation loc) const {
  if (loc.isInvalid()) return std::nullopt;
  // The first token of a (possibly nested) macro expansion stands for the
  // macro invocation; a macro argument for its spelling in the file.
  while (loc.isMacroID()) {
    clang::SourceLocation expansion_begin;
    if (sm_.isMacroArgExpansion(loc)) {
      loc = sm_.getImmediateSpellingLoc(loc);
    } else if (clang::Lexer::isAtStartOfMacroExpansion(loc, sm_, lang_, &expansion_begin)) {
      loc = expansion_begin;
    } else {
      return std::nullopt;
    }
  }
  auto [fid, offset] = sm_.getDecomposedLoc(loc);
  if (fid != sm_.getMainFileID()) return std::nullopt;
  return offset;
}

std::optional<unsigned> Edits::end_offset(clang::SourceLocation token) const {
  if (token.isInvalid()) return std::nullopt;
  while (token.isMacroID()) {
    clang::SourceLocation expansion_end;
    if (sm_.isMacroArgExpansion(token)) {
      token = sm_.getImmediateSpellingLoc(token);
    } else if (clang::Lexer::isAtEndOfMacroExpansion(token, sm_, lang_, &expansion_end)) {
      // The last token of the invocation (its `)` or its name); the
      // expansion range ends at that token's start.
      token = sm_.getImmediateExpansionRange(token).getEnd();
    } else {
      return std::nullopt;
    }
  }
  auto [fid, offset] = sm_.getDecomposedLoc(token);
  if (fid != sm_.getMainFileID()) return std::nullopt;
  unsigned len = clang::Lexer::MeasureTokenLength(token, sm_, lang_);
  return offset + len;
}

void Edits::explain_unwritable(clang::SourceLocation loc) const {
  if (loc.isMacroID()) {
    llvm::StringRef macro = clang::Lexer::getImmediateMacroName(loc, sm_, lang_);
    diag_.error(loc, "snow: this code comes from the body of macro '" + macro.str() +
                         "' and cannot be rewritten; expand the macro by hand or move the "
                         "construct out of it [snow-macro]");
  } else {
    diag_.error(loc, "snow: cannot rewrite code outside the main source file [snow-macro]");
  }
}

bool Edits::add(clang::SourceLocation where, std::optional<unsigned> offset, unsigned length,
                std::string text, int order) {
  if (!offset) {
    explain_unwritable(where);
    return false;
  }
  edits_.push_back(Edit{*offset, length, std::move(text), order,
                        static_cast<unsigned>(edits_.size())});
  return true;
}

bool Edits::insert_before(clang::SourceLocation loc, std::string text, int order) {
  return add(loc, begin_offset(loc), 0, std::move(text), order);
}

void Edits::insert_at_offset(unsigned offset, std::string text, int order) {
  edits_.push_back(Edit{offset, 0, std::move(text), order, static_cast<unsigned>(edits_.size())});
}

bool Edits::insert_after(clang::SourceLocation token, std::string text, int order) {
  return add(token, end_offset(token), 0, std::move(text), order);
}

bool Edits::replace_token(clang::SourceLocation token, std::string text) {
  return replace_range(token, token, std::move(text));
}

bool Edits::replace_range(clang::SourceLocation begin, clang::SourceLocation last,
                          std::string text) {
  auto b = begin_offset(begin);
  auto e = end_offset(last);
  if (!b || !e || *e < *b) {
    explain_unwritable(b ? last : begin);
    return false;
  }
  return add(begin, b, *e - *b, std::move(text), 0);
}

std::string Edits::line_directive(unsigned line) const { return line_directive(line, display_name_); }

std::string Edits::line_directive(unsigned line, const std::string& file) const {
  return "#line " + std::to_string(line) + " " + c_string(file) + "\n";
}

std::string Edits::file_name(const clang::PresumedLoc& where) const {
  // The main file as the user named it, unless a #line says otherwise.
  const clang::FileEntry* main = sm_.getFileEntryForID(sm_.getMainFileID());
  if (main && llvm::StringRef(where.getFilename()) == main->getName()) return display_name_;
  return where.getFilename();
}

bool Edits::hoist(clang::SourceLocation begin, clang::SourceLocation last, clang::SourceLocation dest,
                  std::string prefix, std::string suffix, std::string replacement, int order) {
  auto b = begin_offset(begin);
  auto e = end_offset(last);
  auto d = begin_offset(dest);
  if (!b || !e || !d || *e < *b) {
    explain_unwritable(!b ? begin : !e ? last : dest);
    return false;
  }
  hoists_.push_back(Hoist{*b, *e, *d, std::move(prefix), std::move(suffix), std::move(replacement), order});
  return true;
}

namespace {

bool by_position(const auto& a, const auto& b) {
  if (a.offset != b.offset) return a.offset < b.offset;
  if (a.order != b.order) return a.order < b.order;
  return a.seq < b.seq;
}

}  // namespace

std::optional<std::string> Edits::apply(llvm::StringRef code, unsigned base, const std::vector<Edit>& sorted,
                                        bool resync_lines) const {
  clang::FileID main = sm_.getMainFileID();
  clang::tooling::Replacements replacements;
  // After a piece of text that adds or removes lines, tie the code that
  // follows back to its line in the user's file.
  auto resync = [&](std::string& text, unsigned original_pos) {
    if (!resync_lines) return;
    // Presumed: code from an inlined user header (HeaderFlattening.h) is
    // tied back to the header's own lines.
    clang::PresumedLoc where = sm_.getPresumedLoc(sm_.getComposedLoc(main, original_pos));
    unsigned column = sm_.getColumnNumber(main, original_pos);
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += where.isValid() ? line_directive(where.getLine(), file_name(where))
                            : line_directive(sm_.getLineNumber(main, original_pos));
    text += std::string(column > 1 ? column - 1 : 0, ' ');
  };
  for (size_t i = 0; i < sorted.size();) {
    unsigned offset = sorted[i].offset, length = 0;
    std::string text;
    for (; i < sorted.size() && sorted[i].offset == offset; ++i) {
      const Edit& e = sorted[i];
      if (e.length > 0) {
        if (length > 0) {
          diag_.error(sm_.getComposedLoc(main, offset),
                      "snow: internal error: overlapping rewrites [snow-internal]");
          return std::nullopt;
        }
        length = e.length;
        text += e.text;
        if (count_newlines(e.text) != count_newlines(code.substr(offset - base, length)))
          resync(text, offset + length);
        continue;
      }
      text += e.text;
      if (count_newlines(e.text) > 0) resync(text, offset + length);
    }
    if (auto err = replacements.add(clang::tooling::Replacement("code", offset - base, length, text))) {
      diag_.error(sm_.getComposedLoc(main, offset),
                  "snow: internal error: conflicting rewrites: " + llvm::toString(std::move(err)) +
                      " [snow-internal]");
      return std::nullopt;
    }
  }
  auto rewritten = clang::tooling::applyAllReplacements(code, replacements);
  if (!rewritten) {
    diag_.error(sm_.getLocForStartOfFile(main),
                "snow: internal error: " + llvm::toString(rewritten.takeError()) + " [snow-internal]");
    return std::nullopt;
  }
  return *rewritten;
}

std::optional<std::string> Edits::render() const {
  clang::FileID main = sm_.getMainFileID();
  llvm::StringRef code = sm_.getBufferData(main);
  std::vector<Edit> edits = edits_;
  std::vector<bool> consumed;
  // Each hoisted range becomes its replacement in place, and a statement
  // at its destination made of the range's code with the edits inside it
  // applied.  Inner ranges first, so an outer one sees their replacements.
  std::vector<Hoist> hoists = hoists_;
  std::stable_sort(hoists.begin(), hoists.end(),
                   [](const Hoist& a, const Hoist& b) { return a.end - a.begin < b.end - b.begin; });
  std::vector<size_t> replacement_of(hoists.size());
  for (size_t h = 0; h < hoists.size(); ++h) {
    replacement_of[h] = edits.size();
    edits.push_back(Edit{hoists[h].begin, hoists[h].end - hoists[h].begin, hoists[h].replacement, 0,
                         static_cast<unsigned>(edits.size())});
  }
  consumed.assign(edits.size(), false);
  for (size_t h = 0; h < hoists.size(); ++h) {
    const Hoist& x = hoists[h];
    std::vector<Edit> inside;
    for (size_t i = 0; i < edits.size(); ++i) {
      const Edit& e = edits[i];
      if (consumed[i] || i == replacement_of[h]) continue;
      // (A rewrite that starts with the range and ends after it encloses it.)
      bool in = (e.offset > x.begin && e.offset < x.end) ||
                (e.offset == x.begin && e.length > 0 && e.offset + e.length <= x.end);
      if (!in) continue;
      if (e.offset + e.length > x.end) {
        diag_.error(sm_.getComposedLoc(main, e.offset),
                    "snow: internal error: a rewrite crosses hoisted code [snow-internal]");
        return std::nullopt;
      }
      inside.push_back(e);
      consumed[i] = true;
    }
    std::stable_sort(inside.begin(), inside.end(), by_position<Edit, Edit>);
    auto text = apply(code.substr(x.begin, x.end - x.begin), x.begin, inside, false);
    if (!text) return std::nullopt;
    consumed.push_back(false);
    edits.push_back(Edit{x.dest, 0, x.prefix + *text + x.suffix, x.order, static_cast<unsigned>(edits.size())});
  }
  std::vector<Edit> top;
  for (size_t i = 0; i < edits.size(); ++i)
    if (!consumed[i]) top.push_back(edits[i]);
  std::stable_sort(top.begin(), top.end(), by_position<Edit, Edit>);
  auto rewritten = apply(code, 0, top, true);
  if (!rewritten) return std::nullopt;
  std::string out = *rewritten;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += trailer_;
  return out;
}

}  // namespace snow::precomp
