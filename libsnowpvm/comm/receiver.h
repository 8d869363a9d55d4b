// The receiving side of the data-communication protocol (seed 001
// Fig. 4): the received-message list is searched first, new messages are
// taken only when it has nothing that matches; connection requests are
// granted and peer_migrating markers answered on the way.
#pragma once

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/comm/rml.h"
#include "libsnowpvm/migrate/wire.h"

#include <vector>

namespace snow::comm {

class Runtime;

class Receiver {
 public:
  explicit Receiver(Runtime& rt) : rt_(rt) {}

  // Fig. 4.  `tid` is a virtual tid or -1, `tag` a tag or -1; the
  // application's current context must match.  With `remove` the message
  // becomes the active receive buffer (as pvm_recv); without, its buffer
  // id is returned and it stays listed (as pvm_probe).  Returns the buffer
  // id, 0 when `how` expired, or a negative status.
  int recv(int tid, int tag, pvmio::Wait how, bool remove = true);

  // Events from the dispatcher.
  void on_data(const pvmio::Incoming& in);                          // Fig. 4 lines 6-7
  void on_conn_req(const wire::ConnReq& m);                         // lines 9-11
  void on_peer_migrating(int src, const wire::PeerMigrating& m);    // lines 12-14
  void on_end_of_messages(int src, const wire::EndOfMessages& m);   // Fig. 5 line 6
  void on_redelivery(const wire::Redelivery& m, const std::vector<int>& carried);
  // Grant requests held back while copies for their sender were pending.
  void release_deferred(int vtid);

 private:
  int deliver(const RmlEntry& e, bool remove);
  void grant(const wire::ConnReq& m);
  void nack(const wire::ConnReq& m, wire::NackReason why);
  int service_migration();
  Runtime& rt_;
  std::vector<wire::ConnReq> deferred_;
  bool swapped_once_ = false;
};

}  // namespace snow::comm
