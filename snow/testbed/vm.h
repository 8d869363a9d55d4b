// Bringing a PVM virtual machine of virtual hosts up and down.
//
// A virtual host is a network namespace (its own address on a private
// bridge), a UTS namespace (its own hostname) and a mount namespace (a
// private /tmp, where pvmd keeps /tmp/pvmd.<uid>, and a private /etc/hosts
// naming the VM's hosts).  A small keeper process owns the UTS and mount
// namespaces.  Each host runs a pvmd of its architecture; foreign ones run
// under qemu-user.  See doc/testbed.md.
#pragma once

#include "snow/testbed/layout.h"
#include "snow/testbed/vm_state.h"

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace snow::testbed {

struct UpOptions {
  std::string name;
  std::vector<std::string> archs;   // one entry per host, repeats allowed
  std::vector<std::string> ep;      // extra program dirs; DIR/<PVM_ARCH> is searched
  bool single = false;              // one host, no namespaces
  bool services = true;             // start the scheduler, wait for the extensions
  std::chrono::seconds timeout{180};
};

// Build the VM; on any failure everything created so far is torn down
// again and the error says why.
VmState vm_up(const UpOptions& opt, const Layout& layout, std::ostream& out);

// Tear VM `name` down: daemons, tasks, keepers, namespaces, veths, bridge,
// state.  Works from whatever is left after a crash; harmless when nothing
// is there.  Returns the number of things removed.
int vm_down(const std::string& name, std::ostream& out);

// Can this machine create network namespaces?  `why` gets the reason if not.
bool can_make_namespaces(std::string* why);

// The VM's program search path for one architecture (pvmd's ep= option).
std::string program_path(const std::vector<std::string>& ep, const ArchInfo& a);

}  // namespace snow::testbed
