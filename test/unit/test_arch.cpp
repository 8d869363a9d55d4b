#include "snow/testbed/arch.h"

#include "libsnowpvm/util/error.h"
#include "snow/testbed/vm.h"

#include <catch2/catch.hpp>

using namespace snow::testbed;

TEST_CASE("architectures and their aliases", "[arch]") {
  CHECK(arch_info("x86_64").pvm_arch == "LINUX64");
  CHECK(arch_info("amd64").name == "x86_64");
  CHECK(arch_info("i686").pvm_arch == "LINUX");
  CHECK(arch_info("s390x").pvm_arch == "LINUXS390");
  CHECK(arch_info("s390x").qemu == "qemu-s390x-static");
}

TEST_CASE("an unknown architecture names the known ones", "[arch]") {
  CHECK_THROWS_WITH(arch_info("arm64"), Catch::Contains("unknown architecture 'arm64'") &&
                                            Catch::Contains("x86_64, i386, s390x"));
}

TEST_CASE("program path: each --ep dir gets the PVM arch appended, then ~/pvm3/bin", "[arch]") {
  setenv("HOME", "/home/u", 1);
  auto p = program_path({"/a", "/b"}, arch_info("s390x"));
  CHECK(p == "/a/LINUXS390:/b/LINUXS390:/home/u/pvm3/bin/LINUXS390");
}
