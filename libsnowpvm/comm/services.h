// Where a task finds the SNOW services: the scheduler ("snow.scheduler")
// and its own host's daemon extension ("snow.ext.<host>") in PVM's
// mailbox (util/mailbox.h).  Looked up on first use and cached; a
// service that exits is forgotten (the runtime asks pvmd to notify it).
#pragma once

#include <string>
#include <unordered_set>

namespace snow::comm {

class Services {
 public:
  // 0 when the service cannot be found.
  int scheduler();
  int local_ext();
  // Name of this task's host as PVM knows it (pvm_config).
  const std::string& my_host();
  // PVM's name for the host of `tid` ("" when not in the configuration).
  static std::string host_of(int tid);

  // A service task exited (pvm_notify): which one it was.
  enum Lost { None = 0, Scheduler = 1, Ext = 2 };
  int forget(int tid);

 private:
  void watch(int tid);
  int sched_ = 0, ext_ = 0;
  std::string host_;
  std::unordered_set<int> watched_;
};

}  // namespace snow::comm
