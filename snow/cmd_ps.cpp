// snow ps: the SNOW tasks the scheduler knows: virtual tid, current tid,
// host, architecture, state.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/sched_client.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"

#include <cstdio>

namespace snow::cli {

int cmd_ps(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  bool all = args.flag("--all");
  args.positionals();
  return testbed::in_host(vm, vm.master(), testbed::Layout::detect(), [&] {
    try {
      testbed::PvmSession session;
      SchedulerClient sched;
      auto r = sched.ps();
      std::printf("%-10s %-10s %-8s %-8s %-11s %4s  %s\n", "VTID", "TID", "HOST", "ARCH", "STATE", "MIGR",
                  "PROGRAM");
      for (const auto& t : r.rows) {
        if (!all && t.status == static_cast<int>(wire::TaskStatus::Terminated)) continue;
        std::printf("%-10s %-10s %-8s %-8s %-11s %4d  %s\n", tid_str(t.vtid).c_str(), tid_str(t.real).c_str(),
                    t.host.c_str(), t.arch.c_str(), wire::task_status_name(t.status), t.migrations,
                    t.program.c_str());
      }
      std::fflush(stdout);
      return 0;
    } catch (const Error& e) {
      std::fprintf(stderr, "snow ps: %s\n", e.what());
      return 1;
    }
  });
}

}  // namespace snow::cli
