// initialize() on the initialized process (seed 001 Fig. 7), run by
// snow_start() in a process started with SNOW_RESTORE.  Phases, one log
// line each ("init: phase=AwaitRml mig=7 ..."):
//
//   Listen (line 1: connection requests are granted from here on) ->
//   Handshake (our Platform to the source) -> AwaitRml (line 2) ->
//   PrependRml (line 3) -> ReceiveState (line 4) -> Restore (line 8,
//   moved before line 5, see below) -> RestoreComplete (line 5) ->
//   AwaitCommit (line 6) -> Commit (line 7) -> Resume
//
// We restore the state before reporting restore_complete: a state that
// cannot be restored then aborts the migration while the source can still
// carry on.  Until the commit this process is provisional: on any failure
// it exits and the scheduler aborts the migration.
#pragma once

namespace snow::comm {
class Runtime;
}

namespace snow::migrate {

class Initializer {
 public:
  explicit Initializer(comm::Runtime& rt) : rt_(rt) {}
  // 1 when the process is now the migrated task; exits otherwise.
  int run();

 private:
  [[noreturn]] void give_up(const char* why);
  comm::Runtime& rt_;
};

}  // namespace snow::migrate
