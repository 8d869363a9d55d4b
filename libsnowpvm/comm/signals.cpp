#include "libsnowpvm/comm/signals.h"

#include "snowpvm.h"

#include <cstring>

extern "C" {
volatile int snow_poll_pending = 0;
}

namespace snow::comm::signals {

volatile sig_atomic_t migrate_signalled = 0;
volatile sig_atomic_t disconnect_signalled = 0;

namespace {

extern "C" void on_sigusr1(int) {
  migrate_signalled = 1;
  snow_poll_pending = 1;
}

extern "C" void on_sigusr2(int) {
  disconnect_signalled = 1;
  snow_poll_pending = 1;
}

bool installed = false;

}  // namespace

void install() {
  if (installed) return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sa.sa_handler = on_sigusr1;
  sigaction(SIGUSR1, &sa, nullptr);
  sa.sa_handler = on_sigusr2;
  sigaction(SIGUSR2, &sa, nullptr);
  installed = true;
}

}  // namespace snow::comm::signals
