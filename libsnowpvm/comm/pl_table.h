// The process-location (PL) table of seed 001 (Sec. 2.1): virtual tid ->
// current real tid, filled on demand (from connection requests that
// arrive and from scheduler lookups after a conn_nack), never broadcast.
// A reverse map labels incoming messages with their sender's virtual tid;
// old real tids stay mapped, so messages still in flight from a task's
// previous incarnation keep their label.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <unordered_map>
#include <vector>

namespace snow::comm {

struct Location {
  int real = 0;
  // The task is migrating and `real` is its initialized process, not yet
  // committed (doc/design/comm-protocol.md, "Beyond the paper").
  bool provisional = false;
  int mig = 0;
};

class PlTable {
 public:
  // Where `vtid` is, as far as this process knows.  A task never heard of
  // is where it started: its virtual tid is its first real tid.
  Location find(int vtid) const;
  void set(int vtid, const Location& where);
  // Virtual tid of the task that sent from `real` (itself when unknown).
  int vtid_of(int real) const;
  std::vector<wire::PlEntry> entries() const;
  // Some task's location is provisional (copies may be kept for it).
  bool any_provisional() const;
  // Merge entries from another process's table; ours win (they are newer).
  void merge_older(const std::vector<wire::PlEntry>& older);

 private:
  std::unordered_map<int, Location> loc_;
  std::unordered_map<int, int> vtid_of_real_;
};

}  // namespace snow::comm
