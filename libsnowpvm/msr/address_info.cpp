#include "libsnowpvm/msr/address_info.h"

#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/heap.h"
#include "libsnowpvm/msr/type_info.h"

#include <link.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace snow::msr {
namespace {

struct Lookup {
  uintptr_t pc = 0;
  std::string object;
  uintptr_t offset = 0;
  bool found = false;
};

int find_object(dl_phdr_info* info, size_t, void* arg) {
  auto* l = static_cast<Lookup*>(arg);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (l->pc >= start && l->pc < start + ph.p_memsz) {
      l->object = info->dlpi_name ? info->dlpi_name : "";
      l->offset = l->pc - info->dlpi_addr;
      l->found = true;
      return 1;
    }
  }
  return 0;
}

std::string self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "the program";
  buf[n] = '\0';
  return buf;
}

std::string hex(uintptr_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::string code_location(const void* return_address) {
  if (return_address == nullptr) return "";
  Lookup l;
  l.pc = reinterpret_cast<uintptr_t>(return_address) - 1;  // inside the call instruction
  dl_iterate_phdr(find_object, &l);
  if (!l.found) return "";
  std::string object = l.object.empty() ? self_exe() : l.object;
  auto slash = object.rfind('/');
  std::string base = slash == std::string::npos ? object : object.substr(slash + 1);
  return base + "+" + hex(l.offset) + " (addr2line -f -e " + object + " " + hex(l.offset) + ")";
}

std::string memory_kind(uintptr_t addr) {
  std::ifstream maps("/proc/self/maps");
  if (!maps) return "";
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms, offset, dev, inode, path;
    in >> range >> perms >> offset >> dev >> inode;
    std::getline(in >> std::ws, path);
    auto dash = range.find('-');
    if (dash == std::string::npos) continue;
    uintptr_t lo = std::stoull(range.substr(0, dash), nullptr, 16);
    uintptr_t hi = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (addr < lo || addr >= hi) continue;
    if (path == "[stack]")
      return "on the stack: a local variable that is not saved in a frame record";
    if (path == "[heap]" || path.empty())
      return "in memory that is not a block of the runtime: freed, or allocated by a library or "
             "by code not built with snowcc";
    if (path[0] == '[') return "in " + path;
    return "in " + path + ": a global or static variable that is not tracked, or data of that file";
  }
  return "in no mapped memory: a dangling or corrupt pointer";
}

std::string unregistered_detail(const Block& holder, uintptr_t target) {
  std::string kind = memory_kind(target);
  std::string what = kind.empty() ? " (a global not tracked, freed memory, or memory not from snow_malloc)"
                                  : " but " + kind;
  // Frame records are heap blocks too, allocated by the runtime itself.
  const bool frame = holder.elem && holder.elem->name && std::strncmp(holder.elem->name, "frame ", 6) == 0;
  auto* data = const_cast<char*>(holder.data);
  if (holder.kind == BlockKind::Heap && !frame && is_heap_payload(data)) {
    std::string site = code_location(find_block(data).site());
    what += "; the " + type_name(holder.elem) + " holding it was allocated " +
            (site.empty() ? std::string("at an unknown place (restored from a migration or checkpoint?)")
                          : "at " + site);
  }
  return what;
}

}  // namespace snow::msr
