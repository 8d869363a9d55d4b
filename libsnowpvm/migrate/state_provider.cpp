// The StateProvider registry (state_provider.h).  Until the memory-state
// runtime installs itself, the interim BasicStateProvider is used.
#include "libsnowpvm/migrate/state_provider.h"

#include "libsnowpvm/migrate/basic_state.h"

namespace snow::migrate {
namespace {

StateProvider* g_installed = nullptr;

}  // namespace

StateProvider& state_provider() { return g_installed ? *g_installed : basic_state_provider(); }

void set_state_provider(StateProvider* p) { g_installed = p; }

}  // namespace snow::migrate
