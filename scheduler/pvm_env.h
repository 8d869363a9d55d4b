// The scheduler's Env on real PVM daemons.
#pragma once

#include "scheduler/scheduler.h"

#include <unordered_set>

namespace snow::sched {

class PvmEnv final : public Env {
 public:
  void send(int tid, const wire::Message& m) override;
  void signal(int tid, int sig) override;
  void kill(int tid) override;
  void watch_exit(int tid) override;
  std::vector<HostInfo> hosts() override;
  uint64_t unix_ms() override;
  void trace(const SchedTraceEvent& ev) override { send_sched_event(ev); }
  // Hosts leaving the virtual machine are reported as kTagHostDelete.
  void watch_hosts();

 private:
  std::unordered_set<int> watched_, watched_hosts_;
};

}  // namespace snow::sched
