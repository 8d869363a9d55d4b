#include "libsnowpvm/comm/fault.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <sstream>
#include <string>

namespace snow::comm {
namespace {

unsigned g_faults = 0;

unsigned bit(Fault f) { return 1u << static_cast<unsigned>(f); }

}  // namespace

bool fault_active(Fault f) { return (g_faults & bit(f)) != 0; }

void load_faults() {
  g_faults = 0;
  const char* v = std::getenv("SNOW_FAULT");
  if (!v || !*v) return;
  std::stringstream in(v);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "swap_delivery") g_faults |= bit(Fault::SwapDelivery);
    else if (item == "init_exit_rml") g_faults |= bit(Fault::InitExitRml);
    else if (item == "init_exit_ready") g_faults |= bit(Fault::InitExitReady);
    else if (item == "init_exit_late") g_faults |= bit(Fault::InitExitLate);
    else if (item == "init_exit_state") g_faults |= bit(Fault::InitExitState);
    else if (item == "init_exit_restored") g_faults |= bit(Fault::InitExitRestored);
    else if (item == "collect_fail") g_faults |= bit(Fault::CollectFail);
    else if (item == "real_parent") g_faults |= bit(Fault::RealParent);
    else if (item == "no_home_agent") g_faults |= bit(Fault::NoHomeAgent);
    else spdlog::warn("fault: unknown SNOW_FAULT item '{}' ignored", item);
  }
  if (g_faults) spdlog::warn("fault: injecting {}", v);
}

}  // namespace snow::comm
