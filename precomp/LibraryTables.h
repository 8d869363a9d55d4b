// What the pre-compiler knows about library functions, by name: how PVM
// calls are replaced, which calls are migration points, which library
// functions never keep a pointer they are given, which ones have no side
// effects, and which ones open state that cannot move.  Plain data, no
// Clang, so every pass can use it cheaply.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace snow::precomp {

struct PvmReplacement {
  std::string_view replacement;  // snow_* or snow_exec_* function
  bool migration_point;          // may return SnowUnwinding (message calls)
};

// pvm_send -> {"snow_send", true}; nullopt for calls that stay libpvm calls.
std::optional<PvmReplacement> pvm_replacement(std::string_view name);

// Allocation functions wrapped by the memory-state runtime.
enum class AllocKind { Malloc, Calloc, Realloc, Free, Strdup };
std::optional<AllocKind> alloc_kind(std::string_view name);

// Opening and closing of files, streams and descriptors, wrapped so that
// the runtime knows what is open: fopen -> snow_exec_fopen, ...  Streams
// on files move with the task; what cannot move defers migration.
std::optional<std::string_view> io_replacement(std::string_view name);
// strtok, rand, drand48, ...: C library functions whose state between calls
// is the library's; their snow_* twins keep it where it migrates.
std::optional<std::string_view> hidden_state_replacement(std::string_view name);

// What the program is told about an I/O call the runtime wraps
// (io_replacement), or nullopt when nothing needs saying.
std::optional<std::string_view> io_caveat(std::string_view name);

// Library calls that keep no pointer argument after they return, so passing
// the address of a local to them does not make the local escape.
bool is_non_retaining(std::string_view name);

// Library calls without side effects: a statement that calls them before a
// migration point can safely be re-executed on resume.
bool is_pure(std::string_view name);

// Calls that cost so little that a loop calling them is still a "tiny
// kernel" (no poll-point): <math.h> and friends.
bool is_cheap_leaf(std::string_view name);

// setjmp family / longjmp family.
bool is_setjmp(std::string_view name);
bool is_longjmp(std::string_view name);

// Reads from standard input: input stdio buffered before a migration stays
// behind.
bool reads_stdin(std::string_view name);

// PVM calls whose state cannot move with the task (message handlers,
// notification, receive match functions).
bool is_unmovable_pvm(std::string_view name);

}  // namespace snow::precomp
