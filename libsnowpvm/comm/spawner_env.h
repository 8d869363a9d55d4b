// How a spawned SNOW task learns its parent's VIRTUAL tid.
//
// pvm_parent() answers the spawner's real tid, which is not the tid the
// application uses once the spawner has migrated (messages arrive labelled
// with their sender's virtual tid, so a child waiting in pvm_recv(parent)
// would wait forever).  snow_spawn therefore exports SNOW_SPAWNER=
// <real>:<vtid> (both hex) to its children through PVM_EXPORT; a child
// believes it only when pvm_parent() is that very real tid, so a plain
// PVM task in between, or a stale value inherited by a grandchild, cannot
// mislead it.
#pragma once

#include <optional>
#include <string>

namespace snow::comm::spawner_env {

inline constexpr const char* kVariable = "SNOW_SPAWNER";

// For the duration of one pvm_spawn: SNOW_SPAWNER is set and named in
// PVM_EXPORT; both are put back as they were afterwards.
class Export {
 public:
  Export(int real, int vtid);
  ~Export();
  Export(const Export&) = delete;
  Export& operator=(const Export&) = delete;

 private:
  std::optional<std::string> old_value_, old_export_;
};

// The parent's virtual tid for a task whose pvm_parent() is `real_parent`
// (> 0): the exported vtid if SNOW_SPAWNER names that real tid, else
// `real_parent` itself (a task that never moved, or a plain PVM parent).
// Removes SNOW_SPAWNER from this process's environment and PVM_EXPORT.
int take_parent_vtid(int real_parent);

// "A:B:C" without the item `name` (PVM_EXPORT's syntax).
std::string without_item(const std::string& list, const std::string& name);

// Parses "<real>:<vtid>" (hex); nullopt when malformed.
struct Spawner {
  int real = 0, vtid = 0;
};
std::optional<Spawner> parse(const char* text);

}  // namespace snow::comm::spawner_env
