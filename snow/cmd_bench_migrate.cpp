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
#include "snow/command.h"
#include "snow/testbed/layout.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace snow::cli {
namespace {

namespace fs = std::filesystem;

constexpr long kMaxReps = 100;

struct MigrateBench {
  std::string script, snowcc, sources;
};

MigrateBench find_migrate_bench() {
  MigrateBench b;
  if (testbed::Layout::detect().in_build_tree()) {
    b.script = std::string(SNOW_ABS_SRCDIR) + "/snow/bench/migrate.sh";
    b.snowcc = std::string(SNOW_ABS_BUILDDIR) + "/precomp/snowcc-build";
    b.sources = std::string(SNOW_ABS_SRCDIR) + "/snow/bench";
  } else {
    b.script = std::string(SNOW_PKGLIBDIR) + "/bench/migrate.sh";
    b.snowcc = std::string(SNOW_BINDIR) + "/snowcc";
    b.sources = std::string(SNOW_PKGLIBDIR) + "/bench";
  }
  if (!fs::exists(b.script)) throw Error("bench migrate: its script is not at " + b.script);
  if (!fs::exists(b.snowcc)) throw Error("bench migrate: snowcc not found at " + b.snowcc);
  for (const char* f : {"/migrate_state.c", "/migrate_probe.c"})
    if (!fs::exists(b.sources + f)) throw Error("bench migrate: " + b.sources + f + " is missing");
  return b;
}

}  // namespace

int cmd_bench_migrate(Args& args) {
  std::vector<std::string> argv{"bash"};
  if (args.flag("--quick")) argv.push_back("--quick");
  if (args.flag("--keep")) argv.push_back("--keep");
  if (auto reps = args.option("--reps")) {
    char* end = nullptr;
    long n = std::strtol(reps->c_str(), &end, 10);
    if (reps->empty() || *end || n < 1 || n > kMaxReps)
      throw Error("bench migrate: --reps takes 1.." + std::to_string(kMaxReps));
    argv.insert(argv.end(), {"--reps", std::to_string(n)});
  }
  for (const char* opt : {"--json", "--sizes"})
    if (auto v = args.option(opt)) argv.insert(argv.end(), {opt, *v});
  if (!args.positionals().empty())
    throw Error("usage: snow bench migrate [--quick] [--reps N] [--sizes LIST] [--json FILE] [--keep]");

  MigrateBench b = find_migrate_bench();
  argv.insert(argv.begin() + 1, b.script);
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("bench migrate: cannot tell where snow runs from: " + ec.message());
  setenv("SNOW", self.c_str(), 1);
  setenv("SNOWCC", b.snowcc.c_str(), 1);
  setenv("BENCH_SRC", b.sources.c_str(), 1);
  std::vector<char*> av;
  for (auto& a : argv) av.push_back(a.data());
  av.push_back(nullptr);
  execvp("bash", av.data());
  throw Error(std::string("bench migrate: cannot run bash: ") + std::strerror(errno));
}

}  // namespace snow::cli
