// The architectures a virtual host can have, and what each needs.
#pragma once

#include <string>
#include <string_view>

namespace snow::testbed {

struct ArchInfo {
  std::string_view name;       // "s390x"
  std::string_view pvm_arch;   // PVM_ARCH: "LINUXS390"
  std::string_view triplet;    // GNU triplet of its cross compiler
  std::string_view qemu;       // qemu-user binary, empty when native
};

// Canonical info for an architecture name or alias (amd64, i686, ...).
// Throws snow::Error naming the known architectures when unknown.
const ArchInfo& arch_info(std::string_view name);

// The architecture PVM calls `pvm_arch` (LINUX64, ...), or nullptr.
const ArchInfo* arch_from_pvm(std::string_view pvm_arch);

// The architecture this `snow` binary runs on.
const ArchInfo& native_arch();

bool is_native(const ArchInfo& a);

}  // namespace snow::testbed
