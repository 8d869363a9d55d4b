#include "precomp/HeaderFlattening.h"
#include "precomp/transform/CString.h"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

namespace snow::precomp {

namespace {

// Deeper than this, an inclusion stays an #include (the preprocessor's own
// limit is 200; only a header including itself without a guard gets here).
constexpr unsigned kMaxIncludeDepth = 64;

using FileKey = std::pair<uint64_t, uint64_t>;  // device, inode

FileKey key_of(const clang::FileEntry& f) {
  llvm::sys::fs::UniqueID id = f.getUniqueID();
  return {id.getDevice(), id.getFile()};
}

// An #include that was active in some inclusion of its file.
struct Directive {
  unsigned begin = 0;  // offset of the '#'
  unsigned end = 0;    // offset just after the directive's line
  FileKey target;
  bool user = false;   // the included file is user code, not a system header
};

struct FileText {
  std::string name;  // as the compiler names it in diagnostics
  std::string text;
  std::map<unsigned, Directive> directives;  // by offset
};

struct Recording {
  std::map<FileKey, FileText> files;
  std::optional<FileKey> main;
};

// Offset just after the line holding `offset`, following backslash
// continuations.
unsigned line_end(llvm::StringRef text, unsigned offset) {
  size_t pos = offset;
  while (true) {
    size_t nl = text.find('\n', pos);
    if (nl == llvm::StringRef::npos) return static_cast<unsigned>(text.size());
    size_t last = nl;
    if (last > 0 && text[last - 1] == '\r') --last;
    if (last > 0 && text[last - 1] == '\\') {
      pos = nl + 1;
      continue;
    }
    return static_cast<unsigned>(nl + 1);
  }
}

std::string clean_name(llvm::StringRef name) {
  std::string s = name.str();
  while (s.size() > 2 && s.compare(0, 2, "./") == 0) s.erase(0, 2);
  return s;
}

class Recorder : public clang::PPCallbacks {
 public:
  Recorder(const clang::SourceManager& sm, Recording& rec) : sm_(sm), rec_(rec) {}

  void FileChanged(clang::SourceLocation loc, FileChangeReason reason, clang::SrcMgr::CharacteristicKind,
                   clang::FileID) override {
    if (reason != EnterFile) return;
    clang::FileID fid = sm_.getFileID(loc);
    remember(fid);
    if (!rec_.main && fid == sm_.getMainFileID())
      if (const clang::FileEntry* f = sm_.getFileEntryForID(fid)) rec_.main = key_of(*f);
  }

  void InclusionDirective(clang::SourceLocation hash, const clang::Token&, llvm::StringRef, bool,
                          clang::CharSourceRange filename, const clang::FileEntry* file, llvm::StringRef,
                          llvm::StringRef, const clang::Module*, clang::SrcMgr::CharacteristicKind kind) override {
    if (!file || hash.isMacroID()) return;
    clang::FileID fid = sm_.getFileID(hash);
    FileText* from = remember(fid);
    if (!from) return;
    unsigned begin = sm_.getFileOffset(hash);
    clang::SourceLocation name_end = sm_.getExpansionLoc(filename.getEnd());
    unsigned after = sm_.getFileID(name_end) == fid ? sm_.getFileOffset(name_end) : begin;
    Directive d;
    d.begin = begin;
    d.end = line_end(from->text, std::max(after, begin));
    d.target = key_of(*file);
    d.user = kind == clang::SrcMgr::C_User;
    from->directives.emplace(begin, d);  // the first resolution stands
  }

 private:
  FileText* remember(clang::FileID fid) {
    const clang::FileEntry* f = sm_.getFileEntryForID(fid);
    if (!f) return nullptr;
    auto [it, fresh] = rec_.files.try_emplace(key_of(*f));
    if (fresh) {
      it->second.name = clean_name(f->getName());
      it->second.text = sm_.getBufferData(fid).str();
    }
    return &it->second;
  }

  const clang::SourceManager& sm_;
  Recording& rec_;
};

class RecordAction : public clang::PreprocessOnlyAction {
 public:
  explicit RecordAction(Recording& rec) : rec_(rec) {}

 protected:
  bool BeginSourceFileAction(clang::CompilerInstance& ci) override {
    ci.getPreprocessor().addPPCallbacks(std::make_unique<Recorder>(ci.getSourceManager(), rec_));
    return true;
  }

