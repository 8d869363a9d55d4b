// `#pragma snow poll` (a poll-point here) and `#pragma snow nopoll` (no
// automatic poll-points in the enclosing function), recorded while parsing.
#pragma once

#include <clang/Basic/SourceLocation.h>

#include <vector>

namespace clang {
class Preprocessor;
}

namespace snow::precomp {

struct PragmaLog {
  std::vector<clang::SourceLocation> poll;    // location of the `#pragma` line
  std::vector<clang::SourceLocation> nopoll;
  std::vector<clang::SourceRange> lines;      // whole pragma lines, to comment out
};

// Registers the "snow" pragma namespace with the preprocessor; `log` must
// outlive the parse.
void register_snow_pragmas(clang::Preprocessor& pp, PragmaLog& log);

}  // namespace snow::precomp
