// snow run: run a program on a virtual host as if from a shell there.
//
// A SNOW program (built by snowcc, or linked with libsnowpvm's runtime) is
// started as a PVM task with SNOW_TASK=1, so it can migrate; `snow run`
// passes its output through wherever it runs, waits until it really ends
// and returns its exit status (run_task.h).  Anything else -- plain PVM
// programs, scripts, `sh -c ...`, `hostname` -- is executed directly inside
// the host, exactly as a shell there would.  How the program is found and
// checked: run_program.h.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/run_program.h"
#include "snow/run_task.h"
#include "snow/testbed/arch.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/process.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>

namespace snow::cli {
namespace {

constexpr const char* kUsage =
    "usage: snow run [--vm NAME] [--host HOST] [--checkpoint-every SECONDS FILE] PROGRAM [ARGS...]";

struct RunOptions {
  std::optional<std::string> vm, host;
  std::optional<std::string> checkpoint_every, checkpoint_file;
  std::vector<std::string> command;
};

// Options come before PROGRAM; everything from PROGRAM on is its own.
RunOptions parse(std::vector<std::string> w) {
  RunOptions o;
  size_t i = 0;
  auto value = [&](const std::string& name) {
    if (i + 1 >= w.size()) throw Error("option " + name + " needs a value\n" + kUsage);
    return w[++i];
  };
  for (; i < w.size(); ++i) {
    const std::string& s = w[i];
    if (s == "--") {
      ++i;
      break;
    }
    if (s == "--vm") o.vm = value(s);
    else if (s.rfind("--vm=", 0) == 0) o.vm = s.substr(5);
    else if (s == "--host") o.host = value(s);
    else if (s.rfind("--host=", 0) == 0) o.host = s.substr(7);
    else if (s == "--checkpoint-every") {
      o.checkpoint_every = value(s);
      o.checkpoint_file = value(s);
    } else if (s.size() > 1 && s[0] == '-') throw Error("unknown option " + s + "\n" + kUsage);
    else break;
  }
  o.command.assign(w.begin() + static_cast<long>(std::min(i, w.size())), w.end());
  if (o.command.empty()) throw Error(kUsage);
  return o;
}

bool is_assignment(const std::string& s) {
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  for (size_t k = 0; k < eq; ++k) {
    char c = s[k];
    bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (k > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// `env NAME=VALUE... PROGRAM ARGS...`: the assignments and where PROGRAM is.
// Nothing for any other command, or an `env` with options of its own.
std::optional<size_t> env_prefix(const std::vector<std::string>& cmd, std::map<std::string, std::string>& vars) {
  if (cmd[0] != "env" && cmd[0] != "/usr/bin/env" && cmd[0] != "/bin/env") return std::nullopt;
  size_t j = 1;
  std::map<std::string, std::string> found;
  for (; j < cmd.size() && is_assignment(cmd[j]); ++j) {
    auto eq = cmd[j].find('=');
    found[cmd[j].substr(0, eq)] = cmd[j].substr(eq + 1);
  }
  if (j >= cmd.size() || cmd[j].empty() || cmd[j][0] == '-') return std::nullopt;
  vars = std::move(found);
  return j;
}

[[noreturn]] void exec_program(const std::string& path, const std::vector<std::string>& argv) {
  std::vector<char*> av;
  for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  ::execv(path.c_str(), av.data());
  throw SysError("exec " + path);
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  auto a = std::filesystem::absolute(p, ec).lexically_normal().string();
  if (ec) throw SysError("cannot make " + p + " absolute", ec.value());
  return a;
}

}  // namespace

int cmd_run(Args& args) {
  RunOptions o = parse(args.take_words());
  auto vm = testbed::VmState::require(o.vm.value_or(testbed::default_vm_name()));
  const auto& h = o.host ? vm.host(*o.host) : vm.master();
  auto layout = testbed::Layout::detect();
  std::map<std::string, std::string> env;
  auto at = env_prefix(o.command, env);
  if (!at && (o.command[0] == "env" || o.command[0].ends_with("/env"))) {
    if (o.checkpoint_every) throw Error("--checkpoint-every needs a SNOW program, not `env` with options");
    testbed::enter_host(vm, h, layout);  // an `env` of its own kind: the shell's way
    testbed::exec_replace(o.command, {});
  }
  const size_t prog_at = at.value_or(0);
  // Resolved in the caller's namespaces, then checked inside the host.
  Located prog = locate_program(vm, h, o.command[prog_at]);
  std::string ck_file;
  std::optional<FileId> ck_dir_here;
  if (o.checkpoint_every) {
    char* end = nullptr;
    double secs = std::strtod(o.checkpoint_every->c_str(), &end);
    if (end == o.checkpoint_every->c_str() || *end != '\0' || !(secs > 0))
      throw Error("--checkpoint-every: '" + *o.checkpoint_every + "' is not a positive number of seconds");
    ck_file = absolute(*o.checkpoint_file);
    ck_dir_here = file_id(std::filesystem::path(ck_file).parent_path().string());
  }

  testbed::enter_host(vm, h, layout);
  confirm_visible(prog, vm, h);
  if (o.checkpoint_every)
    confirm_dir_visible(std::filesystem::path(ck_file).parent_path().string(), ck_dir_here, vm, h);
  std::vector<std::string> argv(o.command.begin() + static_cast<long>(prog_at), o.command.end());

  if (!has_exit_report_hook(prog.path)) {
    if (o.checkpoint_every)
      throw Error("--checkpoint-every needs a SNOW program (built with snowcc or linked with libsnowpvm); " +
                  prog.path + " is not one");
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    exec_program(prog.path, argv);  // argv[0] as given, like a shell
  }

  // A task's runtime describes its host by the binary's architecture: a
  // foreign build would run (qemu-user can) but would migrate as a lie.
  auto built_for = elf_arch(prog.path);
  if (!built_for.empty() && built_for != testbed::arch_info(h.arch).name)
    throw Error(prog.path + " is a SNOW program built for " + built_for + "; host " + h.name + " is " +
                std::string(testbed::arch_info(h.arch).name) + " (build it with snowcc --target " +
                std::string(testbed::arch_info(h.arch).name) + ", or give the name alone to find the " +
                "host's build in its --ep directories)");

  TaskSpec spec;
  spec.path = prog.path;
  spec.args.assign(argv.begin() + 1, argv.end());
  char cwd[4096];
  spec.cwd = ::getcwd(cwd, sizeof cwd) ? cwd : "/";
  spec.env = env;
  spec.env["SNOW_TASK"] = "1";
  if (o.checkpoint_every) {
    spec.env["SNOW_CHECKPOINT_EVERY"] = *o.checkpoint_every;
    spec.env["SNOW_CHECKPOINT_FILE"] = ck_file;
  }
  return run_task(spec);
}

}  // namespace snow::cli
