#include "libsnowpvm/migrate/disconnect.h"

#include "libsnowpvm/comm/runtime.h"

#include <spdlog/spdlog.h>

namespace snow::migrate {

// Fig. 6.  The dispatcher does lines 2-3 for every peer_migrating it sees
// (closes the channel, answers end-of-messages, counts Closed_conn), so
// here we only make sure the one this signal announced has been seen.
//
// Line 2 waits for it.  Unlike an interrupt handler, a safe point may
// find the signal alone: two signals can merge into one, and a migrating
// peer re-signals peers that are slow to answer (Migrate::Drain).  So the
// wait is bounded; a marker that arrives later is answered at the next
// safe point or receive, and the migrating peer's re-signal brings us
// back.  Correctness never depends on the count, only latency does.
void DisconnectionHandler::run() {
  using namespace std::chrono_literals;
  if (rt_.closed_conn == 0) {  // line 1
    rt_.wait_until([&] { return rt_.closed_conn > 0; }, 200ms);  // lines 2-3
    if (rt_.closed_conn == 0) {
      spdlog::debug("disconnect: signal without a peer_migrating yet");
      return;
    }
  }
  --rt_.closed_conn;  // lines 4-5
}

}  // namespace snow::migrate
