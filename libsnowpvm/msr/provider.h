// The memory state behind the migration protocol (migrate/state_provider.h)
// and behind checkpoints: the MSR runtime of the process's registry.
#pragma once

#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"

namespace snow::msr {

class MsrStateProvider final : public migrate::StateProvider {
 public:
  explicit MsrStateProvider(Registry& reg) : reg_(reg) {}
  // Pre-flight narrowing test (seed 004); throws NotMigratable.
  void check(const Platform& dst) override;
  // Collection straight into the stream (buffered data transfer, seed 000).
  void collect(ByteSink& out, const Platform& dst) override;
  // Restoration; a process that unwound its frames for a migration that
  // then aborted replaces its heap with the stream's.
  void restore(ByteSource& in) override;

 private:
  Registry& reg_;
};

// The provider of the process's registry (installed by default).
MsrStateProvider& process_provider();

// Checkpoint ("migration to disk", seed 002): the state of `reg` into the
// file `path`: written to a new private (0600) temporary file in the same
// directory, created exclusively and never through a symbolic link,
// fsync'ed, then renamed over `path`.
CollectStats write_checkpoint(Registry& reg, const std::string& path);
RestoreStats read_checkpoint(Registry& reg, const std::string& path);

}  // namespace snow::msr
