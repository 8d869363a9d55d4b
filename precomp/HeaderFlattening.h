// User headers are part of the user's program: a function defined in a
// header next to the source (static inline helpers, a `list.h` with code,
// an included `.c` file) must be translated like the source itself, or its
// mallocs stay plain and its frames cannot unwind.
//
// Before the real parse, a preprocessing pass records every #include that
// was active and what it resolved to.  The main file is then rewritten
// with each user header's text in place of its #include -- recursively,
// with #line directives so that diagnostics, __FILE__ and debuggers still
// name the header and its lines.  System headers (found in system
// directories or through -isystem) stay #includes.  The parse that
// follows sees one main file, and every pass treats header code as the
// user's own; as with the preprocessor, each inclusion is its own text, so
// include guards keep working (`#pragma once` becomes a guard).
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <optional>
#include <string>
#include <vector>

namespace snow::precomp {

struct FlattenResult {
  std::string text;      // the main file with user headers inlined
  unsigned headers = 0;  // how many inclusions were inlined
};

// Preprocesses `source` as `compilations` say and returns its text with
// user headers inlined, or nothing if preprocessing failed (reported on
// stderr).  `display_name` is the main file's name in #line directives.
// `extra_args` are put before the compilation's own arguments.
std::optional<FlattenResult> flatten_user_headers(const clang::tooling::CompilationDatabase& compilations,
                                                  const std::string& source, const std::string& display_name,
                                                  const std::vector<std::string>& extra_args);

}  // namespace snow::precomp
