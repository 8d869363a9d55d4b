// The scheduler's PVM edge: takes a message, decodes it and calls the
// typed Scheduler.  Parsing stays here; malformed or unexpected messages
// are logged with their source and dropped.
#pragma once

#include "libsnowpvm/comm/pvm_io.h"
#include "scheduler/pvm_env.h"
#include "scheduler/scheduler.h"

namespace snow::sched {

class Server {
 public:
  Server(Scheduler& s, PvmEnv& env) : sched_(s), env_(env) {}
  void handle(const pvmio::Incoming& in);

 private:
  void handle_control(const pvmio::Incoming& in);
  Scheduler& sched_;
  PvmEnv& env_;
};

}  // namespace snow::sched
