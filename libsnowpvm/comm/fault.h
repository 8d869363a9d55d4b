// Deliberate faults for the test suite, chosen with SNOW_FAULT (a comma
// separated list).  They exist to show that the checks can fail and that
// failure paths work; nothing enables them by default.
//   swap_delivery      deliver two messages of one sender in the wrong order, once
//   init_exit_rml      the initialized process dies after receiving the RML
//   init_exit_ready    the initialized process dies right after announcing itself
//   init_exit_late     the initialized process dies 1.5 s after receiving the
//                      RML, still granting connections and receiving messages
//                      meanwhile (so peers have sent it messages)
//   init_exit_state    the initialized process dies after receiving the state,
//                      before restoring and acknowledging it
//   init_exit_restored the initialized process dies after restoring the state
//                      and acknowledging it, before reporting restore_complete
//                      (so before the commit)
//   collect_fail       the source fails while collecting its state
//   real_parent        a spawned task takes pvm_parent()'s real tid for its
//                      parent, ignoring SNOW_SPAWNER (the bug spawner_env.h fixes)
//   no_home_agent      a task's first process exits after its migration
//                      instead of staying as its home agent (plain peers'
//                      messages to the task are then lost: plain_peers.sh)
// A task's SNOW_FAULT is handed to its continuations (the scheduler passes
// it to the extension that starts them).
#pragma once

namespace snow::comm {

enum class Fault { SwapDelivery, InitExitRml, InitExitReady, InitExitLate, InitExitState, InitExitRestored, CollectFail,
                   RealParent, NoHomeAgent };

bool fault_active(Fault f);
// Read SNOW_FAULT (again); the runtime does this at start-up.
void load_faults();

}  // namespace snow::comm
