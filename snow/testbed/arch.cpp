#include "snow/testbed/arch.h"

#include "config.h"
#include "libsnowpvm/util/error.h"

#include <array>

namespace snow::testbed {
namespace {

constexpr std::array<ArchInfo, 3> kArchs{{
    {"x86_64", "LINUX64", "x86_64-linux-gnu", "qemu-x86_64-static"},
    {"i386", "LINUX", "i686-linux-gnu", "qemu-i386-static"},
    {"s390x", "LINUXS390", "s390x-linux-gnu", "qemu-s390x-static"},
}};

std::string_view canonical(std::string_view n) {
  if (n == "amd64" || n == "x86-64") return "x86_64";
  if (n == "i686" || n == "x86" || n == "ia32") return "i386";
  return n;
}

}  // namespace

const ArchInfo& arch_info(std::string_view name) {
  auto c = canonical(name);
  for (const auto& a : kArchs)
    if (a.name == c) return a;
  throw Error("unknown architecture '" + std::string(name) + "' (known: x86_64, i386, s390x)");
}

const ArchInfo* arch_from_pvm(std::string_view pvm_arch) {
  for (const auto& a : kArchs)
    if (a.pvm_arch == pvm_arch) return &a;
  return nullptr;
}

const ArchInfo& native_arch() { return arch_info(SNOW_ARCH); }

bool is_native(const ArchInfo& a) { return a.name == native_arch().name; }

}  // namespace snow::testbed