 private:
  Recording& rec_;
};

class RecordFactory : public clang::tooling::FrontendActionFactory {
 public:
  explicit RecordFactory(Recording& rec) : rec_(rec) {}
  std::unique_ptr<clang::FrontendAction> create() override { return std::make_unique<RecordAction>(rec_); }

 private:
  Recording& rec_;
};


std::string line_directive(unsigned line, const std::string& name) {
  return "#line " + std::to_string(line) + " " + c_string(name) + "\n";
}

unsigned line_at(llvm::StringRef text, unsigned offset) {
  return 1 + static_cast<unsigned>(text.substr(0, offset).count('\n'));
}

// A `#pragma once` line of a header, if any: [begin, end) of the line.
std::optional<std::pair<unsigned, unsigned>> pragma_once(llvm::StringRef text) {
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned end = line_end(text, static_cast<unsigned>(pos));
    llvm::StringRef line = text.substr(pos, end - pos).trim();
    if (line.consume_front("#")) {
      line = line.ltrim();
      if (line.consume_front("pragma")) {
        llvm::StringRef rest = line.ltrim();
        if (rest.startswith("once") && (rest.size() == 4 || !isalnum(static_cast<unsigned char>(rest[4])) ))
          return std::make_pair(static_cast<unsigned>(pos), end);
      }
    }
    pos = end;
  }
  return std::nullopt;
}

class Flattener {
 public:
  explicit Flattener(const Recording& rec) : rec_(rec) {}

  std::string file(const FileKey& key, const std::string& name, unsigned depth) {
    const FileText& f = rec_.files.at(key);
    llvm::StringRef text = f.text;
    std::string out;
    out.reserve(text.size());
    std::optional<std::pair<unsigned, unsigned>> once;
    if (depth > 0) once = pragma_once(text);
    std::string guard;
    unsigned pos = 0;
    auto copy_to = [&](unsigned upto) {
      // The `#pragma once` line becomes the start of a guard.
      if (once && once->first >= pos && once->first < upto) {
        out += text.substr(pos, once->first - pos).str();
        // One guard per file: every inclusion of it tests the same one.
        auto [it, fresh] = guard_of_.try_emplace(key, 0);
        if (fresh) it->second = ++guards_;
        guard = "__snow_once_" + std::to_string(it->second);
        out += "#ifndef " + guard + "\n#define " + guard + "\n";
        out += line_directive(line_at(text, once->second), name);
        pos = once->second;
      }
      if (upto > pos) out += text.substr(pos, upto - pos).str();
      pos = std::max(pos, upto);
    };
    active_.insert(key);
    for (const auto& [offset, d] : f.directives) {
      if (d.begin < pos) continue;
      bool inline_it = d.user && depth < kMaxIncludeDepth && !active_.count(d.target) &&
                       rec_.files.count(d.target) != 0;
      if (!inline_it) continue;
      copy_to(d.begin);
      const FileText& header = rec_.files.at(d.target);
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += line_directive(1, header.name);
      out += this->file(d.target, header.name, depth + 1);
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += line_directive(line_at(text, d.end), name);
      pos = d.end;
      ++inlined_;
    }
    copy_to(static_cast<unsigned>(text.size()));
    active_.erase(key);
    if (!guard.empty()) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += "#endif /* " + guard + " */\n";
    }
    return out;
  }

  unsigned inlined() const { return inlined_; }

 private:
  const Recording& rec_;
  std::set<FileKey> active_;  // the chain of files being inlined
  unsigned inlined_ = 0;
  unsigned guards_ = 0;
  std::map<FileKey, unsigned> guard_of_;
};

}  // namespace

std::optional<FlattenResult> flatten_user_headers(const clang::tooling::CompilationDatabase& compilations,
                                                  const std::string& source, const std::string& display_name,
                                                  const std::vector<std::string>& extra_args) {
  Recording rec;
  clang::tooling::ClangTool tool(compilations, {source});
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      extra_args, clang::tooling::ArgumentInsertPosition::BEGIN));
  // The real parse reports whatever is wrong; this pass stays quiet.
  clang::IgnoringDiagConsumer quiet;
  tool.setDiagnosticConsumer(&quiet);
  RecordFactory factory(rec);
  if (tool.run(&factory) != 0 || !rec.main) return std::nullopt;
  Flattener flattener(rec);
  FlattenResult result;
  result.text = flattener.file(*rec.main, display_name, 0);
  result.headers = flattener.inlined();
  return result;
}

}  // namespace snow::precomp
