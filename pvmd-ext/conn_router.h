// The extension's part of connection establishment (seed 001 Sec. 3.2.1):
// connection requests are routed requester -> requester's extension ->
// target's extension -> target, answers back the same way.  Each
// extension keeps a record of every request it routes and deletes it when
// the conn_ack or conn_nack passes back.  It answers conn_nack itself
//   * for a target that has exited (or exits with requests pending),
//   * for a target that asked to reject requests (Fig. 5 line 4),
//   * for requests to a host that left the virtual machine (requester's
//     side),
//   * for a target that is not a SNOW task (plain_peer_hold.h): requests
//     for a local task that has not registered are held until it does.
// Stock pvmd silently drops messages for tasks that do not exist, which
// is why these answers must come from here.
#pragma once

#include "libsnowpvm/migrate/wire.h"
#include "pvmd-ext/directory.h"
#include "pvmd-ext/plain_peer_hold.h"

#include <map>
#include <unordered_set>
#include <utility>

namespace snow::ext {

class ConnRouter {
 public:
  explicit ConnRouter(Directory& dir, int my_tid) : dir_(dir), me_(my_tid) {}

  void on_conn_req(int src, const wire::ConnReq& m);
  void on_conn_ack(int src, const wire::ConnAck& m);
  void on_conn_nack(int src, const wire::ConnNack& m);
  void on_reject(int src, const wire::RejectConnReqs& m);
  void on_accept(int src, const wire::AcceptConnReqs& m);
  void on_task_exit(int tid);
  void on_host_delete(int dtid);
  // A local task said it is a SNOW task.
  void on_task_is_snow(int src, const wire::TaskIsSnow& m);
  // Look at held requests again (every kPlainPeerRecheck).
  void tick();
  bool holding() const { return hold_.held() != 0; }

  size_t pending() const { return records_.size(); }

 private:
  struct Record {
    int target = 0;
    bool requester_side = false;  // the requester lives on this host
    bool target_side = false;     // the target lives on this host
  };
  using Key = std::pair<int, int>;  // (requester real tid, request id)

  void deliver_to_target(const wire::ConnReq& m);
  void answer_nack(const wire::ConnReq& m, wire::NackReason why);
  // Route an answer one hop back towards the requester.
  void route_back(int requester, const wire::Message& answer);
  void watch_task(int tid);
  void apply(const PlainPeerHold::Verdicts& v);

  Directory& dir_;
  int me_;
  std::map<Key, Record> records_;
  std::unordered_set<int> rejecting_, exited_, watched_;
  PlainPeerHold hold_;
  PlainPeerHold::Clock::time_point last_review_{};
};

}  // namespace snow::ext
