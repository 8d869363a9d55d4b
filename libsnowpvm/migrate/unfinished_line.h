// The line a migrating process has started printing but not finished.
//
// A task's standard output is a pipe to its pvmd, which forwards it to the
// task's output collector (pvm_catchout, the console's "spawn ->") with the
// task's tid.  If the old process flushed a half-printed line, the
// collector would show it as a line of its own and the rest of it, printed
// by the new process under another tid, as another.  So at Fig. 5 line 9
// the old process writes only its complete lines and hands the unfinished
// one to the new process, which puts it back into its own buffer before
// the program continues: the line comes out whole, once.
#pragma once

#include <cstdio>
#include <string>

namespace snow::migrate {

// Writes out the complete lines buffered in `f` and removes and returns the
// unfinished last one.  Where the C library gives no access to its buffer,
// flushes everything and returns "".
std::string take_unfinished_line(std::FILE* f);

// Puts `text` back into `f`'s buffer, unflushed (after a restore, or when a
// migration is abandoned after take_unfinished_line).
void put_back_unfinished_line(std::FILE* f, const std::string& text);

}  // namespace snow::migrate
