// The stress test's judge: reads the traces written by
// test/programs/comm_stress (one file per process, appended by each of its
// incarnations in turn) and proves, or refutes,
//   * exactly-once delivery: every message sent was received once, and
//     nothing was received that was not sent;
//   * per-pair FIFO: each receiver saw each sender's messages in the order
//     they were sent;
//   * integrity: no message arrived damaged (the receiver checks content);
//   * completion within a bound: every worker that began also ended, and
//     the whole run took no longer than the bound.
// Pure logic, no PVM: unit-tested in test/unit/test_trace_checker.cpp.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace snow::check {

// One migration from the scheduler's journal (scheduler/journal.h).
struct Migration {
  int vtid = 0;
  long long start_ms = 0, end_ms = 0;
  bool ok = false;
  std::string to;
};

// How the stress scenarios actually overlapped, from traces + journal.
struct Overlaps {
  int blocked_sends = 0;       // sends blocked while their receiver migrated
  int simultaneous_pairs = 0;  // communicating pairs that migrated at the same time
};

struct Report {
  bool ok() const { return problems.empty(); }
  std::vector<std::string> problems;  // each one a full sentence
  long long messages = 0;             // sent
  int pairs = 0, workers = 0, resumes = 0;
  long long span_ms = 0;              // first begin to last end
};

class TraceChecker {
 public:
  // One line of the trace of `file` (lines are numbered from 1).
  void add_line(const std::string& file, int lineno, const std::string& line);
  // Everything added so far; `bound_ms` limits the run's duration.
  Report check(std::optional<long long> bound_ms = std::nullopt) const;
  // A line of the scheduler's journal ("mig=3 vtid=t40003 ... outcome=ok").
  void add_journal_line(const std::string& line);
  const std::vector<Migration>& migrations() const { return journal_; }
  Overlaps overlaps() const;

 private:
  using Pair = std::pair<int, int>;  // (sender, receiver)
  std::map<Pair, std::vector<int>> sent_, received_;
  std::map<int, long long> began_, ended_;
  struct Blocked {
    int sender, receiver;
    long long t0, t1;
  };
  std::vector<Blocked> blocked_;
  std::vector<Migration> journal_;
  std::vector<std::string> parse_errors_, damaged_;
  int resumes_ = 0;
};

}  // namespace snow::check
