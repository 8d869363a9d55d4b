// Where the other hosts' extensions are: "snow.ext.<host>" in PVM's
// mailbox, by the host part of a task id.  Hosts that leave the virtual
// machine are watched (pvm_notify PvmHostDelete) and forgotten.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace snow::ext {

class Directory {
 public:
  explicit Directory(int my_tid) : my_tid_(my_tid) {}
  bool is_local(int tid) const;
  // Extension serving the host of `tid`; 0 when there is none (host gone).
  int ext_for(int tid);
  // Ask pvmd to tell us when the host of `tid` leaves.
  void watch_host_of(int tid);
  void forget_host(int dtid);
  static int host_tid_of(int tid);  // the host's pvmd tid

 private:
  int my_tid_;
  std::unordered_map<int, int> ext_by_host_;  // host part -> ext tid
  std::unordered_set<int> watched_;
};

}  // namespace snow::ext
