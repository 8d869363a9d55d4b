#include "libsnowpvm/comm/sender.h"

#include "libsnowpvm/comm/plain_peers.h"
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/trace_snow_emit.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace snow::comm {

using namespace std::chrono_literals;

// Fig. 2: send(m, dest).
int Sender::send(int vtid, int tag) {
  if (vtid == rt_.id.vtid) return rt_.send_data(rt_.id.real, tag);
  if (plain_peers::is_plain(vtid)) return plain_peers::send(rt_, vtid, tag);
  if (!rt_.conns.connected(vtid)) {  // line 1
    int rc = connect(vtid);          // line 2
    if (rc < 0) return rc;
    if (plain_peers::is_plain(vtid)) return plain_peers::send(rt_, vtid, tag);
  }
  int real = rt_.conns.real_of(vtid);
  int rc = rt_.send_data(real, tag);  // line 4: along the channel (numbered, FIFO)
  Location loc = rt_.pl.find(vtid);
  if (rc >= 0 && loc.provisional && loc.real == real)
    rt_.retained.keep_active_send_buffer(vtid, loc.mig, tag, pvm_getcontext());
  return rc;
}

int Sender::request_connection(int vtid, int real) {
  int req = rt_.conns.new_request(vtid, real);
  wire::ConnReq m;
  m.req_id = req;
  m.from_vtid = rt_.id.vtid;
  m.from_real = rt_.id.real;
  m.to_vtid = vtid;
  m.to_real = real;
  spdlog::debug("conn_req: from={} to={} vtid={} req={}", tid_str(rt_.id.real), tid_str(real),
                tid_str(vtid), req);
  rt_.send_control(rt_.services.local_ext(), m);
  return req;
}

// Fig. 3: connect(dest).
int Sender::connect(int vtid) {
  auto backoff = 2ms;
  while (!rt_.conns.connected(vtid)) {  // line 1
    if (!rt_.services.local_ext()) {
      spdlog::error("connect: to={}: no SNOW extension on this host", tid_str(vtid));
      return SnowNoScheduler;
    }
    Location loc = rt_.pl.find(vtid);
    int req = request_connection(vtid, loc.real);  // line 2
    // Lines 3-8 happen in the dispatcher while we wait: a conn_ack adds the
    // peer to Connected, a conn_req from anyone is granted (possibly the
    // peer itself, which also connects us).
    auto answered = [&] {
      auto* p = rt_.conns.request(req);
      return rt_.conns.connected(vtid) || !p || p->state != PendingConnect::Waiting ||
             !rt_.services.local_ext();
    };
    while (!rt_.wait_until(answered, 10s))
      spdlog::warn("connect: still waiting for conn_ack: to={} vtid={} req={}", tid_str(loc.real),
                   tid_str(vtid), req);
    auto* p = rt_.conns.request(req);
    if (rt_.conns.connected(vtid) || !p) {
      rt_.conns.finish(req);
      break;
    }
    if (p->state == PendingConnect::Waiting) continue;  // the extension vanished
    int reason = p->nack_reason;
    int nacked = p->real;
    rt_.conns.finish(req);
    spdlog::info("conn_nack: to={} vtid={} reason={}", tid_str(nacked), tid_str(vtid),
                 wire::nack_reason_name(reason));
    if (reason == static_cast<int>(wire::NackReason::NotSnow)) {  // a plain PVM task
      plain_peers::mark_plain(vtid);
      return 0;
    }
    auto where = locate(vtid, nacked, reason);  // line 10
    if (!where) {
      spdlog::error("connect: to={}: the scheduler cannot be reached to locate it", tid_str(vtid));
      return SnowNoScheduler;
    }
    auto status = static_cast<wire::TaskStatus>(where->status);
    bool gone = reason == static_cast<int>(wire::NackReason::Exited) ||
                reason == static_cast<int>(wire::NackReason::HostGone);
    if (status == wire::TaskStatus::Terminated ||
        (status == wire::TaskStatus::Unknown && gone)) {  // lines 13-14
      spdlog::info("connect: to={}: destination terminated", tid_str(vtid));
      return SnowTerminated;
    }
    if (status != wire::TaskStatus::Unknown) {  // line 12
      rt_.pl.set(vtid, Location{where->real, status == wire::TaskStatus::Migrating, where->mig});
      spdlog::info("locate: vtid={} {} at={}", tid_str(vtid), wire::task_status_name(where->status),
                   tid_str(where->real));
    }
    if (status == wire::TaskStatus::Unknown || where->real == nacked) {
      // Nothing new was learnt (the scheduler has not yet heard of the
      // exit or of the end of an abort): wait a little, dispatching.
      rt_.wait_until([] { return false; }, backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(200));
    }
  }
  return 0;
}

std::optional<wire::LocateReply> Sender::locate(int vtid, int nacked_real, int reason) {
  int sched = rt_.services.scheduler();
  if (!sched) return std::nullopt;
  int losses = rt_.scheduler_losses();
  wire::Locate q;
  q.req = next_locate_++;
  q.vtid = vtid;
  q.nacked_real = nacked_real;
  q.reason = reason;
  if (rt_.send_control(sched, q) < 0) return std::nullopt;
  std::optional<Delivered> got;
  rt_.wait_until([&] {
    got = rt_.take_inbox(wire::Kind::LocateReply, q.req);
    return got.has_value() || rt_.scheduler_losses() != losses;
  });
  if (!got) return std::nullopt;
  return std::get<wire::LocateReply>(got->msg);
}

// Fig. 3 lines 3-5.
void Sender::on_conn_ack(const wire::ConnAck& m) {
  auto* p = rt_.conns.request(m.req_id);
  if (!p || p->state != PendingConnect::Waiting) {
    spdlog::debug("conn_ack: from={} req={} (no longer waited for)", tid_str(m.target_real), m.req_id);
    return;
  }
  if (p->invalidated || m.target_real != p->real || m.target_vtid != p->vtid) {
    // It announced its migration after granting: its channel is closing.
    p->state = PendingConnect::Nacked;
    p->nack_reason = static_cast<int>(wire::NackReason::Migrating);
    spdlog::info("conn_ack: from={} req={} counts as a nack (the peer is migrating)",
                 tid_str(m.target_real), m.req_id);
    return;
  }
  p->state = PendingConnect::Acked;
  Location loc = rt_.pl.find(p->vtid);
  if (loc.real != m.target_real) loc = Location{m.target_real, false, 0};
  rt_.pl.set(p->vtid, loc);
  rt_.conns.add(p->vtid, m.target_real);  // lines 4-5
  spdlog::debug("conn_ack: from={} vtid={} req={}", tid_str(m.target_real), tid_str(p->vtid), m.req_id);
}

// Fig. 3 line 9.
void Sender::on_conn_nack(const wire::ConnNack& m) {
  auto* p = rt_.conns.request(m.req_id);
  if (!p || p->state != PendingConnect::Waiting) return;
  p->state = PendingConnect::Nacked;
  p->nack_reason = m.reason;
  trace::snow_event(trace::SnowEvent::ConnNack, rt_.id.vtid, 0, p->vtid, wire::nack_reason_name(m.reason));
}

bool Sender::holds_copies_for(int vtid) const { return rt_.pl.find(vtid).provisional; }

// Beyond the paper: the scheduler resolves a provisional location.
void Sender::on_location_notice(const wire::LocationNotice& m) {
  Location loc = rt_.pl.find(m.vtid);
  if (!m.aborted) {
    rt_.retained.drop(m.vtid, m.mig);
    if (loc.real == m.provisional_real) rt_.pl.set(m.vtid, Location{m.real, false, 0});
    spdlog::info("location: vtid={} final at={} mig={}", tid_str(m.vtid), tid_str(m.real), m.mig);
  } else {
    auto copies = rt_.retained.release(m.vtid, m.mig);
    if (!copies.empty()) {
      wire::Redelivery r;
      r.mig = m.mig;
      r.from_vtid = rt_.id.vtid;
      r.nmsgs = static_cast<int>(copies.size());
      rt_.send_to_peer(m.real, r, [&] {
        for (int b : copies) {
          int rc = pvmio::pack_message(b);
          if (rc < 0) return rc;
        }
        return 0;
      });
      for (int b : copies) pvm_freebuf(b);
    }
    if (rt_.conns.real_of(m.vtid) == m.provisional_real) rt_.conns.close(m.vtid);
    if (loc.real == m.provisional_real || loc.mig == m.mig)
      rt_.pl.set(m.vtid, Location{m.real, false, 0});
    spdlog::info("location: vtid={} migration {} aborted, back at={} redelivered={}", tid_str(m.vtid),
                 m.mig, tid_str(m.real), copies.size());
  }
  rt_.receiver().release_deferred(m.vtid);
}

}  // namespace snow::comm
