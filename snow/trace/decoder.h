// Decoding PVM 3.4 trace messages (pvmtev.h records) into events, from an
// abstract unpacker so that the logic runs without PVM (unit tests).
//
// A message holds one record, or several wrapped in TEV_MARK_EVENT_BUFFER
// ... _END:
//   TEV_MARK_EVENT_DESC, eid, name, then per item: did, type, [count], value
//     (or values); TEV_MARK_EVENT_DESC_END.  Describes the event id for this
//     sender and is an event itself.
//   TEV_MARK_EVENT_RECORD, eid, then the values only, in the descriptor's
//     item order; TEV_MARK_EVENT_RECORD_END.
//   TEV_MARK_USER_EVENT_RECORD, eid, name, seconds, microseconds, then per
//     item: type, [count], value; TEV_MARK_USER_EVENT_RECORD_END.
//   TEV_MARK_DATA_ID, then did, name, description ... TEV_MARK_DATA_ID_END
//     (a data id table; read and ignored).
// Descriptors are kept per (sender's real tid, event id with its entry/exit
// bits), as PVM's tracer keeps them.  Anything malformed, truncated, too
// large (limits.h) or referring to an undescribed event ends the decoding
// of that message with a clear error; the events decoded before stay.
#pragma once

#include "snow/trace/event.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace snow::cli::trace {

// Where the values of one message come from.  Every call returns false
// when the message has no more (or not that) data.
class Unpacker {
 public:
  virtual ~Unpacker() = default;
  virtual bool get_int(int& out) = 0;
  // At most `max` bytes: a longer string is refused (false), never read.
  virtual bool get_string(std::string& out, std::size_t max) = 0;
  // Consume `count` values of a pvmtev.h TEV_DATA_* type other than
  // INT/UINT/STRING (bytes, floats, doubles, ...).
  virtual bool skip(int type, std::size_t count) = 0;
};

struct DecodeResult {
  std::vector<Event> events;
  std::string error;  // empty: the whole message was decoded
};

class Decoder {
 public:
  DecodeResult decode(int src, Unpacker& in);
  std::size_t descriptor_count() const { return descriptors_.size(); }

 private:
  struct Slot {
    int did;
    int type;  // with TEV_DATA_ARRAY
  };
  struct Descriptor {
    std::string name;
    std::vector<Slot> slots;
  };
  std::map<std::pair<int, int>, Descriptor> descriptors_;  // (src, eid)
};

// pvmtev.h data id names (TEV_DID_TID -> "TID"), "D<n>" for others; and back.
std::string did_name(int did);
std::optional<int> did_from_name(const std::string& name);

}  // namespace snow::cli::trace
