// Service discovery through PVM's message mailbox (pvm_putinfo /
// pvm_recvinfo): the scheduler publishes "snow.scheduler", the extension of
// host H publishes "snow.ext.H".  An entry disappears with its owner task.
#pragma once

#include <optional>
#include <string>

namespace snow {

struct ServiceEntry {
  int tid = 0;
  std::string host;
  std::string arch;
};

// Publish this task as `name`.  Throws PvmError.
void mailbox_publish(const std::string& name, const ServiceEntry& entry);

// Look `name` up; nothing when no such entry exists.
std::optional<ServiceEntry> mailbox_lookup(const std::string& name);

inline std::string scheduler_service() { return "snow.scheduler"; }
inline std::string ext_service(const std::string& host) { return "snow.ext." + host; }

}  // namespace snow
