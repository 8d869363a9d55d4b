// The program's say in which messages its receive calls take: message
// handlers (pvm_addmhf) and a receive matcher (pvm_recvf).  libpvm would
// apply them to its own queue, which SNOW empties into the received-message
// list, so SNOW applies them there instead.  The registrations live with
// the program's memory state (libsnowpvm/exec/message_handlers.cpp, linked
// only into programs that make these calls); that file installs these
// hooks, which stay empty otherwise.
#pragma once

#include "libsnowpvm/comm/rml.h"

#include <optional>

namespace snow::comm {

class Runtime;

struct UserMatching {
  // Run the handler of every listed message that one matches (taking the
  // message off the list), as libpvm does when such a message comes in.
  void (*run_handlers)(Runtime& rt) = nullptr;
  // The same after a send (libpvm reads its socket there too): takes in
  // what has arrived first, when a handler is registered.
  void (*after_send)(Runtime& rt) = nullptr;
  // With a matcher set: pick the message for a receive of (tid, tag) as
  // pvm_recv does with it.  Returns false when no matcher is set; then
  // `status` < 0 is an error to return, and `picked` the choice, if any.
  bool (*pick)(const Rml& rml, int tid, int tag, std::optional<RmlEntry>& picked, int& status) = nullptr;
};

inline UserMatching user_matching;

}  // namespace snow::comm
