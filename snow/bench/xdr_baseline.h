// The canonical alternative SNOW itself used: XDR (libtirpc), measured on
// the same kinds of state so doc/state-format.md can compare it with the
// receiver-makes-right format by measurement.  XDR converts on both sides
// whatever the platforms, so its encode + decode is paid even between two
// x86_64 hosts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snow::cli::bench {

struct XdrResult {
  double encode_s = 0, decode_s = 0;
  uint64_t bytes = 0;  // encoded size
  bool verified = false;
};

// An array of n doubles: xdr_vector(xdr_double).
XdrResult xdr_array(size_t n, int reps);
// A complete binary tree of n nodes {int64 key; double val; 2 children},
// preorder with presence flags (cheaper than any pointer translation).
XdrResult xdr_tree(long n, int reps);

}  // namespace snow::cli::bench
