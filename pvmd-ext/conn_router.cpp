#include "pvmd-ext/conn_router.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/util/error.h"
#include "pvmd-ext/process_age.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace snow::ext {
namespace {

int req_id_of(const wire::Message& m) {
  if (auto* a = std::get_if<wire::ConnAck>(&m)) return a->req_id;
  if (auto* n = std::get_if<wire::ConnNack>(&m)) return n->req_id;
  return -1;
}

void send(int tid, const wire::Message& m) {
  int rc = pvmio::send_control(tid, m);
  if (rc < 0)
    spdlog::warn("send: kind={} to={} failed: {}", wire::kind_name(wire::kind_of(m)), tid_str(tid),
                 pvm_error_name(rc));
}

}  // namespace

void ConnRouter::on_conn_req(int src, const wire::ConnReq& m) {
  const Key key{m.from_real, m.req_id};
  if (src == m.from_real) {  // from a task of this host: the requester's side
    if (!dir_.is_local(m.from_real)) {
      spdlog::warn("conn_req: from={} is not a task of this host (dropped)", tid_str(src));
      return;
    }
    spdlog::info("conn_req: from={} to={} req={}", tid_str(m.from_real), tid_str(m.to_real), m.req_id);
    auto& r = records_[key];
    r.target = m.to_real;
    r.requester_side = true;
    if (dir_.is_local(m.to_real)) {
      deliver_to_target(m);
      return;
    }
    int ext = dir_.ext_for(m.to_real);
    if (!ext) {  // the target's host left the virtual machine
      answer_nack(m, wire::NackReason::HostGone);
      return;
    }
    dir_.watch_host_of(m.to_real);
    send(ext, m);
    return;
  }
  if (!dir_.is_local(m.to_real)) {
    spdlog::warn("conn_req: from={} for {}, not a task of this host (dropped)", tid_str(src),
                 tid_str(m.to_real));
    return;
  }
  spdlog::info("conn_req: from={} to={} req={} via={}", tid_str(m.from_real), tid_str(m.to_real), m.req_id,
               tid_str(src));
  records_[key].target = m.to_real;
  deliver_to_target(m);
}

// The target's side.
void ConnRouter::deliver_to_target(const wire::ConnReq& m) {
  auto& r = records_[{m.from_real, m.req_id}];
  r.target = m.to_real;
  r.target_side = true;
  if (exited_.count(m.to_real)) {  // also a task that has migrated away
    answer_nack(m, wire::NackReason::Exited);
    return;
  }
  if (rejecting_.count(m.to_real)) {  // Fig. 5 line 4: it is migrating
    answer_nack(m, wire::NackReason::Migrating);
    return;
  }
  watch_task(m.to_real);  // fires at once when it is already gone
  if (!hold_.is_snow(m.to_real)) {  // a plain PVM task would never answer
    if (hold_.is_plain(m.to_real)) {
      answer_nack(m, wire::NackReason::NotSnow);
      return;
    }
    spdlog::info("conn_req: held: to={} req={} (it has not said it is a SNOW task yet)", tid_str(m.to_real),
                 m.req_id);
    hold_.hold(m, PlainPeerHold::Clock::now());
    return;
  }
  send(m.to_real, m);
}

void ConnRouter::on_task_is_snow(int src, const wire::TaskIsSnow& m) {
  if (src != m.real || !dir_.is_local(m.real)) {
    spdlog::warn("task-is-snow: from={} for {}: only a task of this host may say it for itself (dropped)",
                 tid_str(src), tid_str(m.real));
    return;
  }
  spdlog::info("task-is-snow: tid={}", tid_str(m.real));
  watch_task(m.real);
  apply(hold_.registered(m.real));
}

void ConnRouter::tick() {
  auto now = PlainPeerHold::Clock::now();
  if (!hold_.held() || now - last_review_ < kPlainPeerRecheck) return;
  last_review_ = now;
  apply(hold_.review(now, process_age));
}

void ConnRouter::apply(const PlainPeerHold::Verdicts& v) {
  for (const auto& m : v.deliver) {
    if (exited_.count(m.to_real)) answer_nack(m, wire::NackReason::Exited);
    else if (rejecting_.count(m.to_real)) answer_nack(m, wire::NackReason::Migrating);
    else send(m.to_real, m);
  }
  for (const auto& m : v.not_snow) answer_nack(m, wire::NackReason::NotSnow);
  for (const auto& m : v.exited) answer_nack(m, wire::NackReason::Exited);
}

