// The received-message list (seed 001 Sec. 3.1.1, Fig. 4): every message
// taken off the channels waits here, in arrival order, until the
// application asks for it.  Entries are detached libpvm buffers whose
// source field already holds the sender's virtual tid.
#pragma once

#include <deque>
#include <optional>
#include <vector>

namespace snow::comm {

struct RmlEntry {
  int bufid = 0;
  int src = 0;  // virtual tid
  int tag = 0;
  int ctx = 0;
};

class Rml {
 public:
  void push_back(const RmlEntry& e) { list_.push_back(e); }
  // Fig. 7 line 3: the migrating process's list goes in front of ours.
  void prepend(const std::vector<RmlEntry>& older);
  // The first entry matching like pvm_recv: tid/tag -1 match anything,
  // ctx must equal `ctx` unless `ctx` is -1.
  std::optional<RmlEntry> find(int tid, int tag, int ctx) const;
  // Remove and return the first match.
  std::optional<RmlEntry> take(int tid, int tag, int ctx);
  // Remove and return the entry of buffer `bufid`.
  std::optional<RmlEntry> take_buffer(int bufid);
  size_t size() const { return list_.size(); }
  const std::deque<RmlEntry>& entries() const { return list_; }
  // Test-only fault injection: swap the first two entries from `src`
  // with tag `tag`.
  bool swap_first_two_from(int src, int tag);

 private:
  std::deque<RmlEntry> list_;
};

// An RmlEntry for a buffer libpvm just handed over (reads its header).
RmlEntry rml_entry_of(int bufid);

}  // namespace snow::comm
