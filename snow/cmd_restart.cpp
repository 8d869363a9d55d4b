// snow restart: resume a program from a checkpoint ("migration to disk",
// seed 002) -- written by `snow checkpoint`, by SNOW_CHECKPOINT_EVERY or by
// the program's own snow_checkpoint() -- on any architecture: standalone
// on this machine, or on a virtual host (--vm/--host), where it is a SNOW
// task again.  The program restores its state when it starts (pre-compiled
// programs: before main's first statement; hand-written ones in
// snow_start() / snow_restart_if_requested()).
//
// Without `-- PROGRAM`, the program the checkpoint names is looked up the
// way pvm_spawn finds it: the host's ep= path of the virtual machine
// (DIR/<PVM_ARCH> of each `--ep DIR`, then ~/pvm3/bin/<PVM_ARCH>), or
// standalone ~/pvm3/bin/<PVM_ARCH> of this machine.
#include "libsnowpvm/msr/stream_info.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/arch.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/process.h"
#include "snow/testbed/vm.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace snow::cli {
namespace {

// The ep= search path of `host` in the VM's PVM hostfile (what pvmd uses).
std::string vm_program_path(const testbed::VmState& vm, const testbed::HostRecord& h) {
  std::ifstream f(vm.dir() + "/hostfile");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream words(line);
    std::string name, opt;
    if (!(words >> name) || name != h.name) continue;
    while (words >> opt)
      if (opt.rfind("ep=", 0) == 0) return opt.substr(3);
  }
  return testbed::program_path({}, testbed::arch_info(h.arch));
}

std::string find_program(const std::string& name, const std::string& path) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw Error("the checkpoint does not name a program that can be looked up ('" + name +
                "'); give it: snow restart FILE -- PROGRAM [ARGS...]");
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw Error("program " + name + " (named by the checkpoint) is not in " + path +
              "; give it: snow restart FILE -- PROGRAM [ARGS...]");
}

}  // namespace

int cmd_restart(Args& args) {
  auto vm_name = args.option("--vm");
  auto host = args.option("--host");
  auto words = args.command_line();
  if (words.size() >= 2 && words[1] == "--") words.erase(words.begin() + 1);
  if (words.empty())
    throw Error("usage: snow restart [--vm NAME] [--host HOST] FILE [-- PROGRAM [ARGS...]]");
  std::string file = words[0];
  words.erase(words.begin());
  char* abs = ::realpath(file.c_str(), nullptr);
  if (abs == nullptr) throw SysError("checkpoint " + file);
  std::string path = abs;
  std::free(abs);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SysError("open " + path);
  msr::StreamInfo info;
  {
    FdSource src(fd, /*owns=*/true);
    info = msr::read_stream_info(src);
  }
  const bool in_vm = vm_name || host;
  std::optional<testbed::VmState> vm;
  const testbed::HostRecord* h = nullptr;
  if (in_vm) {
    vm = testbed::VmState::require(vm_name.value_or(testbed::default_vm_name()));
    h = host ? &vm->host(*host) : &vm->master();
  }
  if (words.empty()) {
    std::string search = in_vm ? vm_program_path(*vm, *h)
                               : testbed::program_path({}, testbed::native_arch());
    words.push_back(find_program(info.program, search));
  }
  std::cerr << "snow restart: checkpoint of " << (info.program.empty() ? "a program" : info.program) << " on "
            << info.source.describe() << ", " << info.roots << " roots; running " << words[0]
            << (in_vm ? " on " + h->name + " (" + h->arch + ")" : std::string()) << "\n";
  if (in_vm) {
    testbed::enter_host(*vm, *h, testbed::Layout::detect());
    // There it is a SNOW task again: `snow ps` lists it, it can migrate.
    testbed::exec_replace(words, {{"SNOW_RESTART_FILE", path}, {"SNOW_TASK", "1"}});
  }
  testbed::exec_replace(words, {{"SNOW_RESTART_FILE", path}});
}

}  // namespace snow::cli
