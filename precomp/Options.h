// Options of one pre-compilation, independent of Clang so that the tool
// front end and the passes share them without heavy headers.
#pragma once

#include <string>

namespace snow::precomp {

// Automatic migration point analysis (seed 000; placement heuristics of
// seed 004).  `#pragma snow poll` is honoured whatever this says.
enum class AutoPoll {
  All,        // loops that call functions or run long, and ends of recursive functions
  Loops,      // loops only
  Recursion,  // ends of recursive functions only
  Off,        // only where the user wrote #pragma snow poll
};

struct Options {
  AutoPoll auto_poll = AutoPoll::All;
  // Integer -> pointer conversions are refused unless this is set (then
  // they are warnings, and such pointers migrate as plain numbers).
  bool allow_int_to_pointer = false;
  // The file name written into #line directives (what the user typed).
  std::string display_name;
};

}  // namespace snow::precomp
