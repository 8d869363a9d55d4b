// Signal dispositions the program installed (signal, sigaction: the
// pre-compiler's snow_exec_signal/snow_exec_sigaction) move with the task
// (signal_handlers.cpp).
#pragma once

namespace snow::exec {

// After a restore: give every recorded signal its disposition again.
void reinstall_signal_handlers();

}  // namespace snow::exec
