// Copies of messages sent to a provisional (not yet committed)
// initialized process, kept until the scheduler says it is final or that
// the migration was aborted, in which case they are redelivered to the
// source in their original order (doc/design/comm-protocol.md, "Beyond
// the paper").  Each copy is a libpvm buffer holding one pvm_pkmesg'd
// message.
#pragma once

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

namespace snow::comm {

class Retention {
 public:
  // Copy the active send buffer, as just sent with `tag` in context
  // `ctx`, for (vtid, mig).
  void keep_active_send_buffer(int vtid, int mig, int tag, int ctx);
  // The copies for (vtid, mig), in send order; the caller owns them.
  std::vector<int> release(int vtid, int mig);
  // Forget (and free) the copies for (vtid, mig).
  void drop(int vtid, int mig);
  size_t count(int vtid, int mig) const;

 private:
  std::map<std::pair<int, int>, std::vector<int>> copies_;
};

}  // namespace snow::comm
