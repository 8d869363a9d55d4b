#include "snow/testbed/vm_state.h"

#include "libsnowpvm/util/error.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace snow::testbed {
namespace fs = std::filesystem;

std::string netns_name(const std::string& vm, const std::string& host) {
  return "snow-" + vm + "-" + host;
}
std::string switch_netns_name(const std::string& vm) { return "snow-" + vm + "-sw"; }

std::string default_vm_name() {
  const char* v = std::getenv("SNOW_VM");
  return (v && *v) ? v : "snow";
}

std::string VmState::state_root() {
  const char* r = std::getenv("SNOW_STATE_ROOT");
  return (r && *r) ? r : "/run/snow";
}

std::string VmState::dir_for(const std::string& vm) { return state_root() + "/" + vm; }

const HostRecord& VmState::host(const std::string& h) const {
  for (const auto& r : hosts)
    if (r.name == h) return r;
  std::string known;
  for (const auto& r : hosts) known += (known.empty() ? "" : ", ") + r.name;
  throw Error("unknown host '" + h + "' in virtual machine '" + name + "' (hosts: " + known + ")");
}

void VmState::save() const {
  fs::create_directories(dir());
  std::ofstream f(dir() + "/vm.conf.new");
  f << "# SNOW-PVM virtual machine state (written by snow vm up)\n";
  f << "vm " << name << "\n";
  f << "mode " << (single ? "single" : "netns") << "\n";
  for (const auto& h : hosts)
    f << "host " << h.name << " " << h.arch << " " << h.ip << " " << h.keeper_pid << " "
      << (h.netns_name.empty() ? "-" : h.netns_name) << "\n";
  f.close();
  if (!f) throw SysError("write " + dir() + "/vm.conf");
  fs::rename(dir() + "/vm.conf.new", dir() + "/vm.conf");
}

std::optional<VmState> VmState::load(const std::string& vm) {
  std::ifstream f(dir_for(vm) + "/vm.conf");
  if (!f) return std::nullopt;
  VmState s;
  s.name = vm;
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "mode") {
      std::string m;
      in >> m;
      s.single = (m == "single");
    } else if (key == "host") {
      HostRecord h;
      in >> h.name >> h.arch >> h.ip >> h.keeper_pid >> h.netns_name;
      if (!in) throw Error("corrupt virtual machine state in " + dir_for(vm) + "/vm.conf: " + line);
      if (h.netns_name == "-") h.netns_name.clear();
      s.hosts.push_back(h);
    }
  }
  if (s.hosts.empty()) throw Error("corrupt virtual machine state in " + dir_for(vm) + ": no hosts");
  return s;
}

VmState VmState::require(const std::string& vm) {
  if (vm == kLocalVm) {
    VmState s;
    s.name = vm;
    s.external = true;
    char hn[256] = {};
    gethostname(hn, sizeof hn - 1);
    s.hosts.push_back({hn, std::string(native_arch().name), "", 0, ""});
    return s;
  }
  auto s = load(vm);
  if (!s) throw Error("virtual machine '" + vm + "' is not up (start it with: snow vm up)");
  return *s;
}

std::vector<std::string> VmState::list() {
  std::vector<std::string> v;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state_root(), ec))
    if (fs::exists(e.path() / "vm.conf")) v.push_back(e.path().filename().string());
  return v;
}

}  // namespace snow::testbed
