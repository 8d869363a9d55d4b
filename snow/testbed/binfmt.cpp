#include "snow/testbed/binfmt.h"

#include "libsnowpvm/util/error.h"

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace snow::testbed {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDir = "/proc/sys/fs/binfmt_misc";

// ELF header magic and mask per architecture (e_ident + e_type + e_machine),
// the values qemu's own scripts/qemu-binfmt-conf.sh uses.
struct Magic {
  const char* magic;
  const char* mask;
};

Magic magic_for(const ArchInfo& a) {
  if (a.name == "s390x")
    return {R"(\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x16)",
            R"(\xff\xff\xff\xff\xff\xff\xff\xfc\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff)"};
  if (a.name == "i386")
    return {R"(\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00)",
            R"(\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff)"};
  if (a.name == "x86_64")
    return {R"(\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00)",
            R"(\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff)"};
  throw Error("no binfmt magic for " + std::string(a.name));
}

bool handler_present(const ArchInfo& a) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kDir, ec)) {
    auto n = e.path().filename().string();
    if (n == "register" || n == "status") continue;
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    auto text = ss.str();
    if (text.rfind("enabled", 0) != 0) continue;
    if (text.find("qemu-" + std::string(a.name)) != std::string::npos ||
        text.find(std::string(a.name) + "-binfmt") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

void ensure_binfmt(const ArchInfo& a) {
  if (!fs::exists(std::string(kDir) + "/register")) {
    if (mount("binfmt_misc", kDir, "binfmt_misc", 0, nullptr) != 0)
      throw SysError(std::string("foreign ") + std::string(a.name) +
                     " hosts need binfmt_misc to run qemu-user, and mounting " + kDir + " failed");
  }
  if (handler_present(a)) return;
  std::string qemu = "/usr/bin/" + std::string(a.qemu);
  if (!fs::exists(qemu))
    throw Error(std::string("foreign ") + std::string(a.name) + " hosts need " + qemu +
                " (package qemu-user-static; run tools/install-deps)");
  auto m = magic_for(a);
  std::ofstream reg(std::string(kDir) + "/register");
  reg << ":snow-" << a.name << ":M::" << m.magic << ":" << m.mask << ":" << qemu << ":F";
  reg.close();
  if (!reg || !handler_present(a))
    throw Error("cannot register qemu-user for " + std::string(a.name) +
                " with binfmt_misc (are you root?)");
}

}  // namespace snow::testbed
