// precomp: the SNOW pre-compiler.  Reads one C file and writes the same
// program, made migratable (doc/precomp.md):
//
//   precomp [options] FILE.c -o OUT.c [-- COMPILER-ARGS...]
//
// COMPILER-ARGS are what the C compiler would get (-I, -D, --target=...);
// snowcc passes them.  Exit status 0 only when OUT.c was written.
#include "precomp/HeaderFlattening.h"
#include "precomp/Options.h"
#include "precomp/PollPointAction.h"

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CommonOptionsParser.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <fstream>
#include <iostream>
#include <optional>

#ifndef SNOW_CLANG_RESOURCE_DIR
#error "SNOW_CLANG_RESOURCE_DIR must name Clang's resource directory"
#endif

namespace {

llvm::cl::OptionCategory category("precomp options");

llvm::cl::opt<std::string> output_path("o", llvm::cl::desc("write the migratable C here (default: stdout)"),
                                       llvm::cl::value_desc("file"), llvm::cl::cat(category));

llvm::cl::opt<std::string> auto_poll(
    "auto-poll",
    llvm::cl::desc("automatic poll-points: all (default), loops, recursion, off "
                   "(#pragma snow poll is always honoured)"),
    llvm::cl::init("all"), llvm::cl::cat(category));

llvm::cl::opt<bool> allow_int_to_pointer(
    "allow-int-to-pointer",
    llvm::cl::desc("accept integer-to-pointer conversions (such pointers migrate as plain numbers)"),
    llvm::cl::cat(category));

llvm::cl::opt<std::string> display_name("display-name",
                                        llvm::cl::desc("file name for #line directives (default: FILE)"),
                                        llvm::cl::cat(category));

std::optional<snow::precomp::AutoPoll> parse_auto_poll(const std::string& s) {
  using snow::precomp::AutoPoll;
  if (s == "all") return AutoPoll::All;
  if (s == "loops") return AutoPoll::Loops;
  if (s == "recursion") return AutoPoll::Recursion;
  if (s == "off") return AutoPoll::Off;
  return std::nullopt;
}

}  // namespace

int main(int argc, const char** argv) {
  auto parser = clang::tooling::CommonOptionsParser::create(argc, argv, category, llvm::cl::OneOrMore,
                                                            "SNOW pre-compiler: makes a PVM C program migratable");
  if (!parser) {
    llvm::errs() << llvm::toString(parser.takeError()) << "\n";
    return 2;
  }
  if (parser->getSourcePathList().size() != 1) {
    llvm::errs() << "precomp: give exactly one source file\n";
    return 2;
  }
  snow::precomp::Options options;
  auto mode = parse_auto_poll(auto_poll);
  if (!mode) {
    llvm::errs() << "precomp: --auto-poll must be all, loops, recursion or off (got '" << auto_poll << "')\n";
    return 2;
  }
  options.auto_poll = *mode;
  options.allow_int_to_pointer = allow_int_to_pointer;
  const std::string& source = parser->getSourcePathList().front();
  options.display_name = display_name.empty() ? source : std::string(display_name);

  const std::vector<std::string> clang_args = {
      "-resource-dir=" SNOW_CLANG_RESOURCE_DIR, "-xc",
      // K&R programs call exit() without an argument; GCC takes that with
      // a warning, Clang's built-in prototype would make it an error.
      "-fno-builtin-exit",
      // Clang's own warnings about the user's C are the C compiler's
      // business (it sees the generated code); ours stay on.
      "-Wno-everything"};
  // The user's own headers are translated with the file that includes
  // them (precomp/HeaderFlattening.h).
  auto flat = snow::precomp::flatten_user_headers(parser->getCompilations(), source, options.display_name,
                                                  clang_args);
  clang::tooling::ClangTool tool(parser->getCompilations(), parser->getSourcePathList());
  tool.appendArgumentsAdjuster(
      clang::tooling::getInsertArgumentAdjuster(clang_args, clang::tooling::ArgumentInsertPosition::BEGIN));
  if (flat && flat->headers > 0) {
    llvm::SmallString<256> absolute(source);
    llvm::sys::fs::make_absolute(absolute);
    tool.mapVirtualFile(absolute, flat->text);
  }
  snow::precomp::Output out;
  int rc = tool.run(snow::precomp::make_action_factory(options, out).get());
  if (rc != 0 || !out.ok) {
    llvm::errs() << "precomp: " << options.display_name << ": not translated (see the errors above)\n";
    return 1;
  }
  if (output_path.empty() || output_path == "-") {
    std::cout << out.text;
    return 0;
  }
  std::ofstream f(output_path, std::ios::binary | std::ios::trunc);
  f << out.text;
  f.close();
  if (!f) {
    llvm::errs() << "precomp: cannot write " << output_path << "\n";
    return 1;
  }
  return 0;
}
