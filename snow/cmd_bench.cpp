// snow bench: measurements, one subject per component.  `snow bench state`
// is the memory state's (snow/bench/state_bench.h), `snow bench comm` the
// communication layer's (cmd_bench_comm.cpp), `snow bench overhead` the
// pre-compiler's (cmd_bench_overhead.cpp); `snow bench paper` runs the
// papers' tables (cmd_bench_paper.cpp), `snow bench migrate` whole
// migrations against plain TCP (cmd_bench_migrate.cpp).
#include "libsnowpvm/util/error.h"
#include "snow/bench/state_bench.h"
#include "snow/command.h"

#include <cstdlib>
#include <iostream>
#include <string>

namespace snow::cli {

namespace {

int bench_state(Args& sub) {
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

}  // namespace

int cmd_bench(Args& args) {
  auto words = args.command_line();
  const std::string subject = words.empty() ? "" : words[0];
  if (!words.empty()) words.erase(words.begin());
  Args sub(words);
  if (subject == "state") return bench_state(sub);
  if (subject == "comm") return cmd_bench_comm(sub);
  if (subject == "overhead") return cmd_bench_overhead(sub);
  if (subject == "paper") return cmd_bench_paper(sub);
  if (subject == "migrate") return cmd_bench_migrate(sub);
  throw Error("usage: snow bench state|comm|overhead|paper|migrate [OPTIONS] (see `snow help`)");
}

}  // namespace snow::cli
