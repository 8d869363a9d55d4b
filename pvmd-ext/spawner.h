// Starts the initialized process of a migration on this host when the
// scheduler asks (seed 001 Sec. 2.2 "process initialization"): the same
// program and arguments, SNOW_RESTORE=<mig>:<vtid> in its environment,
// the application's message context and the original task's output
// destination, so that nothing about it differs from the task it
// continues.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <string>

namespace snow::ext {

class Spawner {
 public:
  explicit Spawner(std::string host) : host_(std::move(host)) {}
  wire::SpawnResult spawn(const wire::SpawnInit& m);

 private:
  std::string host_;
};

}  // namespace snow::ext
