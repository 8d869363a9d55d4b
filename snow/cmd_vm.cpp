// snow vm up|down|status
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/process.h"
#include "snow/testbed/vm.h"

#include <iostream>
#include <sstream>

namespace snow::cli {
namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) v.push_back(item);
  return v;
}

int vm_up(Args& args) {
  testbed::UpOptions opt;
  opt.name = args.option("--vm").value_or(testbed::default_vm_name());
  opt.archs = split_list(args.option("--hosts").value_or("x86_64,i386,s390x"));
  opt.ep = args.options("--ep");
  opt.single = args.flag("--single");
  opt.services = !args.flag("--no-services");
  if (auto t = args.option("--timeout")) opt.timeout = std::chrono::seconds(std::stoi(*t));
  args.positionals();  // rejects leftovers
  testbed::vm_up(opt, testbed::Layout::detect(), std::cout);
  return 0;
}

int vm_down(Args& args) {
  bool all = args.flag("--all");
  auto name = args.option("--vm").value_or(testbed::default_vm_name());
  args.positionals();
  if (!all) {
    testbed::vm_down(name, std::cout);
    return 0;
  }
  for (const auto& vm : testbed::VmState::list()) testbed::vm_down(vm, std::cout);
  // Namespaces of VMs whose state directory is already gone.
  auto r = testbed::run({"ip", "netns", "list"});
  std::istringstream in(r.output);
  std::string line;
  while (std::getline(in, line)) {
    auto ns = line.substr(0, line.find(' '));
    if (ns.rfind("snow-", 0) != 0) continue;
    auto rest = ns.substr(5);
    auto dash = rest.rfind('-');
    if (dash != std::string::npos) testbed::vm_down(rest.substr(0, dash), std::cout);
  }
  return 0;
}

int vm_status(Args& args) {
  auto name = args.option("--vm");
  args.positionals();
  auto names = name ? std::vector<std::string>{*name} : testbed::VmState::list();
  if (names.empty()) {
    std::cout << "no virtual machine is up\n";
    return 0;
  }
  for (const auto& n : names) {
    auto vm = testbed::VmState::require(n);
    std::cout << "virtual machine " << vm.name << (vm.single ? " (single host)" : "") << "\n";
    for (const auto& h : vm.hosts) {
      bool alive = vm.single || testbed::process_alive(h.keeper_pid);
      std::cout << "  " << h.name << "  " << h.arch << "  " << h.ip << "  "
                << (alive ? "up" : "GONE") << "\n";
    }
  }
  return 0;
}

}  // namespace

int cmd_vm(Args& args) {
  auto words = args.command_line();
  if (words.empty()) throw Error("usage: snow vm up|down|status [options]");
  auto verb = words[0];
  Args rest(std::vector<std::string>(words.begin() + 1, words.end()));
  if (verb == "up") return vm_up(rest);
  if (verb == "down") return vm_down(rest);
  if (verb == "status") return vm_status(rest);
  throw Error("unknown subcommand 'vm " + verb + "' (use up, down or status)");
}

}  // namespace snow::cli
