#include "libsnowpvm/comm/receiver.h"

#include "libsnowpvm/comm/fault.h"
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/trace_snow_emit.h"
#include "libsnowpvm/comm/user_matching.h"
#include "libsnowpvm/migrate/migrate.h"
#include "snowpvm.h"

extern "C" int snow_exec_unwind_ok(void);  // libsnowpvm/exec/snow_exec.h

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace snow::comm {

// Fig. 4: recv(src, m, tag).
int Receiver::recv(int tid, int tag, pvmio::Wait how, bool remove) {
  const int ctx = pvm_getcontext();
  // As pvm_recv/pvm_nrecv/pvm_trecv: the active receive buffer is freed on
  // entry, so that its memory is reused for the message about to arrive
  // (keeping it until delivery costs a fresh allocation per message: +100%
  // on 1 MiB ping-pongs).
  if (remove) {
    int old = pvm_setrbuf(0);
    if (old > 0) pvm_freebuf(old);
  }
  const auto deadline = Clock::now() + how.timeout;
  for (;;) {  // line 1
    // The program's message handlers take their messages first, and its
    // matcher (pvm_recvf), if any, replaces the default match.
    if (user_matching.run_handlers) user_matching.run_handlers(rt_);
    std::optional<RmlEntry> e;
    int status = 0;
    if (!user_matching.pick || !user_matching.pick(rt_.rml, tid, tag, e, status))
      e = rt_.rml.find(tid, tag, ctx);
    if (status < 0) return status;
    if (e) return deliver(*e, remove);  // lines 2-4
    if (how.mode == pvmio::Wait::Poll) {
      if (rt_.pump(pvmio::Wait::poll())) continue;
      int rc = service_migration();
      if (rc < 0) return rc;
      if (rc == 0) return 0;
      continue;
    }
    int rc = service_migration();  // a process blocked here may migrate
    if (rc < 0) return rc;
    if (rc > 0) continue;
    if (how.mode == pvmio::Wait::Block) {
      rt_.pump(pvmio::Wait::block());  // line 5, then lines 6-16 in dispatch
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    if (left.count() <= 0) return 0;
    rt_.pump(pvmio::Wait::upto(left));
  }
}

// Returns 0 when no migration was pending, 1 when one was serviced and
// failed (the process carries on here), or SnowUnwinding for pre-compiled
// programs that must now unwind.  A successful migration of a
// hand-written program does not return.
int Receiver::service_migration() {
  if (!rt_.migration_requested()) return 0;
  // A pre-compiled program that cannot unwind right now (a function that
  // cannot save its frame is active, files are open): the request stays
  // pending for a later poll-point (libsnowpvm/exec).
  if (rt_.exec_model == ExecModel::Precompiled && !snow_exec_unwind_ok()) return 0;
  int mig = rt_.take_migration_request();
  if (rt_.exec_model == ExecModel::HandWritten) {
    spdlog::info("recv: servicing migration mig={} while blocked in snow_recv", mig);
    migrate::migrate_and_exit(rt_, mig);
    return 1;
  }
  int rc = migrate::migrate_begin(rt_, mig);
  return rc == 0 ? SnowUnwinding : 1;
}

int Receiver::deliver(const RmlEntry& found, bool remove) {
  if (!remove) return found.bufid;
  RmlEntry e = found;
  if (fault_active(Fault::SwapDelivery) && !swapped_once_) rt_.pump_available();  // get a second one listed
  if (fault_active(Fault::SwapDelivery) && !swapped_once_ && rt_.rml.swap_first_two_from(e.src, e.tag)) {
    swapped_once_ = true;
    spdlog::warn("fault: swapped the next two deliveries from {}", tid_str(e.src));
    e = *rt_.rml.find(e.src, e.tag, e.ctx);
  }
  rt_.rml.take_buffer(e.bufid);
  // As pvm_recv: the previous active receive buffer is freed.
  int old = pvm_setrbuf(0);
  if (old > 0 && old != e.bufid) pvm_freebuf(old);
  pvm_setrbuf(e.bufid);
  return e.bufid;
}

// Fig. 4 lines 6-7.
void Receiver::on_data(const pvmio::Incoming& in) {
  int vtid = rt_.pl.vtid_of(in.src);
  if (vtid != in.src) {
    struct pvmminfo info {};
    pvm_getminfo(in.bufid, &info);
    info.src = vtid;
    pvm_setminfo(in.bufid, &info);
  }
  if (rt_.migration && rt_.phase == Phase::Migrating && rt_.rml_shipped) {
    if (in.wid == 0 && rt_.id.real == rt_.id.vtid)  // a plain task's: the home agent passes it on
      spdlog::info("after-ship: from={} tag={} (not on a SNOW channel) goes to the home agent", tid_str(vtid),
                   in.tag);
    else
      spdlog::error("late-data: from={} tag={} arrived after the received-message list was shipped",
                    tid_str(vtid), in.tag);
  }
  rt_.rml.push_back(RmlEntry{in.bufid, vtid, in.tag, in.ctx});
}

// Fig. 4 lines 9-11, Fig. 3 lines 6-8, Fig. 7 line 1; Fig. 5 line 4.
void Receiver::on_conn_req(const wire::ConnReq& m) {
  if (rt_.conns.is_stale_request(m.from_real, m.req_id)) {
    spdlog::info("conn_req: from={} req={} is stale (sent before it migrated)", tid_str(m.from_real),
                 m.req_id);
    nack(m, wire::NackReason::Stale);
    return;
  }
  if (rt_.phase == Phase::Migrating) {
    nack(m, wire::NackReason::Migrating);
    return;
  }
  if (rt_.sender().holds_copies_for(m.from_vtid)) {
    // Its migration is unresolved and we hold copies for it: they must
    // reach it before anything sent on a new channel.
    spdlog::info("conn_req: from={} vtid={} deferred until its migration is resolved",
                 tid_str(m.from_real), tid_str(m.from_vtid));
    deferred_.push_back(m);
    return;
  }
  grant(m);
}

void Receiver::grant(const wire::ConnReq& m) {
  rt_.pl.set(m.from_vtid, Location{m.from_real, false, 0});
  rt_.conns.add(m.from_vtid, m.from_real);
  wire::ConnAck a;
  a.req_id = m.req_id;
  a.target_vtid = rt_.id.vtid;
  a.target_real = rt_.id.real;
  a.requester = m.from_real;
  int ext = rt_.services.local_ext();
  spdlog::debug("conn_ack: to={} vtid={} req={}", tid_str(m.from_real), tid_str(m.from_vtid), m.req_id);
  rt_.send_control(ext ? ext : m.from_real, a);
}

void Receiver::nack(const wire::ConnReq& m, wire::NackReason why) {
  wire::ConnNack n;
  n.req_id = m.req_id;
  n.reason = static_cast<int>(why);
  n.target_real = rt_.id.real;
  n.requester = m.from_real;
  int ext = rt_.services.local_ext();
  spdlog::info("conn_nack: to={} req={} reason={}", tid_str(m.from_real), m.req_id,
               wire::nack_reason_name(n.reason));
  rt_.send_control(ext ? ext : m.from_real, n);
}

void Receiver::release_deferred(int vtid) {
  std::vector<wire::ConnReq> keep;
  std::vector<wire::ConnReq> now;
  for (auto& m : deferred_) (m.from_vtid == vtid ? now : keep).push_back(m);
  deferred_ = std::move(keep);
  for (const auto& m : now) on_conn_req(m);
}

// Fig. 4 lines 12-14; the end-of-messages marker of Fig. 6.
void Receiver::on_peer_migrating(int src, const wire::PeerMigrating& m) {
  rt_.conns.mark_departed(m.real, m.next_req_id);
  rt_.conns.invalidate_requests_to(m.real);
  trace::snow_event(trace::SnowEvent::PeerMigrating, rt_.id.vtid, 0, m.vtid, tid_str(m.real));
  int vtid = rt_.conns.close_real(m.real);  // line 13
  ++rt_.closed_conn;                         // line 14
  if (rt_.awaiting_marker.erase(m.real)) {
    // Fig. 5 line 6: a simultaneously migrating peer answers with its own
    // peer_migrating; no end-of-messages is owed to it.
    spdlog::info("drain: peer_migrating from={} (simultaneous migration)", tid_str(m.real));
    return;
  }
  wire::EndOfMessages eom;
  eom.vtid = rt_.id.vtid;
  eom.real = rt_.id.real;
  rt_.send_to_peer(m.real, eom);  // the last message on this channel
  spdlog::info("peer_migrating: from={} vtid={} closed={} closed_conn={}", tid_str(src),
               tid_str(m.vtid), tid_str(vtid), rt_.closed_conn);
}

void Receiver::on_end_of_messages(int src, const wire::EndOfMessages& m) {
  if (rt_.awaiting_marker.erase(m.real))
    spdlog::debug("drain: end_of_messages from={}", tid_str(m.real));
  else
    spdlog::debug("end_of_messages: from={} not awaited (dropped)", tid_str(src));
}

void Receiver::on_redelivery(const wire::Redelivery& m, const std::vector<int>& carried) {
  for (int b : carried) {
    struct pvmminfo info {};
    pvm_getminfo(b, &info);
    info.src = m.from_vtid;
    pvm_setminfo(b, &info);
    rt_.rml.push_back(RmlEntry{b, m.from_vtid, info.tag, info.ctx});
  }
  spdlog::info("redelivery: from={} mig={} messages={}", tid_str(m.from_vtid), m.mig, carried.size());
}

}  // namespace snow::comm
