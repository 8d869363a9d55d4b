// One PVM trace event as `snow trace` keeps it: decoded from a trace
// message (decoder.h), written to and read from the event log
// (event_log.h), turned into the run model (model.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace snow::cli::trace {

enum class Phase { Entry, Exit, None, User };  // pvmtev.h TEV_EVENT_ENTRY / _EXIT / neither; a user-defined record

// One data item.  Standard records name it by its data id (pvmtev.h
// TEV_DID_*); the items of a user-defined record have no id (did = -1) and
// are known by position.  Integers (TEV_DATA_INT / UINT) and strings are
// kept; items of other types are consumed and kept as `skipped`.
struct Item {
  int did = -1;
  bool array = false;
  bool is_string = false;
  bool skipped = false;
  std::vector<int> ints;      // one value for a scalar
  std::string text;           // is_string
};

struct Event {
  int sec = 0, usec = 0;      // the record's time stamp
  int src = 0;                // the real tid the record came from
  std::string host, arch;     // the sender's host as the collector saw it ("?" if not known)
  std::string name;           // libpvm's name of the event ("send", "snow_commit", ...)
  int kind = -1;              // the event id without entry/exit bits (TEV_SEND, ..., TEV_USER_DEFINED)
  Phase phase = Phase::None;
  std::vector<Item> items;    // without the time stamp items

  double time() const { return sec + usec / 1e6; }
  // The first integer of the item with this data id.
  std::optional<int> int_item(int did) const;
  const Item* item(int did) const;
};

}  // namespace snow::cli::trace
