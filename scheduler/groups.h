// PVM groups served by the scheduler, keyed by virtual tids: membership,
// instance numbers, sizes, frozen groups and barriers stay the same while
// members migrate (PVM's own group server, pvmgs, knows members by real
// tid, which a migration changes).
//
// Pure logic, no I/O: each call returns the answers to send, each to the
// real tid that asked.  The scheduler decides whether an answer can go
// out (it does not send to a task in the middle of a migration: that task
// asks again, see doc/groups.md).
//
// Barriers are numbered per group by their members: a member's k-th
// barrier in a group meets the other members' k-th.  The number moves
// with the task, so a barrier call re-executed after a migration names the
// same barrier; an arrival is recorded once per (group, seq, vtid), and a
// repeated arrival at a barrier already released is answered at once.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace snow::sched {

struct GroupLimits {
  size_t released_kept = 1024;  // released barriers remembered per group (for repeated arrivals)
  size_t groups = 4096;         // groups in the virtual machine
  size_t members = 65536;       // members of one group
};

class GroupServer {
 public:
  struct Answer {
    int to = 0;  // the real tid that asked
    int vtid = 0;
    wire::GroupReply reply;
  };

  explicit GroupServer(GroupLimits limits = {}) : limits_(limits) {}

  // One call of a task (`real` is the process that sent it).
  std::vector<Answer> call(int real, const wire::GroupCall& c);
  // The task has really ended: it leaves every group.  Returns answers
  // that its leaving completes (a freeze waiting for the group's size).
  std::vector<Answer> leave_all(int vtid);

  // For `snow ps`-like views and tests.
  int size(const std::string& group) const;
  std::vector<std::string> groups_of(int vtid) const;

 private:
  struct Waiter {
    int real = 0, req = 0;
  };
  struct Barrier {
    int count = 0;
    std::map<int, Waiter> arrived;  // by vtid
    bool released = false;
  };
  struct Group {
    std::map<int, int> inst_of;  // vtid -> instance
    std::map<int, int> tid_of;   // instance -> vtid
    std::map<int, Barrier> barriers;  // by seq
    int last_released = 0;
    bool frozen = false;
    int frozen_size = 0;
    std::optional<int> freeze_size;     // a freeze in progress
    std::map<int, Waiter> freezers;     // by vtid
  };

  wire::GroupReply reply(const wire::GroupCall& c, int rc) const;
  Answer answer(int real, const wire::GroupCall& c, int rc) const;
  void join(int real, const wire::GroupCall& c, std::vector<Answer>& out);
  void leave(const std::string& name, int vtid);
  void barrier(int real, const wire::GroupCall& c, Group& g, std::vector<Answer>& out);
  void freeze(int real, const wire::GroupCall& c, Group& g, std::vector<Answer>& out);
  void try_freeze(const std::string& name, Group& g, std::vector<Answer>& out);
  void try_release(const std::string& name, Group& g, int seq, std::vector<Answer>& out);

  GroupLimits limits_;
  std::map<std::string, Group> groups_;
};

}  // namespace snow::sched
