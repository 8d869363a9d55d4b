// snow history: every migration the scheduler drove, with its outcome and
// time breakdown.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/sched_client.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"

#include <cstdio>

namespace snow::cli {

int cmd_history(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  args.positionals();
  return testbed::in_host(vm, vm.master(), testbed::Layout::detect(), [&] {
    try {
      testbed::PvmSession session;
      SchedulerClient sched;
      auto r = sched.history();
      std::printf("%4s %-9s %-6s %-6s %10s %10s %10s %10s %10s  %s\n", "MIG", "TASK", "FROM", "TO",
                  "COORD_ms", "COLLECT_ms", "XFER_ms", "RESTORE_ms", "TOTAL_ms", "OUTCOME");
      auto ms = [](uint64_t us) { return static_cast<double>(us) / 1000.0; };
      for (const auto& h : r.rows)
        std::printf("%4d %-9s %-6s %-6s %10.3f %10.3f %10.3f %10.3f %10.3f  %s\n", h.mig,
                    tid_str(h.vtid).c_str(), h.from_host.c_str(), h.to_host.c_str(), ms(h.t.coord_us),
                    ms(h.t.collect_us), ms(h.t.transfer_us), ms(h.t.restore_us), ms(h.t.total_us),
                    h.outcome.c_str());
      std::printf("%zu migrations\n", r.rows.size());
      std::fflush(stdout);
      return 0;
    } catch (const Error& e) {
      std::fprintf(stderr, "snow history: %s\n", e.what());
      return 1;
    }
  });
}

}  // namespace snow::cli
