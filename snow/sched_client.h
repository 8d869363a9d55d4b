// The operator side of the scheduler protocol: `snow migrate`, `snow ps`,
// `snow history` and the benchmark talk to "snow.scheduler" through this.
// The caller must already be a PVM task of the virtual machine (inside a
// virtual host, see testbed/host_enter.h).
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <chrono>
#include <string>

namespace snow::cli {

class SchedulerClient {
 public:
  // Throws snow::Error when no scheduler is published in PVM's mailbox.
  SchedulerClient();
  wire::MigrateResult migrate(int vtid, const std::string& host, std::chrono::seconds timeout);
  wire::PsReply ps();
  wire::HistoryReply history();
  wire::CheckpointResult checkpoint(int vtid, const std::string& file, bool stop, std::chrono::seconds timeout);
  int tid() const { return sched_; }

 private:
  wire::Message call(const wire::Message& q, wire::Kind reply, int req, std::chrono::seconds timeout);
  int sched_ = 0;
  int next_req_ = 1;
};

// "t40003", "0x40003" or "40003" (hex, as PVM prints tids).
int parse_tid(const std::string& s);

// Human-readable "1.234 ms".
std::string format_us(uint64_t us);

}  // namespace snow::cli
