#include "snow/trace/decoder.h"

#include "snow/trace/limits.h"

#include <pvmtev.h>

#include <array>
#include <string_view>

namespace snow::cli::trace {
namespace {

// The data ids a space-time diagram needs, by their pvmtev.h short names.
struct DidName {
  int did;
  std::string_view name;
};
constexpr std::array kDidNames{
    DidName{TEV_DID_CC, "CC"},   DidName{TEV_DID_MC, "MC"},   DidName{TEV_DID_MCX, "MCX"},
    DidName{TEV_DID_MB, "MB"},   DidName{TEV_DID_MNB, "MNB"}, DidName{TEV_DID_SRC, "SRC"},
    DidName{TEV_DID_DST, "DST"}, DidName{TEV_DID_MDL, "MDL"}, DidName{TEV_DID_RST, "RST"},
    DidName{TEV_DID_RMC, "RMC"}, DidName{TEV_DID_RCX, "RCX"}, DidName{TEV_DID_TID, "TID"},
    DidName{TEV_DID_PT, "PT"},   DidName{TEV_DID_MT, "MT"},   DidName{TEV_DID_TN, "TN"},
    DidName{TEV_DID_TF, "TF"},   DidName{TEV_DID_HN, "HN"},
    DidName{TEV_DID_HA, "HA"},   DidName{TEV_DID_PID, "PID"}, DidName{TEV_DID_SN, "SN"},
    DidName{TEV_DID_SF, "SF"},   DidName{TEV_DID_SW, "SW"},   DidName{TEV_DID_SC, "SC"},
    DidName{TEV_DID_STL, "STL"}, DidName{TEV_DID_OS, "OS"},   DidName{TEV_DID_AN, "AN"},
    DidName{TEV_DID_TS, "TS"},   DidName{TEV_DID_TU, "TU"},   DidName{TEV_DID_PC, "PC"},
    DidName{TEV_DID_PDT, "PDT"}};

class Failure {
 public:
  explicit Failure(std::string why) : why_(std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

int need_int(Unpacker& in, const char* what) {
  int v = 0;
  if (!in.get_int(v)) throw Failure(std::string("truncated: no ") + what);
  return v;
}

std::string need_string(Unpacker& in, const char* what) {
  std::string s;
  if (!in.get_string(s, limits::kMaxString))
    throw Failure(std::string("truncated or longer than ") + std::to_string(limits::kMaxString) +
                  " bytes: " + what);
  return s;
}

bool known_type(int base) {
  return base >= TEV_DATA_NULL && base <= TEV_DATA_STRING;
}

// One value (or array of values) of this type.
Item read_value(Unpacker& in, int did, int type) {
  Item it;
  it.did = did;
  it.array = (type & TEV_DATA_ARRAY) != 0;
  const int base = type & ~TEV_DATA_ARRAY;
  if ((type & ~(TEV_DATA_ARRAY | 0x7f)) != 0 || !known_type(base))
    throw Failure("unknown data type " + std::to_string(type) + " (data id " + std::to_string(did) + ")");
  std::size_t count = 1;
  if (it.array) {
    int n = need_int(in, "array count");
    if (n < 0 || static_cast<std::size_t>(n) > limits::kMaxArray)
      throw Failure("array count " + std::to_string(n) + " out of range (0.." + std::to_string(limits::kMaxArray) +
                    ")");
    count = static_cast<std::size_t>(n);
  }
  if (base == TEV_DATA_INT || base == TEV_DATA_UINT) {
    it.ints.reserve(count);
    for (std::size_t k = 0; k < count; ++k) it.ints.push_back(need_int(in, "integer value"));
  } else if (base == TEV_DATA_STRING) {
    it.is_string = true;
    for (std::size_t k = 0; k < count; ++k) {
      std::string s = need_string(in, "string value");
      if (k == 0) it.text = std::move(s);  // arrays of strings: the first one is kept
    }
  } else if (base == TEV_DATA_NULL) {
    it.skipped = true;
  } else {
    it.skipped = true;
    if (!in.skip(base, count)) throw Failure("truncated: values of type " + std::to_string(base));
  }
  return it;
}

// The time stamp items become the event's time.
void take_time(Event& e) {
  std::vector<Item> rest;
  for (auto& it : e.items) {
    if (it.did == TEV_DID_TS && !it.ints.empty()) e.sec = it.ints[0];
    else if (it.did == TEV_DID_TU && !it.ints.empty()) e.usec = it.ints[0];
    else rest.push_back(std::move(it));
  }
  e.items = std::move(rest);
}

void set_id(Event& e, int eid) {
  e.kind = eid & ~(TEV_EVENT_ENTRY | TEV_EVENT_EXIT);
  e.phase = (eid & TEV_EVENT_ENTRY) ? Phase::Entry : (eid & TEV_EVENT_EXIT) ? Phase::Exit : Phase::None;
}

}  // namespace

std::string did_name(int did) {
  for (const auto& d : kDidNames)
    if (d.did == did) return std::string(d.name);
  return "D" + std::to_string(did);
}

std::optional<int> did_from_name(const std::string& name) {
  for (const auto& d : kDidNames)
    if (d.name == name) return d.did;
  if (name.size() >= 2 && name.size() <= 4 && name[0] == 'D') {
    int v = 0;
    for (std::size_t k = 1; k < name.size(); ++k) {
      if (name[k] < '0' || name[k] > '9') return std::nullopt;
      v = v * 10 + (name[k] - '0');
    }
    return v;
  }
  return std::nullopt;
}

DecodeResult Decoder::decode(int src, Unpacker& in) {
  DecodeResult out;
  try {
    int nest = 0;
    int marker = need_int(in, "record marker");
    if (marker > 0) throw Failure("a PVM 3.3 trace record (not supported; PVM 3.4 records expected)");
    for (std::size_t records = 0;; ++records) {
      if (records > limits::kMaxRecordsPerMessage)
        throw Failure("more than " + std::to_string(limits::kMaxRecordsPerMessage) + " records in one message");
      switch (marker) {
        case TEV_MARK_EVENT_BUFFER:
          if (++nest > limits::kMaxNesting) throw Failure("event buffers nested too deep");
          break;
        case TEV_MARK_EVENT_BUFFER_END:
          if (nest == 0) throw Failure("an event buffer end without its start");
          --nest;
          break;
        case TEV_MARK_DATA_ID:
          for (std::size_t k = 0;; ++k) {
            if (k > limits::kMaxItems * 4) throw Failure("data id table too long");
            int did = need_int(in, "data id");
            if (did == TEV_MARK_DATA_ID_END) break;
            need_string(in, "data id name");
            need_string(in, "data id description");
          }
          break;
        case TEV_MARK_EVENT_DESC: {
          int eid = need_int(in, "event id");
          Descriptor d;
          d.name = need_string(in, "event name");
          Event e;
          e.src = src;
          e.name = d.name;
          set_id(e, eid);
          for (;;) {
            int did = need_int(in, "data id");
            if (did == TEV_MARK_EVENT_DESC_END) break;
            if (did < 0) throw Failure("marker " + std::to_string(did) + " inside a descriptor of " + d.name);
            if (d.slots.size() >= limits::kMaxItems)
              throw Failure("more than " + std::to_string(limits::kMaxItems) + " items in " + d.name);
            int type = need_int(in, "data type");
            e.items.push_back(read_value(in, did, type));
            d.slots.push_back({did, type});
          }
          auto key = std::make_pair(src, eid);
          if (!descriptors_.count(key) && descriptors_.size() >= limits::kMaxDescriptors)
            throw Failure("more than " + std::to_string(limits::kMaxDescriptors) + " event descriptors");
          descriptors_[key] = std::move(d);
          take_time(e);
          out.events.push_back(std::move(e));
          break;
        }
        case TEV_MARK_EVENT_RECORD: {
          int eid = need_int(in, "event id");
          auto it = descriptors_.find({src, eid});
          if (it == descriptors_.end())
            throw Failure("event id " + std::to_string(eid) + " was never described by this sender");
          Event e;
          e.src = src;
          e.name = it->second.name;
          set_id(e, eid);
          for (const Slot& s : it->second.slots) e.items.push_back(read_value(in, s.did, s.type));
          if (need_int(in, "record end") != TEV_MARK_EVENT_RECORD_END)
            throw Failure("record of " + e.name + " does not end where its descriptor says");
          take_time(e);
          out.events.push_back(std::move(e));
          break;
        }
        case TEV_MARK_USER_EVENT_RECORD: {
          int eid = need_int(in, "event id");
          Event e;
          e.src = src;
          e.name = need_string(in, "user event name");
          set_id(e, eid);
          e.phase = Phase::User;
          e.sec = need_int(in, "seconds");
          e.usec = need_int(in, "microseconds");
          for (;;) {
            int type = need_int(in, "data type");
            if (type == TEV_MARK_USER_EVENT_RECORD_END) break;
            if (e.items.size() >= limits::kMaxItems)
              throw Failure("more than " + std::to_string(limits::kMaxItems) + " items in " + e.name);
            e.items.push_back(read_value(in, -1, type));
          }
          out.events.push_back(std::move(e));
          break;
        }
        default:
          throw Failure("unknown record marker " + std::to_string(marker));
      }
      if (nest == 0) break;
      marker = need_int(in, "record marker");
    }
    int extra = 0;
    if (in.get_int(extra)) throw Failure("data after the last record");
  } catch (const Failure& f) {
    out.error = f.why();
  }
  return out;
}

std::optional<int> Event::int_item(int did) const {
  const Item* it = item(did);
  if (!it || it->ints.empty()) return std::nullopt;
  return it->ints[0];
}

const Item* Event::item(int did) const {
  for (const auto& it : items)
    if (it.did == did) return &it;
  return nullptr;
}

}  // namespace snow::cli::trace
