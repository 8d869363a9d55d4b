// snow run's program lookup (snow/run_program.h): the host's ep= path from
// the VM's hostfile, then $PATH; the SNOW-program marker; ELF machines.
#include "snow/run_program.h"

#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/util/error.h"

#include <catch2/catch.hpp>
#include <elf.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace snow::cli;
using snow::testbed::HostRecord;
using snow::testbed::VmState;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path dir;
  std::string old_root, old_path;
  TempDir() {
    char tmpl[] = "/tmp/snow-unit-run-XXXXXX";
    dir = mkdtemp(tmpl);
    if (const char* r = std::getenv("SNOW_STATE_ROOT")) old_root = r;
    if (const char* p = std::getenv("PATH")) old_path = p;
    setenv("SNOW_STATE_ROOT", (dir / "state").c_str(), 1);
  }
  ~TempDir() {
    fs::remove_all(dir);
    if (old_root.empty()) unsetenv("SNOW_STATE_ROOT");
    else setenv("SNOW_STATE_ROOT", old_root.c_str(), 1);
    setenv("PATH", old_path.c_str(), 1);
  }
  void write(const fs::path& p, const std::string& text, bool exec = false) const {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    if (exec) chmod(p.c_str(), 0755);
  }
};

// A VM "demo" whose hostfile gives vh2 the ep path A/LINUXS390:B/LINUXS390.
VmState demo_vm(const TempDir& t) {
  VmState vm;
  vm.name = "demo";
  vm.hosts = {{"vh1", "x86_64", "10.200.0.1", 0, ""}, {"vh2", "s390x", "10.200.0.2", 0, ""}};
  vm.save();
  t.write(vm.dir() + "/hostfile",
          "# hostfile\nvh1 dx=/x ep=" + (t.dir / "A/LINUX64").string() + "\nvh2 dx=/y ep=" +
              (t.dir / "A/LINUXS390").string() + ":" + (t.dir / "B/LINUXS390").string() + "\n");
  return vm;
}

std::string elf_header(unsigned char cls, unsigned char data, unsigned machine) {
  std::string h(64, '\0');
  h.replace(0, 4, ELFMAG);
  h[EI_CLASS] = static_cast<char>(cls);
  h[EI_DATA] = static_cast<char>(data);
  if (data == ELFDATA2MSB) {
    h[18] = static_cast<char>(machine >> 8);
    h[19] = static_cast<char>(machine & 0xff);
  } else {
    h[18] = static_cast<char>(machine & 0xff);
    h[19] = static_cast<char>(machine >> 8);
  }
  return h;
}

}  // namespace

TEST_CASE("snow run finds a bare name in the host's ep path, in order, then in $PATH", "[run]") {
  TempDir t;
  auto vm = demo_vm(t);
  const HostRecord& vh2 = vm.host("vh2");
  CHECK(program_path_of(vm, vh2) ==
        std::vector<std::string>{(t.dir / "A/LINUXS390").string(), (t.dir / "B/LINUXS390").string()});
  t.write(t.dir / "B/LINUXS390/prog", "#!/bin/sh\n", true);
  auto p = locate_program(vm, vh2, "prog");
  CHECK(p.path == (t.dir / "B/LINUXS390/prog").string());
  CHECK(p.from_program_path);
  t.write(t.dir / "A/LINUXS390/prog", "#!/bin/sh\n", true);
  CHECK(locate_program(vm, vh2, "prog").path == (t.dir / "A/LINUXS390/prog").string());
  // Not executable: skipped, like pvmd and a shell skip it.
  t.write(t.dir / "A/LINUXS390/data", "x");
  t.write(t.dir / "bin/data", "#!/bin/sh\n", true);
  setenv("PATH", (t.dir / "bin").c_str(), 1);
  auto q = locate_program(vm, vh2, "data");
  CHECK(q.path == (t.dir / "bin/data").string());
  CHECK_FALSE(q.from_program_path);
  CHECK_THROWS_WITH(locate_program(vm, vh2, "nothing"),
                    Catch::Contains("no such program in the program path of host vh2") &&
                        Catch::Contains((t.dir / "A/LINUXS390").string()) && Catch::Contains("$PATH"));
}

TEST_CASE("snow run makes a path with a slash absolute and leaves it at that", "[run]") {
  TempDir t;
  auto vm = demo_vm(t);
  auto p = locate_program(vm, vm.master(), "./some/where/../prog");
  CHECK(p.path == (fs::current_path() / "some/prog").string());
  CHECK_FALSE(p.here);  // does not exist: confirm_visible says so
  CHECK_THROWS_WITH(confirm_visible(p, vm, vm.master()), Catch::Contains("no such file"));
}

TEST_CASE("snow run refuses what is not an executable file", "[run]") {
  TempDir t;
  auto vm = demo_vm(t);
  t.write(t.dir / "plain", "text");
  auto p = locate_program(vm, vm.master(), (t.dir / "plain").string());
  CHECK_THROWS_WITH(confirm_visible(p, vm, vm.master()), Catch::Contains("is not executable"));
  auto d = locate_program(vm, vm.master(), t.dir.string() + "/");
  CHECK_THROWS_WITH(confirm_visible(d, vm, vm.master()), Catch::Contains("is a directory"));
}

TEST_CASE("snow run tells SNOW programs by the exit-report marker", "[run]") {
  TempDir t;
  std::string marker = std::string(snow::comm::exit_report::kMarkerHead) + snow::comm::exit_report::kMarkerTail;
  t.write(t.dir / "snow", std::string(5000, 'x') + marker + std::string(10, '\0'));
  t.write(t.dir / "plain", std::string(5000, 'x') + snow::comm::exit_report::kMarkerHead);
  t.write(t.dir / "empty", "");
  CHECK(has_exit_report_hook((t.dir / "snow").string()));
  CHECK_FALSE(has_exit_report_hook((t.dir / "plain").string()));
  CHECK_FALSE(has_exit_report_hook((t.dir / "empty").string()));
  CHECK_FALSE(has_exit_report_hook((t.dir / "missing").string()));
}

TEST_CASE("snow run reads the architecture of an ELF executable", "[run]") {
  TempDir t;
  t.write(t.dir / "x", elf_header(ELFCLASS64, ELFDATA2LSB, EM_X86_64));
  t.write(t.dir / "i", elf_header(ELFCLASS32, ELFDATA2LSB, EM_386));
  t.write(t.dir / "s", elf_header(ELFCLASS64, ELFDATA2MSB, EM_S390));
  t.write(t.dir / "s31", elf_header(ELFCLASS32, ELFDATA2MSB, EM_S390));
  t.write(t.dir / "sh", "#!/bin/sh\necho hello there, long enough\n");
  CHECK(elf_arch((t.dir / "x").string()) == "x86_64");
  CHECK(elf_arch((t.dir / "i").string()) == "i386");
  CHECK(elf_arch((t.dir / "s").string()) == "s390x");
  CHECK(elf_arch((t.dir / "s31").string()).empty());
  CHECK(elf_arch((t.dir / "sh").string()).empty());
}
