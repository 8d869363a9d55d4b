// The benchmarks whose orchestration is a shell script driving the commands
// a user types (`snow bench paper`: snow/bench/paper.sh, `snow bench
// migrate`: snow/bench/migrate.sh): where the script, snowcc and the
// workloads' sources are (build tree or installed), the options every such
// benchmark takes, and the hand-over to bash.
#pragma once

#include "snow/args.h"

#include <string>
#include <utility>
#include <vector>

namespace snow::bench {

struct ScriptBench {
  std::string name;     // "paper": error messages say "bench paper: ..."
  std::string script;   // file name under snow/bench/ (installed: PKGLIBDIR/bench/)
  std::string src_env;  // the variable naming the sources' directory for the script
  std::string sources_in_tree, sources_installed;  // that directory
  std::vector<std::string> required;  // files that must be in it
  long max_reps = 100;
};

// --quick, --keep and --reps N, as the script's arguments.
std::vector<std::string> common_script_args(const ScriptBench& b, cli::Args& args);

// Finds the script, snowcc and the sources, exports SNOW, SNOWCC and
// b.src_env, and execs bash SCRIPT ARGS...; returns only by throwing.
[[noreturn]] void exec_script_bench(const ScriptBench& b, const std::vector<std::string>& script_args);

}  // namespace snow::bench
