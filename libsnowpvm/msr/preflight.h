// The pre-flight check (seed 004, "incompatible data conversion"): before
// the source stops anything, walk the reachable state and make sure every
// value can live on the destination.  A 64-bit long that fits 32 bits is
// fine (it will be converted); one that does not, a long double that
// binary128 -> x87 would round, a union whose active member is unknown,
// or a pointer no other layout can express, makes the migration refuse,
// naming the variable.  Identical layouts need no check at all.
#pragma once

#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/util/platform.h"

namespace snow::msr {

struct PreflightStats {
  uint64_t blocks = 0;
  uint64_t values_checked = 0;
};

// Throws migrate::NotMigratable naming the first variable that cannot move
// to `dst`, or StateError for a graph that cannot be collected at all.
PreflightStats preflight(Registry& reg, const Platform& dst);

}  // namespace snow::msr
