#include "pvmd-ext/process_age.h"

#include "libsnowpvm/comm/pvm_io.h"

#include <pvm3.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace snow::ext {

std::optional<std::chrono::milliseconds> process_age_from(const std::string& stat, double uptime_s,
                                                          long ticks_per_s) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
  // the fields are counted after its last ')'.  starttime is field 22.
  auto close = stat.rfind(')');
  if (close == std::string::npos || ticks_per_s <= 0) return std::nullopt;
  std::istringstream in(stat.substr(close + 1));
  std::string field;
  unsigned long long start = 0;
  for (int i = 3; i <= 22; ++i) {
    if (!(in >> field)) return std::nullopt;
    if (i == 22) {
      try {
        start = std::stoull(field);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  double age_s = uptime_s - static_cast<double>(start) / static_cast<double>(ticks_per_s);
  if (age_s < 0) age_s = 0;
  return std::chrono::milliseconds(static_cast<long long>(age_s * 1000.0));
}

std::optional<std::chrono::milliseconds> process_age(int tid) {
  int ntask = 0;
  struct pvmtaskinfo* info = nullptr;
  {
    pvmio::QuietGuard quiet;
    if (pvm_tasks(tid, &ntask, &info) < 0 || ntask < 1 || !info) return std::nullopt;
  }
  int pid = 0;
  for (int i = 0; i < ntask; ++i)
    if (info[i].ti_tid == tid) pid = info[i].ti_pid;
  if (pid <= 0) return std::nullopt;
  std::ifstream sf("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(sf)), std::istreambuf_iterator<char>());
  std::ifstream uf("/proc/uptime");
  double uptime = 0;
  if (stat.empty() || !(uf >> uptime)) return std::nullopt;
  return process_age_from(stat, uptime, sysconf(_SC_CLK_TCK));
}

}  // namespace snow::ext
