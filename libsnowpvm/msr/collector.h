// Collection (seed 000, MSRM): walk the MSR graph depth-first from the
// live roots and write every reachable block to a state stream, in the
// source's own layout with a description of its types (receiver makes it
// right, seed 004), pointers turned logical.  Blocks nothing points to are
// never sent.  The stream is written as the walk goes, so a socket carries
// the first frames while later blocks are still being visited.
#pragma once

#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/platform.h"

#include <cstdint>
#include <optional>

namespace snow::msr {

struct CollectStats {
  uint64_t blocks = 0;         // data records
  uint64_t payload_bytes = 0;  // block contents
  uint64_t pointers = 0;       // pointer slots translated
  uint64_t stream_bytes = 0;   // everything written
};

class Collector {
 public:
  // `dst`: the destination's platform, or nullopt for a checkpoint (any
  // destination).  When it differs from here, or is unknown, the stream
  // carries what a different layout needs (bit-field values).
  Collector(Registry& reg, std::optional<Platform> dst);

  // Writes the whole stream and flushes `out`.  Throws StateError (or
  // NotMigratable) naming the variable; the stream then ends with an abort
  // frame so the reader learns why.
  void run(ByteSink& out);

  const CollectStats& stats() const { return stats_; }

 private:
  Registry& reg_;
  bool portable_;
  CollectStats stats_;
};

}  // namespace snow::msr
