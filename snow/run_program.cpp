#include "snow/run_program.h"

#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/util/error.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace snow::cli {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  std::string item;
  std::stringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) v.push_back(item);
  return v;
}

bool executable_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

bool under_tmp(const std::string& p) { return p == "/tmp" || p.rfind("/tmp/", 0) == 0; }

std::string why_unseen(const std::string& path, const testbed::VmState& vm, const testbed::HostRecord& h) {
  std::string why = " is not visible on virtual host " + h.name + " of VM '" + vm.name + "'";
  if (under_tmp(path))
    return why + ": every virtual host has its own private /tmp (doc/testbed.md); put it "
                 "outside /tmp, e.g. in a --ep directory or ~/pvm3/bin/<PVM_ARCH>";
  return why + " (the host's mount namespace shows no such file)";
}

}  // namespace

std::optional<FileId> file_id(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

std::vector<std::string> program_path_of(const testbed::VmState& vm, const testbed::HostRecord& h) {
  if (!vm.external) {
    // The hostfile `snow vm up` gave the master pvmd: "NAME dx=... ep=A:B".
    std::ifstream f(vm.dir() + "/hostfile");
    std::string line;
    while (std::getline(f, line)) {
      std::istringstream in(line);
      std::string name, opt;
      in >> name;
      if (name != h.name) continue;
      while (in >> opt)
        if (opt.rfind("ep=", 0) == 0) return split(opt.substr(3), ':');
    }
  }
  // A real cluster: pvmd's default, $HOME/pvm3/bin/$PVM_ARCH.
  const char* home = std::getenv("HOME");
  const char* arch = std::getenv("PVM_ARCH");
  std::string pvm_arch = arch && *arch ? arch : std::string(testbed::native_arch().pvm_arch);
  return {std::string(home ? home : "/root") + "/pvm3/bin/" + pvm_arch};
}

Located locate_program(const testbed::VmState& vm, const testbed::HostRecord& h, const std::string& word) {
  Located p;
  p.word = word;
  if (word.find('/') != std::string::npos) {
    std::error_code ec;
    p.path = fs::absolute(word, ec).lexically_normal().string();
    if (ec) throw SysError("cannot make " + word + " absolute", ec.value());
    p.here = file_id(p.path);
    return p;
  }
  auto ep = program_path_of(vm, h);
  for (const auto& dir : ep) {
    auto candidate = dir + "/" + word;
    if (executable_file(candidate)) {
      p.path = candidate;
      p.from_program_path = true;
      p.here = file_id(candidate);
      return p;
    }
  }
  const char* path_env = std::getenv("PATH");
  auto path_dirs = split(path_env ? path_env : "/usr/bin:/bin", ':');
  for (const auto& dir : path_dirs) {
    auto candidate = dir + "/" + word;
    if (executable_file(candidate)) {
      p.path = fs::absolute(candidate).lexically_normal().string();
      p.here = file_id(p.path);
      return p;
    }
  }
  throw Error(word + ": no such program in the program path of host " + h.name + " (" + join(ep, ", ") +
              ") nor in $PATH");
}

void confirm_visible(const Located& p, const testbed::VmState& vm, const testbed::HostRecord& h) {
  auto there = file_id(p.path);
  std::string what = p.word == p.path ? p.path : p.word + " (" + p.path + ")";
  if (!there) {
    if (p.here) throw Error(what + why_unseen(p.path, vm, h));
    throw Error(what + ": no such file");
  }
  if (p.here && *p.here != *there)
    throw Error(what + " is a different file on virtual host " + h.name +
                (under_tmp(p.path) ? ": every virtual host has its own private /tmp (doc/testbed.md)"
                                   : ": the host's mount namespace shows another file there"));
  struct stat st;
  if (::stat(p.path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw Error(what + " is a directory");
  if (::access(p.path.c_str(), X_OK) != 0) throw Error(what + " is not executable");
}

void confirm_dir_visible(const std::string& dir, const std::optional<FileId>& here, const testbed::VmState& vm,
                         const testbed::HostRecord& h) {
  auto there = file_id(dir);
  if (!here) throw Error("directory " + dir + " does not exist");
  if (!there) throw Error("directory " + dir + why_unseen(dir, vm, h));
  if (*here != *there)
    throw Error("directory " + dir + " is a different directory on virtual host " + h.name +
                (under_tmp(dir) ? ": every virtual host has its own private /tmp (doc/testbed.md)" : ""));
}

bool has_exit_report_hook(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool found = false;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    auto size = static_cast<size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      std::string needle = std::string(comm::exit_report::kMarkerHead) + comm::exit_report::kMarkerTail;
      found = ::memmem(map, size, needle.data(), needle.size()) != nullptr;
      ::munmap(map, size);
    }
  }
  ::close(fd);
  return found;
}

std::string elf_arch(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  unsigned char h[20] = {};
  if (!f.read(reinterpret_cast<char*>(h), sizeof h)) return "";
  if (std::memcmp(h, ELFMAG, SELFMAG) != 0) return "";
  // e_machine (offset 18) in the file's own byte order.
  unsigned machine = h[EI_DATA] == ELFDATA2MSB ? (h[18] << 8) | h[19] : h[18] | (h[19] << 8);
  if (machine == EM_X86_64) return "x86_64";
  if (machine == EM_386) return "i386";
  if (machine == EM_S390 && h[EI_CLASS] == ELFCLASS64) return "s390x";
  return "";
}

}  // namespace snow::cli
