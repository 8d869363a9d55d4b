// SIGUSR1 asks for a migration, SIGUSR2 announces a disconnection (seed
// 001 Sec. 5.2).  libpvm is not async-signal-safe, so the handlers only
// set flags; the work happens at the next safe point (any snow_* call or
// poll-point).  See doc/protocol.md for the latency this implies.
#pragma once

#include <csignal>

namespace snow::comm::signals {

extern volatile sig_atomic_t migrate_signalled;
extern volatile sig_atomic_t disconnect_signalled;

// Install both handlers (SA_RESTART, so application system calls are not
// interrupted).  Idempotent.
void install();

}  // namespace snow::comm::signals
