#include "snow/testbed/host_enter.h"

#include "libsnowpvm/util/error.h"
#include "snow/testbed/process.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace snow::testbed {

std::map<std::string, std::string> host_env(const VmState& vm, const HostRecord& h,
                                            const Layout& layout) {
  const auto& arch = arch_info(h.arch);
  std::map<std::string, std::string> env{
      {"PVM_ROOT", "/usr/lib/pvm3"},
      {"PVM_ALLOW_ROOT", "1"},
      {"PVM_RSH", vm.dir() + "/bin/rsh"},
      // pvmd starts the SNOW daemon extension on every host through its
      // plug-in hook (src/pvmd.c modulenames[]); see doc/architecture.md.
      {"PVM_TASKER", layout.ext_binary(arch)},
      {"SNOW_VM", vm.name},
      {"SNOW_STATE_DIR", vm.dir()},
      {"SNOW_LOG_DIR", vm.log_dir()},
      {"SNOW_HOST", h.name},
      {"SNOW_HOST_ARCH", std::string(arch.name)},
  };
  if (vm.single) env["PVM_TMP"] = vm.host_dir(h.name) + "/tmp";
  if (const char* lvl = std::getenv("SNOW_LOG_LEVEL")) env["SNOW_LOG_LEVEL"] = lvl;
  return env;
}

void enter_host(const VmState& vm, const HostRecord& h, const Layout& layout) {
  if (vm.external) {
    // A real cluster: this machine already is the host, with the user's
    // own PVM environment.
    setenv("PVM_ROOT", "/usr/lib/pvm3", 0);
    return;
  }
  if (!vm.single) {
    if (!process_alive(h.keeper_pid))
      throw Error("virtual host " + h.name + " of VM '" + vm.name +
                  "' is gone (its keeper process " + std::to_string(h.keeper_pid) +
                  " died); run: snow vm down --vm " + vm.name);
    constexpr std::array<std::pair<const char*, int>, 3> kinds{
        {{"net", CLONE_NEWNET}, {"uts", CLONE_NEWUTS}, {"mnt", CLONE_NEWNS}}};
    std::array<int, 3> fds{-1, -1, -1};
    for (size_t i = 0; i < kinds.size(); ++i) {
      auto path = "/proc/" + std::to_string(h.keeper_pid) + "/ns/" + kinds[i].first;
      fds[i] = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fds[i] < 0) throw SysError("open " + path);
    }
    char cwd[4096];
    bool have_cwd = getcwd(cwd, sizeof cwd) != nullptr;
    for (size_t i = 0; i < kinds.size(); ++i) {
      if (setns(fds[i], kinds[i].second) != 0)
        throw SysError(std::string("setns(") + kinds[i].first + ") into host " + h.name);
      close(fds[i]);
    }
    // The mount namespace has its own view: re-resolve the working directory.
    if (!have_cwd || chdir(cwd) != 0) {
      if (chdir("/") != 0) throw SysError("chdir /");
    }
  }
  for (const auto& [k, v] : host_env(vm, h, layout)) setenv(k.c_str(), v.c_str(), 1);
}

int in_host(const VmState& vm, const HostRecord& h, const Layout& layout,
            const std::function<int()>& fn) {
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = fork();
  if (pid < 0) throw SysError("fork");
  if (pid == 0) {
    int rc = 1;
    try {
      enter_host(vm, h, layout);
      rc = fn();
    } catch (const std::exception& e) {
      std::cerr << "snow: " << e.what() << "\n";
      rc = 1;
    }
    std::cout.flush();
    std::cerr.flush();
    _exit(rc);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) throw SysError("waitpid");
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

std::vector<std::string> host_exec_prefix(const VmState& vm, const HostRecord& h) {
  if (vm.single || vm.external) return {};
  return {"nsenter", "-t", std::to_string(h.keeper_pid), "-n", "-u", "-m", "--"};
}

}  // namespace snow::testbed