void ConnRouter::answer_nack(const wire::ConnReq& m, wire::NackReason why) {
  wire::ConnNack n;
  n.req_id = m.req_id;
  n.reason = static_cast<int>(why);
  n.target_real = m.to_real;
  n.requester = m.from_real;
  spdlog::info("conn_nack: to={} target={} req={} reason={} by=ext", tid_str(m.from_real),
               tid_str(m.to_real), m.req_id, wire::nack_reason_name(n.reason));
  route_back(m.from_real, n);
}

// One hop back towards the requester; the record is deleted as the
// answer passes.
void ConnRouter::route_back(int requester, const wire::Message& answer) {
  records_.erase({requester, req_id_of(answer)});
  if (dir_.is_local(requester)) {
    send(requester, answer);
    return;
  }
  int ext = dir_.ext_for(requester);
  if (!ext) {
    spdlog::warn("route-back: requester {} has no extension any more (dropped)", tid_str(requester));
    return;
  }
  send(ext, answer);
}

void ConnRouter::on_conn_ack(int src, const wire::ConnAck& m) {
  spdlog::info("conn_ack: from={} to={} req={}", tid_str(m.target_real), tid_str(m.requester), m.req_id);
  (void)src;
  route_back(m.requester, m);
}

void ConnRouter::on_conn_nack(int src, const wire::ConnNack& m) {
  spdlog::info("conn_nack: from={} to={} req={} reason={}", tid_str(src), tid_str(m.requester), m.req_id,
               wire::nack_reason_name(m.reason));
  route_back(m.requester, m);
}

void ConnRouter::on_reject(int src, const wire::RejectConnReqs& m) {
  if (src != m.real || !dir_.is_local(m.real)) {
    spdlog::warn("reject: from={} for {}: only a task of this host may ask for itself (dropped)",
                 tid_str(src), tid_str(m.real));
    return;
  }
  rejecting_.insert(m.real);
  watch_task(m.real);  // after its migration it exits: requests then get "exited"
  spdlog::info("reject: tid={} mig={} (conn_reqs are nacked from now on)", tid_str(m.real), m.mig);
  wire::RejectAck a;
  a.real = m.real;
  a.mig = m.mig;
  send(m.real, a);
}

void ConnRouter::on_accept(int src, const wire::AcceptConnReqs& m) {
  if (src != m.real) {
    spdlog::warn("accept: from={} for {} (dropped)", tid_str(src), tid_str(m.real));
    return;
  }
  rejecting_.erase(m.real);
  spdlog::info("accept: tid={} mig={} (conn_reqs are delivered again)", tid_str(m.real), m.mig);
  wire::AcceptAck a;
  a.real = m.real;
  a.mig = m.mig;
  send(m.real, a);
}

void ConnRouter::watch_task(int tid) {
  if (!watched_.insert(tid).second) return;
  pvmio::QuietGuard quiet;
  pvmio::ContextGuard ctx(wire::kContext);
  pvm_notify(PvmTaskExit, wire::kTagTaskExit, 1, &tid);
}

void ConnRouter::on_task_exit(int tid) {
  exited_.insert(tid);
  (void)hold_.exited(tid);  // its held requests have records: answered below
  std::vector<Key> pending;
  for (const auto& [key, r] : records_)
    if (r.target_side && r.target == tid) pending.push_back(key);
  spdlog::info("task-exit: tid={} pending={}", tid_str(tid), pending.size());
  for (const auto& [requester, req_id] : pending) {
    wire::ConnReq m;
    m.req_id = req_id;
    m.from_real = requester;
    m.to_real = tid;
    answer_nack(m, wire::NackReason::Exited);
  }
}

void ConnRouter::on_host_delete(int dtid) {
  dir_.forget_host(dtid);
  std::vector<Key> pending, orphans;
  for (const auto& [key, r] : records_) {
    if (r.requester_side && !r.target_side && tid_host_part(r.target) == tid_host_part(dtid))
      pending.push_back(key);
    else if (!r.requester_side && tid_host_part(key.first) == tid_host_part(dtid))
      orphans.push_back(key);
  }
  spdlog::info("host-delete: host={} pending={} orphaned={}", tid_str(dtid), pending.size(), orphans.size());
  for (const auto& k : orphans) records_.erase(k);
  for (const auto& [requester, req_id] : pending) {
    wire::ConnReq m;
    m.req_id = req_id;
    m.from_real = requester;
    m.to_real = records_[{requester, req_id}].target;
    answer_nack(m, wire::NackReason::HostGone);
  }
}

}  // namespace snow::ext
