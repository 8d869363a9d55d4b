// snow bench migrate: whole migrations of a real pre-compiled process
// (request to commit, as a user of `snow migrate` waits for it) for states
// of 1 KB to over 4 GiB, homogeneous and to s390x, each beside plain TCP of
// the same bytes between the same two virtual hosts and with the peak extra
// memory on both sides.  Like `snow bench paper`, the orchestration is a
// shell script (snow/bench/migrate.sh, with migrate_report.awk) driving the
// commands a user types; this finds it, the workload's sources and snowcc
// (in the build tree or where they are installed), checks the options and
// hands over.
#include "libsnowpvm/util/error.h"
#include "snow/bench/script_bench.h"
#include "snow/command.h"

#include <string>
#include <vector>

namespace snow::cli {

int cmd_bench_migrate(Args& args) {
  const bench::ScriptBench b{.name = "migrate",
                             .script = "migrate.sh",
                             .src_env = "BENCH_SRC",
                             .sources_in_tree = std::string(SNOW_ABS_SRCDIR) + "/snow/bench",
                             .sources_installed = std::string(SNOW_PKGLIBDIR) + "/bench",
                             .required = {"migrate_state.c", "migrate_probe.c"},
                             .max_reps = 100};
  std::vector<std::string> argv = bench::common_script_args(b, args);
  for (const char* opt : {"--json", "--sizes"})
    if (auto v = args.option(opt)) argv.insert(argv.end(), {opt, *v});
  if (!args.positionals().empty())
    throw Error("usage: snow bench migrate [--quick] [--reps N] [--sizes LIST] [--json FILE] [--keep]");
  bench::exec_script_bench(b, argv);
}

}  // namespace snow::cli
