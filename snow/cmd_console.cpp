// snow console: PVM's own console on a virtual host, with the project's
// start-up file (snow/console/.pvmrc) so that `migrate TASK HOST` works in
// it: the console reads $HOME/.pvmrc, so the file is written, with this
// snow binary's path filled in, into the VM's state directory, and the
// console runs with HOME pointing there.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/process.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace snow::cli {
namespace {

std::string console_home(const testbed::VmState& vm, const testbed::Layout& layout) {
  namespace fs = std::filesystem;
  auto tmpl = layout.pvmrc_dir() + "/.pvmrc";
  std::ifstream in(tmpl);
  if (!in) throw Error("the console start-up file " + tmpl + " is missing");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec).string();
  for (size_t at; (at = s.find("@SNOW@")) != std::string::npos;) s.replace(at, 6, self);
  auto home = vm.dir() + "/console";
  fs::create_directories(home);
  std::ofstream out(home + "/.pvmrc");
  out << s;
  if (!out) throw SysError("write " + home + "/.pvmrc");
  return home;
}

}  // namespace

int cmd_console(Args& args) {
  auto vm = testbed::VmState::require(args.option("--vm").value_or(testbed::default_vm_name()));
  auto host = args.option("--host");
  args.positionals();
  const auto& h = host ? vm.host(*host) : vm.master();
  auto layout = testbed::Layout::detect();
  auto home = console_home(vm, layout);
  testbed::enter_host(vm, h, layout);
  testbed::exec_replace({"/usr/lib/pvm3/lib/pvm"}, {{"HOME", home}});
}

}  // namespace snow::cli
