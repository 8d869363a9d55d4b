// `snow run` for a SNOW program: start it as a PVM task, pass its output
// through, follow it across migrations, return its exit status.
//
// The task is spawned with its output collected by this process (like
// pvm_catchout, but under our own context and output code, see
// libsnowpvm/comm/exit_report.h).  A migrated process keeps that output
// destination, so whatever the task prints after a move arrives here too,
// through the new host's pvmd.  The task's runtime sends its exit status
// here before it ends; a task that ends without one (SIGKILL, a lost
// host) is an error, never a silent success.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace snow::cli {

// Every time `snow run` waits on, in one place.
namespace run_limits {
using namespace std::chrono_literals;
inline constexpr auto kReceivePoll = 200ms;      // longest wait for one message
inline constexpr auto kLivenessEvery = 2s;       // pvm_pstat of tasks whose output is still open
inline constexpr auto kOutputAfterStatus = 10s;  // the last output may trail the status report
inline constexpr auto kStatusAfterOutput = 10s;  // ... or the report may trail the last output
inline constexpr auto kKillGrace = 15s;          // after passing an interrupt on to the task
}  // namespace run_limits

// What `snow run` returns for a task that vanished without a status (as ssh
// does for its own failures).
inline constexpr int kNoStatus = 255;

struct TaskSpec {
  std::string path;                      // absolute path of the executable
  std::vector<std::string> args;         // argv[1..]
  std::string cwd;                       // working directory of the task
  std::map<std::string, std::string> env;  // exported to the task (PVM_EXPORT)
};

// What another command running a task this way (snow trace record) does
// at its points; every one optional.  The PVM session is open in all.
struct RunHooks {
  std::function<void(int mytid)> before_spawn;  // e.g. trace settings for the task
  std::function<void(int task)> after_spawn;
  std::function<void()> poll;                   // once per wait for the task's messages
  std::function<void()> before_exit;            // when the task has ended, before the session closes
};

// Spawn the task on the host this process has entered (testbed::enter_host)
// and wait until it really ends.  Returns its exit status (128 + signal
// for a signal death it could report), kNoStatus with a message on stderr
// when it vanished without one.  Throws snow::Error when it cannot start.
int run_task(const TaskSpec& spec, const RunHooks& hooks = {});

}  // namespace snow::cli
