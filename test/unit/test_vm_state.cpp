#include "snow/testbed/vm_state.h"

#include "libsnowpvm/util/error.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace snow::testbed;
namespace fs = std::filesystem;

namespace {
struct TempRoot {
  fs::path dir;
  TempRoot() {
    char tmpl[] = "/tmp/snow-unit-XXXXXX";
    dir = mkdtemp(tmpl);
    setenv("SNOW_STATE_ROOT", dir.c_str(), 1);
  }
  ~TempRoot() {
    fs::remove_all(dir);
    unsetenv("SNOW_STATE_ROOT");
  }
};
}  // namespace

TEST_CASE("VM state survives a save/load round trip", "[vm_state]") {
  TempRoot root;
  VmState s;
  s.name = "demo";
  s.hosts = {{"vh1", "x86_64", "10.200.0.1", 101, "snow-demo-vh1"},
             {"vh2", "s390x", "10.200.0.2", 102, "snow-demo-vh2"}};
  s.save();
  auto l = VmState::load("demo");
  REQUIRE(l);
  REQUIRE(l->hosts.size() == 2);
  CHECK(l->hosts[1].name == "vh2");
  CHECK(l->hosts[1].arch == "s390x");
  CHECK(l->hosts[1].keeper_pid == 102);
  CHECK_FALSE(l->single);
  CHECK(VmState::list() == std::vector<std::string>{"demo"});
}

TEST_CASE("a VM that is not up gives a clear error", "[vm_state]") {
  TempRoot root;
  CHECK_FALSE(VmState::load("nope"));
  CHECK_THROWS_WITH(VmState::require("nope"), Catch::Contains("is not up"));
}

TEST_CASE("unknown hosts are named with the known ones", "[vm_state]") {
  VmState s;
  s.name = "x";
  s.hosts = {{"vh1", "x86_64", "", 0, ""}, {"vh2", "i386", "", 0, ""}};
  CHECK_THROWS_WITH(s.host("vh9"), Catch::Contains("unknown host 'vh9'") && Catch::Contains("vh1, vh2"));
}

TEST_CASE("a corrupt state file is reported, not trusted", "[vm_state]") {
  TempRoot root;
  fs::create_directories(root.dir / "bad");
  std::ofstream(root.dir / "bad" / "vm.conf") << "vm bad\nhost vh1 x86_64\n";
  CHECK_THROWS_WITH(VmState::load("bad"), Catch::Contains("corrupt"));
}
