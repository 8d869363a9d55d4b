// PVM groups (libgpvm3) know their members by real tid, which changes when
// a task moves: migration waits while the task is in a group.  A file of
// its own, so that only programs using groups need libgpvm3.
#include "libsnowpvm/exec/exec_state.h"

#include <set>
#include <string>

namespace {
std::set<std::string> g_groups;
}

extern "C" {

int snow_exec_joingroup(char* group) {
  int rc = pvm_joingroup(group);
  if (rc >= 0 && group && g_groups.insert(group).second) snow::exec::count_groups(+1);
  return rc;
}

int snow_exec_lvgroup(char* group) {
  int rc = pvm_lvgroup(group);
  if (rc >= 0 && group && g_groups.erase(group)) snow::exec::count_groups(-1);
  return rc;
}

}  // extern "C"
