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
  const char* journal = nullptr;
  int i = 1;
  for (; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--bound-seconds") == 0) bound = std::atoll(argv[i + 1]) * 1000;
    else if (std::strcmp(argv[i], "--journal") == 0) journal = argv[i + 1];
    else break;
  }
  if (i != argc - 1) {
    std::cerr << "usage: check_trace [--bound-seconds S] [--journal FILE] DIR\n";
    return 64;
  }
  snow::check::TraceChecker checker;
  if (journal) {
    std::ifstream jf(journal);
    std::string line;
    while (std::getline(jf, line))
      if (!line.empty()) checker.add_journal_line(line);
  }
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
  if (journal) {
    int ok = 0;
    for (const auto& m : checker.migrations()) ok += m.ok;
    auto o = checker.overlaps();
    std::cout << "check_trace: journal: " << ok << " migrations ok, "
              << checker.migrations().size() - static_cast<size_t>(ok) << " failed\n"
              << "check_trace: blocked-sends-during-receiver-migration: " << o.blocked_sends << "\n"
              << "check_trace: simultaneous-pair-migrations: " << o.simultaneous_pairs << "\n";
  }
  const size_t show = 20;
  for (size_t k = 0; k < r.problems.size() && k < show; ++k) std::cout << "  FAIL: " << r.problems[k] << "\n";
  if (r.problems.size() > show) std::cout << "  ... and " << r.problems.size() - show << " more\n";
  std::cout << (r.ok() ? "check_trace: OK: exactly once, per-pair FIFO, intact, completed\n"
                       : "check_trace: FAILED\n");
  return r.ok() ? 0 : 1;
}
