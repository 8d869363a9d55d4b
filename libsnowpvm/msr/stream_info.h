// What a state stream says about itself before any block: its format
// version, the source's platform, the program, the number of roots.  Used
// by `snow restart` to check a checkpoint before starting anything.
#pragma once

#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/platform.h"

#include <cstdint>
#include <string>

namespace snow::msr {

struct StreamInfo {
  Platform source;
  bool portable = false;
  std::string program;
  uint64_t roots = 0;
};

// Reads the header and the hello record; throws StateError.
StreamInfo read_stream_info(ByteSource& in);

}  // namespace snow::msr
