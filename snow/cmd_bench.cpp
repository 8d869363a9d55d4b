// snow bench: measurements.  `snow bench state` is the memory state's
// (snow/bench/state_bench.h); other components add their own subjects.
#include "libsnowpvm/util/error.h"
#include "snow/bench/state_bench.h"
#include "snow/command.h"

#include <cstdlib>
#include <iostream>
#include <string>

namespace snow::cli {

int cmd_bench(Args& args) {
  auto words = args.command_line();
  if (words.empty() || words[0] != "state")
    throw Error("usage: snow bench state [--quick] [--json FILE] [--helper ARCH=PATH]...");
  words.erase(words.begin());
  Args sub(words);
  bench::StateBenchOptions opt;
  opt.quick = sub.flag("--quick");
  opt.json = sub.option("--json").value_or(opt.json);
  // The foreign halves: the cross-built msr_bench_helper of each
  // architecture (in the build tree unless given).
  for (const char* arch : {"i386", "s390x"})
    opt.helpers[arch] =
        std::string(SNOW_ABS_BUILDDIR) + "/cross/" + arch + "/test/programs/msr_bench_helper";
  for (const auto& h : sub.options("--helper")) {
    auto eq = h.find('=');
    if (eq == std::string::npos) throw Error("--helper takes ARCH=PATH");
    opt.helpers[h.substr(0, eq)] = h.substr(eq + 1);
  }
  for (const auto& a : sub.options("--skip-arch")) opt.helpers.erase(a);
  for (const auto& w : sub.options("--workload")) {  // KIND:SIZE, e.g. tree:1000000, array:8388608
    auto colon = w.find(':');
    if (colon == std::string::npos) throw Error("--workload takes KIND:SIZE");
    opt.workloads.emplace_back(w.substr(0, colon), std::stoull(w.substr(colon + 1)));
  }
  if (auto r = sub.option("--reps")) opt.reps = std::stoi(*r);
  opt.tmpdir =
      sub.option("--tmpdir").value_or(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  sub.positionals();
  return bench::run_state_bench(opt);
}

}  // namespace snow::cli
