#include "snow/bench/script_bench.h"

#include "libsnowpvm/util/error.h"
#include "snow/testbed/layout.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace snow::bench {

namespace fs = std::filesystem;

std::vector<std::string> common_script_args(const ScriptBench& b, cli::Args& args) {
  std::vector<std::string> out;
  if (args.flag("--quick")) out.push_back("--quick");
  if (args.flag("--keep")) out.push_back("--keep");
  if (auto reps = args.option("--reps")) {
    char* end = nullptr;
    long n = std::strtol(reps->c_str(), &end, 10);
    if (reps->empty() || *end || n < 1 || n > b.max_reps)
      throw Error("bench " + b.name + ": --reps takes 1.." + std::to_string(b.max_reps));
    out.insert(out.end(), {"--reps", std::to_string(n)});
  }
  return out;
}

void exec_script_bench(const ScriptBench& b, const std::vector<std::string>& script_args) {
  const std::string what = "bench " + b.name + ": ";
  std::string script, snowcc, sources;
  if (testbed::Layout::detect().in_build_tree()) {
    script = std::string(SNOW_ABS_SRCDIR) + "/snow/bench/" + b.script;
    snowcc = std::string(SNOW_ABS_BUILDDIR) + "/precomp/snowcc-build";
    sources = b.sources_in_tree;
  } else {
    script = std::string(SNOW_PKGLIBDIR) + "/bench/" + b.script;
    snowcc = std::string(SNOW_BINDIR) + "/snowcc";
    sources = b.sources_installed;
  }
  if (!fs::exists(script)) throw Error(what + "its script is not at " + script);
  if (!fs::exists(snowcc)) throw Error(what + "snowcc not found at " + snowcc);
  for (const auto& f : b.required)
    if (!fs::exists(sources + "/" + f)) throw Error(what + sources + "/" + f + " is missing");

  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(what + "cannot tell where snow runs from: " + ec.message());
  setenv("SNOW", self.c_str(), 1);
  setenv("SNOWCC", snowcc.c_str(), 1);
  setenv(b.src_env.c_str(), sources.c_str(), 1);

  std::vector<std::string> argv{"bash", script};
  argv.insert(argv.end(), script_args.begin(), script_args.end());
  std::vector<char*> av;
  for (auto& a : argv) av.push_back(a.data());
  av.push_back(nullptr);
  execvp("bash", av.data());
  throw Error(what + "cannot run bash: " + std::strerror(errno));
}

}  // namespace snow::bench
