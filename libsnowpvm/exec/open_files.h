// The open-file table of pre-compiled programs: stdio streams the program
// opened (fopen, freopen, fdopen of a descriptor it opened by path) move
// with the task.  Each is remembered with its absolute path (resolved at
// open time) and how it was opened; at migration (and checkpoint) its
// logical position (ftell, after fflush of its output) is recorded in
// tracked memory that moves with the state, and the destination reopens
// the file by path, without truncating or creating it, with the same
// access (append stays append), and seeks to that position.  Every FILE*
// in the program's memory designates the new stream (msr/external_objects.h).
// Plain descriptors open() gives on regular files move the same way, with
// their number: open() renumbers them from 256 up, where the destination
// finds the number free.
//
// What cannot move defers migration until it is closed, with the reason:
// pipes (popen, pipe), sockets, duplicates (dup, dup2), temporary files
// (tmpfile), and streams or descriptors on what is not a regular file the
// program opened by path.  A file
// under /tmp (private to each host) or deleted since it was opened refuses
// the migration at the source's pre-flight; a file the destination cannot
// reopen fails the restore, before the source commits.
#pragma once

#include <string>

namespace snow::exec {

// Why migration must wait for the program's I/O, or "" when it need not.
const char* open_io_reason();

// Directories whose contents differ from host to host.
inline constexpr const char* kHostPrivateDirs[] = {"/tmp"};

// "r", "w", "a", "r+", "a+" (plus "e" for close-on-exec): how a stream is
// reopened, from its descriptor's flags.  Never truncates.
std::string reopen_mode(int open_flags);
// open(2) flags for a reopen mode; -1 when it is not one.
int reopen_flags(const std::string& mode);

}  // namespace snow::exec
