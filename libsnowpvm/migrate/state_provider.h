// The seam between the migration protocol (communication state, seed 001)
// and the memory/execution state (MSR, seed 000).  migrate() and
// initialize() move connections and messages themselves and hand the rest
// to the installed StateProvider.
#pragma once

#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/platform.h"

#include <string>

namespace snow::migrate {

// The state cannot live on the destination (e.g. a 64-bit long holding a
// value an i386 long cannot represent).  Thrown by the pre-flight check,
// before the source has stopped anything.
class NotMigratable : public Error {
 public:
  NotMigratable(const std::string& variable, const std::string& why)
      : Error("cannot migrate: " + variable + ": " + why), variable_(variable) {}
  const std::string& variable() const { return variable_; }

 private:
  std::string variable_;
};

class StateProvider {
 public:
  virtual ~StateProvider() = default;
  // Pre-flight: throw NotMigratable when the state cannot live on `dst`.
  // Runs before Fig. 5 line 4, so a refusal leaves the process untouched.
  virtual void check(const Platform& dst) = 0;
  // Fig. 5 lines 9-10: write the memory and execution state to `out`.
  virtual void collect(ByteSink& out, const Platform& dst) = 0;
  // Fig. 7 lines 4 and 8: read the state from `in` and rebuild it here.
  // Throws snow::Error on a corrupt or incompatible stream.
  virtual void restore(ByteSource& in) = 0;
};

// The provider in use.  The memory-state runtime installs itself; tests
// may install their own.  Never null.
StateProvider& state_provider();
void set_state_provider(StateProvider* p);

}  // namespace snow::migrate
