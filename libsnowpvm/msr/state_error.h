// The MSR layer's exception: a state stream that is corrupt, truncated or
// does not fit this program, or a registration the MSRLT cannot accept.
// what() is a complete sentence naming the block or variable concerned.
// Refusals to migrate (a value too wide for the destination) are
// migrate::NotMigratable, thrown by the pre-flight check and by the
// restorer alike.
#pragma once

#include "libsnowpvm/util/error.h"

#include <string>

namespace snow::msr {

class StateError : public Error {
 public:
  explicit StateError(const std::string& what) : Error(what) {}
};

}  // namespace snow::msr
