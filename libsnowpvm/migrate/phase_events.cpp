#include "libsnowpvm/migrate/phase_events.h"

#include "libsnowpvm/comm/trace_snow_emit.h"

namespace snow::migrate {
namespace {

using comm::trace::SnowEvent;

struct PhaseEvents {
  Side side;
  std::string_view phase;
  std::vector<SnowEvent> events;
};

// Source: Fig. 5 (migrate.h); destination: Fig. 7 (initialize.h).
const std::vector<PhaseEvents>& table() {
  static const std::vector<PhaseEvents> t = {
      {Side::Source, "Start", {SnowEvent::MigrateRequest}},         // line 2: it acts on the request
      {Side::Source, "Reject", {SnowEvent::CoordStart}},            // lines 4-5
      {Side::Source, "ShipRml", {SnowEvent::CoordEnd}},             // after lines 6-7, before line 8
      {Side::Source, "Collect", {SnowEvent::XferStart}},            // line 9
      {Side::Source, "AwaitCommit", {SnowEvent::XferEnd}},          // line 10 done: acknowledged
      {Side::Source, "Refused", {SnowEvent::Abort}},                // pre-flight said no
      {Side::Source, "Abort", {SnowEvent::Abort}},                  // carries on here
      {Side::Destination, "ReceiveState", {SnowEvent::XferStart}},  // line 4
      {Side::Destination, "Restore", {SnowEvent::XferEnd, SnowEvent::RestoreStart}},
      {Side::Destination, "RestoreComplete", {SnowEvent::RestoreEnd}},  // line 5
      {Side::Destination, "Commit", {SnowEvent::Commit}},               // line 7
      {Side::Destination, "GiveUp", {SnowEvent::Abort}},                // the process ends
  };
  return t;
}

}  // namespace

std::vector<SnowEvent> phase_events(Side side, std::string_view phase) {
  for (const auto& p : table())
    if (p.side == side && p.phase == phase) return p.events;
  return {};
}

void trace_phase(Side side, std::string_view phase, int vtid, int mig, std::string_view detail) {
  for (SnowEvent e : phase_events(side, phase)) comm::trace::snow_event(e, vtid, mig, 0, detail);
}

}  // namespace snow::migrate
