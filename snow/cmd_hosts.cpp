// snow hosts: the virtual machine's hosts as PVM sees them.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"

#include <pvm3.h>

#include <cstdio>
#include <iostream>

namespace snow::cli {

int cmd_hosts(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  args.positionals();
  auto layout = testbed::Layout::detect();
  return testbed::in_host(vm, vm.master(), layout, [&] {
    testbed::PvmSession session;
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hi = nullptr;
    pvm_check("pvm_config", pvm_config(&nhost, &narch, &hi));
    std::printf("%-12s %-8s %-10s %-12s %s\n", "HOST", "ARCH", "PVM_ARCH", "DATA-FORMAT", "DTID");
    for (int i = 0; i < nhost; ++i) {
      const auto* known = testbed::arch_from_pvm(hi[i].hi_arch);
      std::string arch = known ? std::string(known->name) : "?";
      for (const auto& h : vm.hosts)
        if (h.name == hi[i].hi_name && !vm.external) arch = h.arch;
      std::printf("%-12s %-8s %-10s 0x%08x   %s\n", hi[i].hi_name, arch.c_str(), hi[i].hi_arch,
                  static_cast<unsigned>(hi[i].hi_dsig), tid_str(hi[i].hi_tid).c_str());
    }
    std::printf("%d hosts, %d data formats\n", nhost, narch);
    std::fflush(stdout);
    return 0;
  });
}

}  // namespace snow::cli
