// The exit status of a task started by `snow run`, sent to it before the
// task ends -- wherever the task runs by then.
//
// PVM does not tell a spawner how its task ended.  `snow run` spawns the
// program with its output collected under its own message context and
// output code (below), and with kEnvVar in its environment.  In a process
// with this hook, that output code (which moves with the task: a migrated
// process is started with the original's output destination) marks a task
// started by `snow run`; when such a task ends -- exit(), a return from
// main, or a fatal signal it can catch -- it sends
//     int vtid, int real tid, int status (exit code, or 128 + signal)
// to its output destination with tag kReportTag in context kContext.
// A process that leaves because its task migrated (it ends with _exit)
// sends nothing.  See snow/run_task.h for the other side.
#pragma once

namespace snow::comm::exit_report {

// Message context of the output and report messages `snow run` receives
// (not an application's: a spawned task starts in its spawner's context,
// so `snow run` spawns in context 0 and listens in this one).
inline constexpr int kContext = 0x5e2a7;
// Output code of tasks started by `snow run` (pvm_setopt PvmOutputCode).
inline constexpr int kOutputTag = 0x5e2a8;
// The output code when `snow run` writes to a terminal: the task's
// standard output is then line-buffered, as a program's is on a terminal
// (the code moves with the task, so every later process does the same).
inline constexpr int kOutputTagTerminal = 0x5e2aa;
// Tag of the exit-status report.
inline constexpr int kReportTag = 0x5e2a9;
// Set in the environment of the task `snow run` spawns ("1", or "tty" with
// kOutputTagTerminal), so that a task that never enrols with PVM on its
// own still reports.
inline constexpr const char* kEnvVar = "SNOW_RUN_REPORT";
// Every program with this hook contains the text kMarkerHead + kMarkerTail
// (`snow run` looks for it to tell SNOW programs from others).  Kept in two
// halves here so that a program merely including this header does not
// contain it.
inline constexpr const char* kMarkerHead = "snow-run-exit-";
inline constexpr const char* kMarkerTail = "report/1";

// The runtime of this process has started (comm::Runtime): remember the
// task's virtual tid; send this task's children's output where a program
// started from a shell sends it (pvmd's log), not to `snow run`.  A
// restoring process (a migration's destination) reports nothing until
// committed().
void attach(int vtid, bool restoring);
// This process has become the task (a migration committed here).
void committed();
// After attach(): this task is one `snow run` started, in place of a shell
// (so, to the program, it has no parent).
bool started_by_snow_run();
// snow_exit(): true when the hook will still need PVM at exit, in which
// case pvm_exit() is left to the hook (it runs it after the report).
bool defers_pvm_exit();
// This process stays on as the task's home agent (migrate/home_agent.h):
// it reports nothing, whatever way it ends.
void disarm();

}  // namespace snow::comm::exit_report
