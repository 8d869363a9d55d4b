// The persistent description of a virtual machine: which virtual hosts it
// has, their architectures and addresses, and the keeper process that owns
// each host's namespaces.  Stored as plain text under
// /run/snow/<vm>/vm.conf (SNOW_STATE_ROOT overrides /run/snow).
#pragma once

#include "snow/testbed/arch.h"

#include <optional>
#include <string>
#include <vector>

namespace snow::testbed {

struct HostRecord {
  std::string name;         // hostname inside the VM ("vh2")
  std::string arch;         // "s390x"
  std::string ip;           // address on the VM's private bridge
  int keeper_pid = 0;       // owns the host's UTS+mount namespaces (0: single mode)
  std::string netns_name;
};

// The reserved VM name for a real cluster: the PVM virtual machine this
// machine's pvmd belongs to, started with PVM's own tools (see README).
inline constexpr const char* kLocalVm = "local";

struct VmState {
  std::string name;
  bool single = false;      // one pvmd on the real machine, no namespaces
  bool external = false;    // a real cluster ("local"): not ours to manage
  std::vector<HostRecord> hosts;

  static std::string state_root();
  static std::string dir_for(const std::string& vm);
  std::string dir() const { return dir_for(name); }
  std::string host_dir(const std::string& host) const { return dir() + "/hosts/" + host; }
  std::string log_dir() const { return dir() + "/log"; }

  const HostRecord& master() const { return hosts.front(); }
  // Throws snow::Error listing the VM's hosts when `host` is unknown.
  const HostRecord& host(const std::string& host) const;

  void save() const;
  // Nothing when the VM has no state directory (never started, or down).
  static std::optional<VmState> load(const std::string& vm);
  // Like load(), but a clear error when the VM is not up.  "local" gives
  // the real cluster this machine belongs to.
  static VmState require(const std::string& vm);
  static std::vector<std::string> list();
};

// Namespace names used by VM `vm`.
std::string netns_name(const std::string& vm, const std::string& host);
std::string switch_netns_name(const std::string& vm);

// The VM a command addresses: --vm, else $SNOW_VM, else "snow".
std::string default_vm_name();

}  // namespace snow::testbed
