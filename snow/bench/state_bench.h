// `snow bench state`: what moving the memory state costs.  Collection,
// transfer and restoration throughput for array-heavy state (325 KiB,
// 8 MiB, 256 MiB) and pointer-heavy state (a tree of 1 M nodes), each
// homogeneous, cross-endian and 64 -> 32-bit, beside memcpy of the same
// bytes and a plain loopback TCP copy measured in the same run; plus the
// MSRLT's registration costs and the XDR alternative.  Medians.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace snow::cli::bench {

struct StateBenchOptions {
  bool quick = false;  // small sizes, one repetition
  std::string json = "bench-state.json";
  std::map<std::string, std::string> helpers;               // arch -> msr_bench_helper
  std::string tmpdir;                                       // for foreign streams
  std::vector<std::pair<std::string, uint64_t>> workloads;  // instead of the standard set
  int reps = 0;                                             // instead of the standard counts
};

// Prints the tables and writes the JSON; returns 0 when every restored
// state verified.
int run_state_bench(const StateBenchOptions& opt);

}  // namespace snow::cli::bench
