// snow console: PVM's own console on a virtual host.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/process.h"

#include <filesystem>

namespace snow::cli {

int cmd_console(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  auto host = args.option("--host");
  args.positionals();
  const auto& h = host ? vm.host(*host) : vm.master();
  auto layout = testbed::Layout::detect();
  testbed::enter_host(vm, h, layout);
  testbed::exec_replace({"/usr/lib/pvm3/lib/pvm"}, {});
}

}  // namespace snow::cli
