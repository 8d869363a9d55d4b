// Which SNOW event (libsnowpvm/comm/trace_snow_events.h) a user-defined
// record is.  Two spellings are read: the record named after the event
// ("snow_commit", the first emitter), or named as libpvm names every
// user-defined record ("user_defined", which PVM's tracer needs) with the
// event's name as the eighth item, after the seven of the contract.
#pragma once

#include "libsnowpvm/comm/trace_snow_events.h"
#include "snow/trace/event.h"

#include <optional>

namespace snow::cli::trace {

inline constexpr std::size_t kSnowNameItemIndex = 7;

inline std::optional<comm::trace::SnowEvent> snow_event_of(const Event& e) {
  if (e.phase != Phase::User) return std::nullopt;
  if (auto k = comm::trace::snow_event_from_name(e.name)) return k;
  if (e.name == "user_defined" && e.items.size() > kSnowNameItemIndex && e.items[kSnowNameItemIndex].is_string)
    return comm::trace::snow_event_from_name(e.items[kSnowNameItemIndex].text);
  return std::nullopt;
}

}  // namespace snow::cli::trace
