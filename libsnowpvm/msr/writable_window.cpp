#include "libsnowpvm/msr/writable_window.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace snow::msr {

namespace {

struct Mapping {
  uintptr_t begin = 0, end = 0;
  int prot = 0;
};

// The mappings of this process that overlap [begin, end).
std::vector<Mapping> mappings(uintptr_t begin, uintptr_t end) {
  std::vector<Mapping> out;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long lo = 0, hi = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) != 3) continue;
    if (hi <= begin || lo >= end) continue;
    Mapping m;
    m.begin = lo;
    m.end = hi;
    m.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
             (perms[2] == 'x' ? PROT_EXEC : 0);
    out.push_back(m);
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
  auto maps = mappings(begin, end);
  if (maps.empty()) return false;
  for (const Mapping& m : maps) {
    if (m.prot & PROT_WRITE) continue;
    uintptr_t lo = std::max(begin, m.begin), hi = std::min(end, m.end);
    if (mprotect(reinterpret_cast<void*>(lo), hi - lo, m.prot | PROT_WRITE) != 0) return false;
    opened_.push_back(Opened{lo, hi, m.prot});
  }
  return true;
}

WritableWindows::~WritableWindows() {
  for (const Opened& o : opened_) mprotect(reinterpret_cast<void*>(o.begin), o.end - o.begin, o.prot);
}

}  // namespace snow::msr
