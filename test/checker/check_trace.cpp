// check_trace [--bound-seconds S] DIR: judge the traces DIR/*.trace of a
// comm_stress run (see trace_checker.h).  Exit status 0 only when every
// property holds.
#include "test/checker/trace_checker.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  std::optional<long long> bound;
  int i = 1;
  if (argc > 2 && std::strcmp(argv[1], "--bound-seconds") == 0) {
    bound = std::atoll(argv[2]) * 1000;
    i = 3;
  }
  if (i != argc - 1) {
    std::cerr << "usage: check_trace [--bound-seconds S] DIR\n";
    return 64;
  }
  snow::check::TraceChecker checker;
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(argv[i])) {
    if (e.path().extension() != ".trace") continue;
    ++files;
    std::ifstream f(e.path());
    std::string line;
    int n = 0;
    while (std::getline(f, line))
      if (!line.empty()) checker.add_line(e.path().filename().string(), ++n, line);
  }
  auto r = checker.check(bound);
  std::cout << "check_trace: " << files << " traces, " << r.workers << " workers, " << r.pairs << " pairs, "
            << r.messages << " messages, " << r.resumes << " resumes after migration, span " << r.span_ms
            << " ms\n";
  const size_t show = 20;
  for (size_t k = 0; k < r.problems.size() && k < show; ++k) std::cout << "  FAIL: " << r.problems[k] << "\n";
  if (r.problems.size() > show) std::cout << "  ... and " << r.problems.size() - show << " more\n";
  std::cout << (r.ok() ? "check_trace: OK: exactly once, per-pair FIFO, intact, completed\n"
                       : "check_trace: FAILED\n");
  return r.ok() ? 0 : 1;
}
