// Which of SNOW's trace events (comm/trace_snow_events.h) a migration
// phase stands for: the source's phases (Migration::phase, migrate.h) and
// the destination's (Initializer, initialize.h), one small table, so the
// protocol code only names its phases.
#pragma once

#include "libsnowpvm/comm/trace_snow_events.h"

#include <string_view>
#include <vector>

namespace snow::migrate {

enum class Side { Source, Destination };

// The events a phase emits, in order (none for most phases).
std::vector<comm::trace::SnowEvent> phase_events(Side side, std::string_view phase);

// Emits them for task `vtid`, when this process is traced.
void trace_phase(Side side, std::string_view phase, int vtid, int mig, std::string_view detail = {});

}  // namespace snow::migrate
