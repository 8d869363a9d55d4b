// snow bench paper: the papers' tables (seed 000 Table 1, seed 001 Tables 1
// and 2) measured on this machine.  The orchestration -- a virtual machine,
// the workloads built and run, held at migration points and moved with
// `snow migrate`, outputs compared, medians printed beside the papers'
// figures -- is a shell script, snow/bench/paper.sh (with paper_report.awk),
// since it drives the same commands a user types.  This finds it, the
// workloads' sources and snowcc, in the build tree or where they are
// installed, checks the options and hands over.
#include "libsnowpvm/util/error.h"
#include "snow/bench/script_bench.h"
#include "snow/command.h"

#include <string>
#include <vector>

namespace snow::cli {

int cmd_bench_paper(Args& args) {
  const bench::ScriptBench b{.name = "paper",
                             .script = "paper.sh",
                             .src_env = "WORKLOAD_SRC",
                             .sources_in_tree = std::string(SNOW_ABS_SRCDIR) + "/test/workloads",
                             .sources_installed = std::string(SNOW_PKGDATADIR) + "/workloads",
                             .required = {"mg_par.c"},
                             .max_reps = 100};
  std::vector<std::string> argv = bench::common_script_args(b, args);
  for (const char* opt : {"--json", "--markdown"})
    if (auto file = args.option(opt)) argv.insert(argv.end(), {opt, *file});
  if (!args.positionals().empty())
    throw Error("usage: snow bench paper [--quick] [--reps N] [--json FILE] [--markdown FILE] [--keep]");
  bench::exec_script_bench(b, argv);
}

}  // namespace snow::cli
