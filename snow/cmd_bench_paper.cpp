// snow bench paper: the papers' tables (seed 000 Table 1, seed 001 Tables 1
// and 2) measured on this machine.  The orchestration -- a virtual machine,
// the workloads built and run, held at migration points and moved with
// `snow migrate`, outputs compared, medians printed beside the papers'
// figures -- is a shell script, snow/bench/paper.sh (with paper_report.awk),
// since it drives the same commands a user types.  This finds it, the
// workloads' sources and snowcc, in the build tree or where they are
// installed, checks the options and hands over.
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

struct PaperBench {
  std::string script, snowcc, workloads;
};

PaperBench find_paper_bench() {
  PaperBench b;
  if (testbed::Layout::detect().in_build_tree()) {
    b.script = std::string(SNOW_ABS_SRCDIR) + "/snow/bench/paper.sh";
    b.snowcc = std::string(SNOW_ABS_BUILDDIR) + "/precomp/snowcc-build";
    b.workloads = std::string(SNOW_ABS_SRCDIR) + "/test/workloads";
  } else {
    b.script = std::string(SNOW_PKGLIBDIR) + "/bench/paper.sh";
    b.snowcc = std::string(SNOW_BINDIR) + "/snowcc";
    b.workloads = std::string(SNOW_PKGDATADIR) + "/workloads";
  }
  if (!fs::exists(b.script)) throw Error("bench paper: its script is not at " + b.script);
  if (!fs::exists(b.snowcc)) throw Error("bench paper: snowcc not found at " + b.snowcc);
  if (!fs::exists(b.workloads + "/mg_par.c"))
    throw Error("bench paper: the workloads' sources are not in " + b.workloads);
  return b;
}

}  // namespace

int cmd_bench_paper(Args& args) {
  std::vector<std::string> argv{"bash"};
  if (args.flag("--quick")) argv.push_back("--quick");
  if (args.flag("--keep")) argv.push_back("--keep");
  if (auto reps = args.option("--reps")) {
    char* end = nullptr;
    long n = std::strtol(reps->c_str(), &end, 10);
    if (reps->empty() || *end || n < 1 || n > 100) throw Error("bench paper: --reps takes 1..100");
    argv.insert(argv.end(), {"--reps", std::to_string(n)});
  }
  for (const char* opt : {"--json", "--markdown"})
    if (auto file = args.option(opt)) argv.insert(argv.end(), {opt, *file});
  if (!args.positionals().empty())
    throw Error("usage: snow bench paper [--quick] [--reps N] [--json FILE] [--markdown FILE] [--keep]");

  PaperBench b = find_paper_bench();
  argv.insert(argv.begin() + 1, b.script);
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("bench paper: cannot tell where snow runs from: " + ec.message());
  setenv("SNOW", self.c_str(), 1);
  setenv("SNOWCC", b.snowcc.c_str(), 1);
  setenv("WORKLOAD_SRC", b.workloads.c_str(), 1);
  std::vector<char*> av;
  for (auto& a : argv) av.push_back(a.data());
  av.push_back(nullptr);
  execvp("bash", av.data());
  throw Error(std::string("bench paper: cannot run bash: ") + std::strerror(errno));
}

}  // namespace snow::cli
