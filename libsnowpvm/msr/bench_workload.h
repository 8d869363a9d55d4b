// The state `snow bench state` moves, in a form every architecture can
// build (the cross-built helper test/programs/msr_bench_helper runs the
// same code on the i386 and s390x hosts):
//   array  -- one root: an array of doubles (seed 000's linpack is 325 KB
//             and 8 MB of mostly arrays)
//   tree   -- a root pointer to a complete binary tree of heap nodes
//             {long key; double val; node *left, *right}
// Each workload builds its state in one registry (the source), registers
// empty roots of the same names in another (the destination), and checks
// every restored value.
#pragma once

#include "libsnowpvm/msr/registry.h"

#include <cstdint>
#include <memory>
#include <string>

namespace snow::msr::bench {

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;        // "array-8MiB", "tree-1M"
  virtual uint64_t payload_bytes() const = 0;  // the state's bytes here
  virtual void build(Registry& source) = 0;
  virtual void prepare(Registry& destination) = 0;
  // After a restore into the prepared registry: every value right?
  virtual bool verify() const = 0;
};

// `kind` is "array" (size in bytes) or "tree" (size in nodes).
std::unique_ptr<Workload> make_workload(const std::string& kind, uint64_t size);

}  // namespace snow::msr::bench
