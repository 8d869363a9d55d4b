// Running helper programs (ip, nsenter, pvmd wrappers) without a shell.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace snow::testbed {

struct RunResult {
  int status = 0;       // exit status, or 128+signal
  std::string output;   // stdout and stderr, interleaved
};

// Run argv[0] (searched in PATH) and wait.  Never throws for a non-zero
// exit; throws SysError when the program cannot be started.
RunResult run(const std::vector<std::string>& argv);

// Like run(), but throws snow::Error with the program's output on failure.
std::string run_checked(const std::vector<std::string>& argv);

// Start argv detached from this process (new session, stdin from
// /dev/null, stdout+stderr appended to `logfile`).  `env` entries are added
// to (or replace) the current environment.  Returns the child's pid.
int spawn_detached(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env,
                   const std::string& logfile);

// Replace this process with argv (PATH searched), adding `env`.
[[noreturn]] void exec_replace(const std::vector<std::string>& argv,
                               const std::map<std::string, std::string>& env);

// True when `pid` exists (kill(pid, 0)).
bool process_alive(int pid);

// Join " "-separated for messages.
std::string join(const std::vector<std::string>& argv);

}  // namespace snow::testbed
