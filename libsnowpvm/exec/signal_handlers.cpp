// Signal dispositions (signal, sigaction) move with the task.
//
// A PVM program that catches a signal sent with pvm_sendsig installs its
// handler once, at the start.  The kernel keeps dispositions per process,
// so the process a migration starts on the destination would have the
// default ones, and the first pvm_sendsig after a move would kill the task
// (SIGHUP, SIGTERM, SIGINT) or be lost.  The pre-compiler therefore
// replaces signal() and sigaction() by the twins below, which install the
// disposition as libc does and also record it in a table tracked as a root
// of the memory state (a handler travels by name, through the function
// table the pre-compiler builds); after a restore, reinstall() gives every
// recorded signal its disposition again.
//
// Recorded per signal: default / ignore / a handler, and for sigaction its
// flags (SA_SIGINFO, SA_RESTART, ...) and blocked-signal mask as signal
// numbers (the layout of sigset_t differs between architectures).
// SIGUSR1 and SIGUSR2 are SNOW's own (migration and disconnection
// requests): a program cannot take them (EINVAL, logged).
#include "libsnowpvm/exec/descriptors.h"
#include "libsnowpvm/exec/snow_exec.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <csignal>
#include <cstdint>

namespace {

// Signals 1..kSignals (Linux: 64) are recorded.
constexpr int kSignals = 64;

enum : int32_t { kUnset = 0, kDefault = 1, kIgnore = 2, kHandler = 3, kInfoHandler = 4 };

using Handler = void (*)(int);
using InfoHandler = void (*)(int, siginfo_t*, void*);

// Plain fields only: the table is described to the memory-state runtime.
struct SignalSlot {
  int32_t how;    // kUnset ... kInfoHandler
  int32_t flags;  // sa_flags (sigaction), 0 for signal()
  uint64_t mask;  // sa_mask: bit s-1 for signal s
  Handler fn;     // kHandler
  InfoHandler info_fn;  // kInfoHandler
};

SignalSlot g_signals[kSignals];

const snow_type kHandlerType = snow::exec::funcptr("void (*)(int)");
const snow_type kInfoHandlerType = snow::exec::funcptr("void (*)(int, siginfo_t *, void *)");
const snow_field kSlotFields[] = {
    snow::exec::field("how", &snow_type_int32, offsetof(SignalSlot, how)),
    snow::exec::field("flags", &snow_type_int32, offsetof(SignalSlot, flags)),
    snow::exec::field("mask", &snow_type_uint64, offsetof(SignalSlot, mask)),
    snow::exec::field("fn", &kHandlerType, offsetof(SignalSlot, fn)),
    snow::exec::field("info_fn", &kInfoHandlerType, offsetof(SignalSlot, info_fn)),
};
const snow_type kSlotType = snow::exec::record("struct snow_lib_signal_disposition", sizeof(SignalSlot),
                                               alignof(SignalSlot), 5, kSlotFields);

bool recordable(int sig) { return sig >= 1 && sig <= kSignals; }
bool reserved(int sig) { return sig == SIGUSR1 || sig == SIGUSR2; }

uint64_t mask_bits(const sigset_t& set) {
  uint64_t bits = 0;
  for (int s = 1; s <= kSignals; ++s)
    if (sigismember(&set, s) == 1) bits |= uint64_t{1} << (s - 1);
  return bits;
}

void mask_set(uint64_t bits, sigset_t& set) {
  sigemptyset(&set);
  for (int s = 1; s <= kSignals; ++s)
    if (bits & (uint64_t{1} << (s - 1))) sigaddset(&set, s);
}

void record(int sig, const struct sigaction& sa) {
  SignalSlot& slot = g_signals[sig - 1];
  slot = SignalSlot{};
  slot.flags = static_cast<int32_t>(sa.sa_flags);
  slot.mask = mask_bits(sa.sa_mask);
  if (sa.sa_flags & SA_SIGINFO) {
    slot.how = kInfoHandler;
    slot.info_fn = sa.sa_sigaction;
  } else if (sa.sa_handler == SIG_DFL) {
    slot.how = kDefault;
  } else if (sa.sa_handler == SIG_IGN) {
    slot.how = kIgnore;
  } else {
    slot.how = kHandler;
    slot.fn = sa.sa_handler;
  }
}

int refuse_reserved(int sig, const char* call) {
  spdlog::error("{}: signal {} is SNOW's own (migration requests); the program cannot take it", call, sig);
  errno = EINVAL;
  return -1;
}

// Registered before main(), so that a destination knows this root when the
// source's state names it.
__attribute__((constructor)) void track_signal_dispositions() {
  if (snow_track(g_signals, snow_array_of(&kSlotType, kSignals), "libc:signal.dispositions") < 0)
    spdlog::warn("exec: cannot register the signal dispositions; handlers will not move");
}

}  // namespace

namespace snow::exec {

void reinstall_signal_handlers() {
  for (int sig = 1; sig <= kSignals; ++sig) {
    const SignalSlot& slot = g_signals[sig - 1];
    if (slot.how == kUnset || reserved(sig)) continue;
    struct sigaction sa {};
    mask_set(slot.mask, sa.sa_mask);
    sa.sa_flags = slot.flags;
    switch (slot.how) {
      case kDefault: sa.sa_handler = SIG_DFL; break;
      case kIgnore: sa.sa_handler = SIG_IGN; break;
      case kHandler: sa.sa_handler = slot.fn; break;
      case kInfoHandler: sa.sa_sigaction = slot.info_fn; break;
      default:
        spdlog::error("exec: signal {}: unknown recorded disposition {}; left as it is", sig, slot.how);
        continue;
    }
    if (::sigaction(sig, &sa, nullptr) != 0)
      spdlog::error("exec: signal {}: the disposition cannot be installed again here", sig);
    else
      spdlog::info("exec: signal {}: disposition installed again", sig);
  }
}

}  // namespace snow::exec

extern "C" {

void (*snow_exec_signal(int sig, void (*handler)(int)))(int) {
  if (reserved(sig)) {
    refuse_reserved(sig, "signal");
    return SIG_ERR;
  }
  Handler old = std::signal(sig, handler);
  if (old != SIG_ERR && recordable(sig)) {
    struct sigaction now {};
    if (::sigaction(sig, nullptr, &now) == 0) record(sig, now);
  }
  return old;
}

int snow_exec_sigaction(int sig, const struct sigaction* act, struct sigaction* oldact) {
  if (act && reserved(sig)) return refuse_reserved(sig, "sigaction");
  int rc = ::sigaction(sig, act, oldact);
  if (rc == 0 && act && recordable(sig)) record(sig, *act);
  return rc;
}

}  // extern "C"
