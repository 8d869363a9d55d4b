// FIFO channels on top of PVM (seed 001 Sec. 2.3 assumes them).
//
// PVM 3.4 does not keep a pair's messages in order while a direct route
// is being set up from both ends: with crossed TC_CONREQs the higher tid
// grants the other's request and sends its own first messages through the
// daemons until the link is open (src/lpvm.c pvm_tc_conreq, and mxfer,
// which uses the daemon route unless the link is TTOPEN), so a later
// message can overtake them on the direct link.  The stress test's checker
// caught exactly that.
//
// So every message one SNOW task sends to another - data, peer_migrating,
// end_of_messages, the received-message list, redeliveries - carries a
// per-channel sequence number in the message header's wait-id field
// (transmitted end to end, unused for task-to-task messages), and the
// receiver holds back any message that arrives before its predecessors.
// Messages with wait id 0 (daemons, scheduler, plain PVM tasks) are not
// ordered.
#pragma once

#include "libsnowpvm/comm/pvm_io.h"

#include <map>
#include <unordered_map>
#include <vector>

namespace snow::comm {

class ChannelOrder {
 public:
  // The number to stamp on the next message to `dst` (1, 2, ...).
  int next_out(int dst);
  // A numbered message arrived: the messages that are now in order.
  std::vector<pvmio::Incoming> arrive(const pvmio::Incoming& in);
  size_t held() const;

 private:
  std::unordered_map<int, int> out_;      // dst -> last number sent
  std::unordered_map<int, int> expect_;   // src -> next number due
  std::unordered_map<int, std::map<int, pvmio::Incoming>> held_;
};

// Stamp `seq` on the active send buffer's header.
void stamp_send_buffer(int seq);

}  // namespace snow::comm
