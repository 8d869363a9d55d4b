// Connection state of one process (seed 001 Sec. 3.2): the set
// Connected of peers with an open channel, the connection requests this
// process has outstanding (Fig. 3), and what it learned from peers that
// announced their migration (peer_migrating).
//
// Invariants:
//  * a peer is in Connected only after a conn_ack from its current real
//    tid (Fig. 3 line 5) or after we granted its conn_req (line 7, Fig. 4
//    line 11); data is sent only to peers in Connected (Fig. 2);
//  * once a real tid sent peer_migrating, its conn_reqs numbered below
//    the number it announced are stale (they were sent before it left),
//    and an ack from it to an outstanding request of ours counts as a
//    nack: granting or accepting them would open a channel to a process
//    that is about to exit.
#pragma once

#include <cstddef>
#include <map>
#include <unordered_map>
#include <vector>

namespace snow::comm {

struct Peer {
  int vtid = 0;
  int real = 0;
};

struct PendingConnect {
  enum State { Waiting, Acked, Nacked };
  int vtid = 0;
  int real = 0;         // where the conn_req went
  State state = Waiting;
  int nack_reason = 0;  // wire::NackReason
  bool invalidated = false;
};

class Connections {
 public:
  bool connected(int vtid) const { return by_vtid_.count(vtid) != 0; }
  // Real tid of a connected peer (0 when not connected).
  int real_of(int vtid) const;
  void add(int vtid, int real);
  void close(int vtid) { by_vtid_.erase(vtid); }
  // Close the connection that goes to `real`, if any; returns its vtid or 0.
  int close_real(int real);
  void close_all() { by_vtid_.clear(); }
  std::vector<Peer> peers() const;
  size_t size() const { return by_vtid_.size(); }

  int new_request(int vtid, int real);
  PendingConnect* request(int req_id);
  void finish(int req_id) { pending_.erase(req_id); }
  int next_request_id() const { return next_req_; }

  void mark_departed(int real, int next_req_id);
  bool is_stale_request(int real, int req_id) const;
  void invalidate_requests_to(int real);

 private:
  std::map<int, int> by_vtid_;  // ordered: deterministic peer_migrating order
  std::unordered_map<int, PendingConnect> pending_;
  std::unordered_map<int, int> departed_;  // real -> first fresh request id
  int next_req_ = 1;
};

}  // namespace snow::comm
