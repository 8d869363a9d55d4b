#include "precomp/LibraryTables.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace snow::precomp {

namespace {

template <size_t N>
bool contains(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// PVM task and message calls with a snow_* twin (snowpvm.h).  Message
// calls are migration points: the communication runtime returns
// SnowUnwinding when a migration request arrives while they block.
constexpr std::pair<std::string_view, PvmReplacement> kPvm[] = {
    {"pvm_mytid", {"snow_mytid", false}},
    {"pvm_parent", {"snow_parent", false}},
    {"pvm_exit", {"snow_exit", false}},
    {"pvm_spawn", {"snow_spawn", false}},
    {"pvm_kill", {"snow_kill", false}},
    {"pvm_pstat", {"snow_pstat", false}},
    {"pvm_tidtohost", {"snow_tidtohost", false}},
    {"pvm_sendsig", {"snow_sendsig", false}},
    {"pvm_bufinfo", {"snow_bufinfo", false}},
    {"pvm_send", {"snow_send", true}},
    {"pvm_mcast", {"snow_mcast", true}},
    {"pvm_psend", {"snow_psend", true}},
    {"pvm_recv", {"snow_recv", true}},
    {"pvm_nrecv", {"snow_nrecv", true}},
    {"pvm_trecv", {"snow_trecv", true}},
    {"pvm_probe", {"snow_probe", true}},
    {"pvm_precv", {"snow_precv", true}},
    // The task's own trace mask is followed by SNOW's tracing (doc/tracing.md).
    {"pvm_settmask", {"snow_settmask", false}},
    {"pvm_gettmask", {"snow_gettmask", false}},
    // Task-exit notifications on virtual tids fire when the task really ends.
    {"pvm_notify", {"snow_notify", false}},
    // Message handlers and the receive matcher: kept where they migrate.
    {"pvm_addmhf", {"snow_addmhf", false}},
    {"pvm_delmhf", {"snow_delmhf", false}},
    {"pvm_recvf", {"snow_recvf", false}},
    // Library-owned memory: copied into memory blocks that can move.
    {"pvm_siblings", {"snow_exec_siblings", false}},
    {"pvm_config", {"snow_exec_config", false}},
    {"pvm_tasks", {"snow_exec_tasks", false}},
    // Groups, served by the SNOW scheduler by virtual tid (doc/groups.md).
    // A task waiting in a barrier or as the root of a reduce or gather (or
    // for its part of a scatter) may migrate there.
    {"pvm_joingroup", {"snow_joingroup", false}},
    {"pvm_lvgroup", {"snow_lvgroup", false}},
    {"pvm_gettid", {"snow_gettid", false}},
    {"pvm_getinst", {"snow_getinst", false}},
    {"pvm_gsize", {"snow_gsize", false}},
    {"pvm_freezegroup", {"snow_freezegroup", false}},
    {"pvm_bcast", {"snow_bcast", false}},
    {"pvm_barrier", {"snow_barrier", true}},
    {"pvm_reduce", {"snow_reduce", true}},
    {"pvm_gather", {"snow_gather", true}},
    {"pvm_scatter", {"snow_scatter", true}},
};

// C library functions with hidden state of their own (libc_hidden_state.cpp).
constexpr std::pair<std::string_view, std::string_view> kHiddenState[] = {
    {"strtok", "snow_strtok"},   {"rand", "snow_rand"},         {"srand", "snow_srand"},
    {"random", "snow_random"},   {"srandom", "snow_srandom"},   {"drand48", "snow_drand48"},
    {"lrand48", "snow_lrand48"}, {"mrand48", "snow_mrand48"},   {"srand48", "snow_srand48"},
    // Signal dispositions are the kernel's, per process (signal_handlers.cpp).
    {"signal", "snow_exec_signal"}, {"sigaction", "snow_exec_sigaction"},
};

constexpr std::pair<std::string_view, std::string_view> kIo[] = {
    {"fopen", "snow_exec_fopen"},
    {"freopen", "snow_exec_freopen"},
    {"fdopen", "snow_exec_fdopen"},
    {"popen", "snow_exec_popen"},
    {"tmpfile", "snow_exec_tmpfile"},
    {"fclose", "snow_exec_fclose"},
    {"pclose", "snow_exec_pclose"},
    {"open", "snow_exec_open"},
    {"close", "snow_exec_close"},
    {"socket", "snow_exec_socket"},
    {"pipe", "snow_exec_pipe"},
    {"dup", "snow_exec_dup"},
    {"dup2", "snow_exec_dup2"},
};

// fopen and freopen need no word: their streams move (a file under /tmp,
// private to each host, is refused at migration time, see
// CallRewrites.cpp for literal paths).
constexpr std::pair<std::string_view, std::string_view> kIoCaveats[] = {
    {"fdopen", "the stream moves with the process only when its descriptor came from open() "
               "of a path in this program; otherwise migration is deferred while it is open"},
    {"popen", "a pipe cannot move with the process; migration is deferred while it is open"},
    {"tmpfile", "an anonymous temporary file cannot move with the process; migration is "
                "deferred while it is open"},
    {"open", "the descriptor moves with the process when it is on a regular file (it is given a "
             "number from 256 up, which the destination gives it again); otherwise migration is "
             "deferred while it is open"},
    {"socket", "a socket cannot move with the process; migration is deferred while it is open"},
    {"pipe", "a pipe cannot move with the process; migration is deferred while it is open"},
    {"dup", "a duplicated descriptor cannot move with the process; migration is deferred while "
            "it is open"},
    {"dup2", "a duplicated descriptor cannot move with the process; migration is deferred while "
             "it is open"},
};

constexpr std::string_view kNonRetaining[] = {
    // libpvm packing/unpacking and queries with output parameters
    "pvm_pkbyte", "pvm_pkcplx", "pvm_pkdcplx", "pvm_pkdouble", "pvm_pkfloat", "pvm_pkint",
    "pvm_pklong", "pvm_pkshort", "pvm_pkstr", "pvm_pkuint", "pvm_pkulong", "pvm_pkushort",
    "pvm_upkbyte", "pvm_upkcplx", "pvm_upkdcplx", "pvm_upkdouble", "pvm_upkfloat", "pvm_upkint",
    "pvm_upklong", "pvm_upkshort", "pvm_upkstr", "pvm_upkuint", "pvm_upkulong", "pvm_upkushort",
    "pvm_packf", "pvm_unpackf", "pvm_config", "pvm_tasks", "pvm_bufinfo", "pvm_spawn",
    "pvm_siblings", "pvm_mcast", "pvm_psend", "pvm_precv", "pvm_trecv", "pvm_getopt",
    // libc
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "scanf", "fscanf",
    "sscanf", "puts", "fputs", "fgets", "fread", "fwrite", "memcpy", "memmove", "memset",
    "memcmp", "strcpy", "strncpy", "strcat", "strncat", "strcmp", "strncmp", "strlen",
    "gettimeofday", "time", "clock_gettime", "gethostname", "qsort", "atoi", "atof", "atol",
    "strtod", "strtol"};

constexpr std::string_view kPure[] = {
    "pvm_mytid", "pvm_parent", "pvm_getsbuf", "pvm_getrbuf", "pvm_gettid", "pvm_getinst",
    "pvm_gsize", "pvm_tidtohost", "pvm_archcode", "snow_mytid", "snow_parent", "strlen",
    "strcmp", "strncmp", "memcmp", "abs", "labs", "fabs", "sqrt", "atoi", "atol", "atof",
    "sin", "cos", "exp", "log", "pow", "floor"};

constexpr std::string_view kCheap[] = {
    "sqrt", "sqrtf", "fabs", "fabsf", "sin", "sinf", "cos", "cosf", "tan", "atan", "atan2",
    "exp", "expf", "log", "logf", "log10", "pow", "powf", "floor", "ceil", "fmod", "round",
    "trunc", "fmin", "fmax", "abs", "labs", "llabs", "hypot", "cbrt", "asin", "acos", "sinh",
    "cosh", "tanh", "ldexp", "frexp", "modf", "rint", "lrint", "copysign", "isnan", "isinf",
    "erf"};

constexpr std::string_view kSetjmp[] = {"setjmp", "_setjmp", "__sigsetjmp",
                                                   "sigsetjmp", "__builtin_setjmp"};
constexpr std::string_view kLongjmp[] = {"longjmp", "_longjmp", "siglongjmp",
                                                    "__longjmp_chk", "__builtin_longjmp"};
constexpr std::string_view kStdin[] = {"scanf", "getchar", "gets", "getline",
                                                  "vscanf", "getc_unlocked", "getchar_unlocked"};
constexpr std::string_view kUnmovablePvm[] = {
    "pvm_reg_rm", "pvm_reg_tasker"};

}  // namespace

std::optional<PvmReplacement> pvm_replacement(std::string_view name) {
  for (const auto& [pvm, snow] : kPvm)
    if (pvm == name) return snow;
  return std::nullopt;
}

std::optional<AllocKind> alloc_kind(std::string_view name) {
  if (name == "malloc") return AllocKind::Malloc;
  if (name == "calloc") return AllocKind::Calloc;
  if (name == "realloc") return AllocKind::Realloc;
  if (name == "free") return AllocKind::Free;
  if (name == "strdup") return AllocKind::Strdup;
  return std::nullopt;
}

std::optional<std::string_view> io_replacement(std::string_view name) {
  for (const auto& [libc, snow] : kIo)
    if (libc == name) return snow;
  return std::nullopt;
}

std::optional<std::string_view> hidden_state_replacement(std::string_view name) {
  for (const auto& [libc, snow] : kHiddenState)
    if (libc == name) return snow;
  return std::nullopt;
}

std::optional<std::string_view> io_caveat(std::string_view name) {
  for (const auto& [libc, caveat] : kIoCaveats)
    if (libc == name) return caveat;
  return std::nullopt;
}

bool is_non_retaining(std::string_view name) { return contains(kNonRetaining, name); }
bool is_pure(std::string_view name) { return contains(kPure, name); }
bool is_cheap_leaf(std::string_view name) { return contains(kCheap, name); }
bool is_setjmp(std::string_view name) { return contains(kSetjmp, name); }
bool is_longjmp(std::string_view name) { return contains(kLongjmp, name); }
bool reads_stdin(std::string_view name) { return contains(kStdin, name); }
bool is_unmovable_pvm(std::string_view name) { return contains(kUnmovablePvm, name); }

}  // namespace snow::precomp
