// A small, strict command-line parser: options are taken by name, whatever
// is left must be positional, and anything unknown is an error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace snow::cli {

class Args {
 public:
  explicit Args(std::vector<std::string> words) : words_(std::move(words)) {}

  // "--name VALUE" or "--name=VALUE" (the last one wins); throws when the
  // value is missing.
  std::optional<std::string> option(const std::string& name);
  // Every occurrence of a repeatable option.
  std::vector<std::string> options(const std::string& name);
  // "--flag"
  bool flag(const std::string& name);
  // Remaining words; throws on a leftover "--option".  A literal "--" ends
  // option parsing (everything after it is positional).
  std::vector<std::string> positionals();
  // Like positionals(), but stops at the first positional: the rest is a
  // command line for another program (snow run PROGRAM ARGS...).
  std::vector<std::string> command_line();
  // Every word left, unparsed, for a command that reads its own options
  // only up to the program it runs (snow run).
  std::vector<std::string> take_words();
  bool empty() const { return words_.empty(); }

 private:
  std::vector<std::string> words_;
};

}  // namespace snow::cli
