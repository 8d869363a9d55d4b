// Restoration (seed 000, MSRM): read a state stream and rebuild every
// block in this platform's layout -- roots in place, heap blocks freshly
// allocated and registered, saved frames waiting for snow_frame_resume --
// then every pointer is made to point at the same logical target.  Blocks
// are restored as their frames arrive, so over a socket restoration runs
// while the source is still collecting (buffered data transfer).
//
// Whatever the input, the result is either a complete restore or a
// StateError / NotMigratable saying what is wrong; never a crash, never a
// hang (test/fuzz/ proves it).  After a failure, roots may hold partly
// restored values, and heap blocks allocated so far are released.
#pragma once

#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/util/byte_stream.h"

#include <cstdint>
#include <string>

namespace snow::msr {

struct RestoreOptions {
  // Refuse a stream whose blocks need more than this much new memory.
  uint64_t max_bytes = UINT64_MAX;
  // Free this registry's heap blocks and frames first (a source restoring
  // itself after an aborted migration: all of its live state is in the
  // stream).
  bool discard_existing = false;
};

struct RestoreStats {
  uint64_t blocks = 0;
  uint64_t payload_bytes = 0;  // as the source sent them
  uint64_t pointers = 0;
  uint64_t stream_bytes = 0;
  uint64_t frames = 0;
  bool converted = false;  // some block needed more than a copy
  std::string source_arch;
};

class Restorer {
 public:
  explicit Restorer(Registry& reg, RestoreOptions opt = {}) : reg_(reg), opt_(opt) {}
  void run(ByteSource& in);
  const RestoreStats& stats() const { return stats_; }

 private:
  Registry& reg_;
  RestoreOptions opt_;
  RestoreStats stats_;
};

}  // namespace snow::msr
