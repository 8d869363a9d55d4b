#include "libsnowpvm/msr/writable_window.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace snow::msr {

namespace {

// This process's mappings, read once per restore: a restore opens every
// global root, and reading /proc/self/maps for each would cost more than
// the restore itself.  The protections read are the ones to give back.
std::vector<WritableWindows::Mapping> read_mappings() {
  std::vector<WritableWindows::Mapping> out;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long lo = 0, hi = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) != 3) continue;
    int prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
               (perms[2] == 'x' ? PROT_EXEC : 0);
    out.push_back(WritableWindows::Mapping{lo, hi, prot});
  }
  return out;
}

}  // namespace

bool WritableWindows::open(void* addr, size_t bytes) {
  if (bytes == 0) return true;
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto a = reinterpret_cast<uintptr_t>(addr);
  for (const Opened& o : opened_)
    if (a >= o.begin && a + bytes <= o.end) return true;
  uintptr_t begin = a & ~(page - 1);
  uintptr_t end = (a + bytes + page - 1) & ~(page - 1);
  if (!read_) {
    map_ = read_mappings();
    read_ = true;
  }
  bool mapped = false;
  for (const Mapping& m : map_) {
    if (m.end <= begin || m.begin >= end) continue;
    mapped = true;
    if (m.prot & PROT_WRITE) continue;
    uintptr_t lo = std::max(begin, m.begin), hi = std::min(end, m.end);
    if (mprotect(reinterpret_cast<void*>(lo), hi - lo, m.prot | PROT_WRITE) != 0) return false;
    opened_.push_back(Opened{lo, hi, m.prot});
  }
  return mapped;
}

WritableWindows::~WritableWindows() {
  for (const Opened& o : opened_) mprotect(reinterpret_cast<void*>(o.begin), o.end - o.begin, o.prot);
}

}  // namespace snow::msr
