// snow run: start a program on a virtual host, the way a user would start a
// PVM master program from a shell on that machine.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/process.h"

namespace snow::cli {

int cmd_run(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  auto host = args.option("--host");
  auto argv = args.command_line();
  if (argv.empty()) throw Error("usage: snow run [--vm NAME] [--host HOST] PROGRAM [ARGS...]");
  const auto& h = host ? vm.host(*host) : vm.master();
  auto layout = testbed::Layout::detect();
  testbed::enter_host(vm, h, layout);
  testbed::exec_replace(argv, {});
}

}  // namespace snow::cli
