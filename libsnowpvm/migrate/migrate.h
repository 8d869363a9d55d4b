// migrate() on the migrating process (seed 001 Fig. 5), in two halves so
// that pre-compiled programs can unwind their stack in between
// (snow_migrate_begin / snow_migrate_finish in snowpvm.h):
//
//   begin():  Start (lines 2-3) -> Handshake (pre-flight on the
//             destination's Platform) -> Settle -> Reject (line 4) ->
//             Notify (line 5) -> Drain (line 6) -> Close (line 7) ->
//             ShipRml (line 8)
//   finish(): Collect (line 9) -> Transfer (line 10) -> AwaitCommit ->
//             Exit (line 11)
//
// One log line per phase: "migrate: phase=Drain mig=7 ...".  Until the
// scheduler commits, any failure ends in Abort: the extension takes
// connection requests again, the scheduler marks the task running here,
// and the process carries on with its received-message list and state
// untouched (doc/design/comm-protocol.md, "Beyond the paper").
#pragma once

#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/migrate/state_stream.h"
#include "libsnowpvm/util/platform.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace snow::migrate {

class Migration {
 public:
  Migration(comm::Runtime& rt, int mig);
  // 0: the process is committed to leave (call finish()); negative: the
  // migration was refused or aborted and the process carries on.
  int begin();
  // Does not return when the destination commits; otherwise aborts and
  // returns a negative status.
  int finish();
  int mig() const { return mig_; }

 private:
  using Clock = std::chrono::steady_clock;
  void phase(const char* name, std::string_view detail = {});  // logs; SNOW trace events (phase_events.h)
  bool abort_received();
  bool scheduler_lost() const;
  std::optional<comm::Delivered> await(wire::Kind kind, std::chrono::milliseconds timeout);
  bool settle();
  bool reject_conn_reqs();
  void notify_peers();
  bool drain();
  void ship_rml();
  // Failure after the point where peers were involved: ask the scheduler
  // to abort, then resume here.  Returns SnowMigrateFail.
  int fail(const std::string& why);
  int resume(const std::string& why);

  comm::Runtime& rt_;
  int mig_;
  int sched_ = 0;
  int losses_ = 0;
  int new_real_ = 0;
  std::size_t shipped_ = 0;  // entries of the received-message list shipped
  bool held_home_ = false;   // the home agent holds the task's messages for us
  bool rejecting_ = false;
  std::optional<std::string> abort_reason_;
  std::string drain_failure_;
  std::unique_ptr<StateStream> stream_;
  std::optional<std::string> stdout_line_;  // taken at Collect, until Exit or Abort
  Platform dst_;
  Clock::time_point t0_, coord_start_;
  wire::StateSent timings_;
};

// Fig. 5 lines 1-8 / 9-11 for the C API; migrate_and_exit() is both, for
// hand-written programs (returns only when the migration did not happen).
int migrate_begin(comm::Runtime& rt, int mig);
int migrate_finish(comm::Runtime& rt);
int migrate_and_exit(comm::Runtime& rt, int mig);

}  // namespace snow::migrate
