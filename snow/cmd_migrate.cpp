// snow migrate TASK HOST: ask the scheduler to move a task, wait, and
// report the outcome with its time breakdown.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/sched_client.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"

#include <cstdio>
#include <iostream>

namespace snow::cli {
namespace {

int report(const wire::MigrateResult& r) {
  if (!r.ok) {
    std::fprintf(stderr, "snow migrate: %s was not migrated%s%s: %s\n", tid_str(r.vtid).c_str(),
                 r.to_host.empty() ? "" : " to ", r.to_host.c_str(), r.text.c_str());
    return 1;
  }
  std::printf("migrated %s: %s (%s) -> %s (%s), now %s (migration %d)\n", tid_str(r.vtid).c_str(),
              r.from_host.c_str(), r.from_arch.c_str(), r.to_host.c_str(), r.to_arch.c_str(),
              tid_str(r.new_real).c_str(), r.mig);
  std::printf("  coordination %12s  (%d connected peers, %d messages in transit moved)\n",
              format_us(r.t.coord_us).c_str(), r.t.peers, r.t.rml_msgs);
  std::printf("  collection   %12s  (%llu bytes of state)\n", format_us(r.t.collect_us).c_str(),
              static_cast<unsigned long long>(r.t.state_bytes));
  std::printf("  transfer     %12s\n", format_us(r.t.transfer_us).c_str());
  std::printf("  restore      %12s\n", format_us(r.t.restore_us).c_str());
  std::printf("  total        %12s  (request to commit)\n", format_us(r.t.total_us).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int cmd_migrate(Args& args) {
  bool here = args.flag("--here");
  auto vm_name = args.option("--vm").value_or(testbed::default_vm_name());
  int timeout = std::stoi(args.option("--timeout").value_or("600"));
  auto pos = args.positionals();
  if (pos.size() != 2) throw Error("usage: snow migrate [--vm NAME] [--timeout S] TASK HOST");
  int vtid = parse_tid(pos[0]);
  const std::string host = pos[1];
  auto body = [&] {
    try {
      testbed::PvmSession session;
      SchedulerClient sched;
      return report(sched.migrate(vtid, host, std::chrono::seconds(timeout)));
    } catch (const Error& e) {
      std::fprintf(stderr, "snow migrate: %s\n", e.what());
      return 1;
    }
  };
  if (here) return body();  // already a task of the VM (e.g. spawned by the pvm console)
  auto vm = testbed::VmState::require(vm_name);
  return testbed::in_host(vm, vm.master(), testbed::Layout::detect(), body);
}

}  // namespace snow::cli
