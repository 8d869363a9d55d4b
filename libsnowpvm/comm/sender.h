// The sending side of the data-communication protocol: send() (seed 001
// Fig. 2) and connect() (Fig. 3), with the scheduler lookup after a
// conn_nack (Fig. 3 lines 9-15) and the copies kept for a provisional
// destination.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <optional>

namespace snow::comm {

class Runtime;

class Sender {
 public:
  explicit Sender(Runtime& rt) : rt_(rt) {}

  // Fig. 2: connect if needed, then send the active send buffer to the
  // peer's current real tid.  Returns 0 or a negative status.
  int send(int vtid, int tag);
  // Fig. 3: returns 0 once `vtid` is in Connected, SnowTerminated when
  // the scheduler says it has exited, SnowNoScheduler when no lookup can
  // be made.
  int connect(int vtid);

  // Fig. 3 line 10 (and operator-side queries): nothing when the scheduler
  // cannot be reached.
  std::optional<wire::LocateReply> locate(int vtid, int nacked_real, int reason);

  // Events from the dispatcher.
  void on_conn_ack(const wire::ConnAck& m);
  void on_conn_nack(const wire::ConnNack& m);
  void on_location_notice(const wire::LocationNotice& m);

  // Copies are kept for `vtid` (its location is provisional).
  bool holds_copies_for(int vtid) const;

 private:
  int request_connection(int vtid, int real);
  Runtime& rt_;
  int next_locate_ = 1;
};

}  // namespace snow::comm
