#include "libsnowpvm/migrate/migrate.h"

#include "libsnowpvm/comm/fault.h"
#include "libsnowpvm/migrate/home_agent.h"
#include "libsnowpvm/migrate/phase_events.h"
#include "libsnowpvm/migrate/pvm_fds.h"
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/migrate/streamed_state.h"
#include "libsnowpvm/migrate/unfinished_line.h"
#include "libsnowpvm/util/byte_stream.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace snow::migrate {

using namespace std::chrono_literals;

namespace {

// A peer that has not answered peer_migrating by then (it computes without
// poll-points, or is not a SNOW task) makes the migration abort; the
// process carries on here and tries again at the operator's next request.
constexpr auto kDrainLimit = 60s;
// The destination takes the whole state (it restores as it receives) and
// acknowledges it within these.
constexpr auto kStateLimit = 300s;

uint64_t micros_since(std::chrono::steady_clock::time_point t) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t).count());
}

}  // namespace

Migration::Migration(comm::Runtime& rt, int mig) : rt_(rt), mig_(mig) { timings_.mig = mig; }

void Migration::phase(const char* name, std::string_view detail) {
  spdlog::info("migrate: phase={} mig={} vtid={} real={} elapsed_us={}", name, mig_, tid_str(rt_.id.vtid),
               tid_str(rt_.id.real), micros_since(t0_));
  trace_phase(Side::Source, name, rt_.id.vtid, mig_, detail.empty() ? name : detail);
}

bool Migration::abort_received() {
  if (abort_reason_) return true;
  if (auto a = rt_.take_inbox(wire::Kind::Abort, mig_)) {
    abort_reason_ = std::get<wire::Abort>(a->msg).reason;
    return true;
  }
  return false;
}

bool Migration::scheduler_lost() const { return rt_.scheduler_losses() != losses_; }

std::optional<comm::Delivered> Migration::await(wire::Kind kind, std::chrono::milliseconds timeout) {
  std::optional<comm::Delivered> got;
  rt_.wait_until(
      [&] {
        got = rt_.take_inbox(kind, mig_);
        return got.has_value() || abort_received() || scheduler_lost();
      },
      timeout);
  return got;
}

// Fig. 5: lines 1-8.
int Migration::begin() {
  t0_ = Clock::now();
  sched_ = rt_.services.scheduler();
  losses_ = rt_.scheduler_losses();
  phase("Start");  // lines 2-3
  if (!sched_) {
    spdlog::error("migrate: mig={}: the scheduler cannot be reached", mig_);
    return SnowNoScheduler;
  }
  wire::MigrationStart start;
  start.mig = mig_;
  rt_.send_control(sched_, start);
  auto r = await(wire::Kind::StartReply, 60s);
  if (!r) return fail(abort_reason_ ? *abort_reason_ : "no start reply from the scheduler");
  const auto& reply = std::get<wire::StartReply>(r->msg);
  if (!reply.go) {
    spdlog::warn("migrate: phase=Cancelled mig={} reason={}", mig_, reply.reason);
    rt_.purge_inbox(mig_);
    return SnowMigrateFail;
  }
  new_real_ = reply.new_real;

  phase("Settle");
  if (!settle()) return fail("copies kept for a migrating peer were never resolved");

  phase("Handshake");  // ours: the destination's Platform before anything is touched
  try {
    stream_ = std::make_unique<StateStream>(tcp_connect(reply.addr, reply.port, 10s), mig_, [this] {
      rt_.pump_available();
      if (abort_received()) throw StreamError("aborted by the scheduler: " + *abort_reason_);
    }, pvm_fds);
    auto hello = stream_->receive(FrameKind::Hello, 60s);
    dst_ = Platform::decode(hello.data(), hello.size());
    try {
      state_provider().check(dst_);
    } catch (const NotMigratable& e) {
      phase("Refused", e.what());
      spdlog::warn("migrate: refused mig={}: {}", mig_, e.what());
      stream_->send(FrameKind::Verdict, verdict_refuse(e.what()));
      wire::Refused no;
      no.mig = mig_;
      no.reason = e.what();
      rt_.send_control(sched_, no);
      stream_.reset();
      rt_.purge_inbox(mig_);
      return SnowNotMigratable;
    }
    stream_->send(FrameKind::Verdict, verdict_ok());
  } catch (const Error& e) {
    return fail(e.what());
  }

  // Coordination with the connected peers (the paper's "coordinate",
  // Table 2) is lines 4-7.
  coord_start_ = Clock::now();
  phase("Reject");  // line 4
  if (!reject_conn_reqs()) return fail("the extension did not confirm the rejection of connection requests");
  phase("Notify");  // line 5
  notify_peers();
  phase("Drain");   // line 6
  if (!drain()) return fail(drain_failure_);
  phase("Close");   // line 7
  rt_.conns.close_all();
  // Ours: messages of plain tasks that the home agent passes on are held
  // there from now on, and what it passed on before is in the list.
  held_home_ = hold_home_agent(rt_, mig_, [&] { return abort_received() || scheduler_lost(); });
  timings_.coord_us = micros_since(coord_start_);
  phase("ShipRml");  // line 8
  ship_rml();
  return 0;
}

// A migrating process may not leave copies of messages it sent to a
// provisional peer behind: wait until every such peer is resolved.
bool Migration::settle() {
  return rt_.wait_until([&] { return !rt_.pl.any_provisional() || abort_received(); }, 120s) &&
         !abort_reason_;
}

bool Migration::reject_conn_reqs() {
  int ext = rt_.services.local_ext();
  if (!ext) return false;
  rt_.phase = comm::Phase::Migrating;  // requests already queued are nacked from now on
  rejecting_ = true;
  wire::RejectConnReqs m;
  m.real = rt_.id.real;
  m.mig = mig_;
  rt_.send_control(ext, m);
  // The ack comes after every conn_req the extension forwarded before it
  // (FIFO), so once it is here none can arrive later.
  return await(wire::Kind::RejectAck, 30s).has_value();
}

void Migration::notify_peers() {
  wire::PeerMigrating pm;
  pm.vtid = rt_.id.vtid;
  pm.real = rt_.id.real;
  pm.next_req_id = rt_.conns.next_request_id();
  for (const auto& p : rt_.conns.peers()) {
    rt_.send_to_peer(p.real, pm);  // on the data channel: after everything we sent
    pvm_sendsig(p.real, SIGUSR2);
    rt_.awaiting_marker.insert(p.real);
    rt_.watch_exit(p.real);
    spdlog::debug("peer_migrating: to={} vtid={}", tid_str(p.real), tid_str(p.vtid));
  }
  timings_.peers = static_cast<int>(rt_.awaiting_marker.size());
}

// Fig. 5 line 6: receive into the list until every peer answered with
// end_of_messages, or with peer_migrating when it migrates too.
bool Migration::drain() {
  auto started = Clock::now();
  auto last_warning = started;
  while (!rt_.awaiting_marker.empty()) {
    rt_.wait_until([&] { return rt_.awaiting_marker.empty() || abort_received() || scheduler_lost(); },
                   250ms);
    if (abort_received() || scheduler_lost()) {
      drain_failure_ = abort_reason_ ? *abort_reason_ : "the scheduler is gone";
      return false;
    }
    if (rt_.awaiting_marker.empty()) break;
    if (Clock::now() - started > kDrainLimit) {
      drain_failure_ = "peer " + tid_str(*rt_.awaiting_marker.begin()) + " did not answer peer_migrating within " +
                       std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kDrainLimit).count()) + " s";
      return false;
    }
    for (int real : rt_.awaiting_marker) pvm_sendsig(real, SIGUSR2);  // it may have missed it
    if (Clock::now() - last_warning >= 1s) {
      last_warning = Clock::now();
      for (int real : rt_.awaiting_marker)
        spdlog::warn("migrate: still draining: mig={} tid={} peer={} waited_ms={} rml={}", mig_,
                     tid_str(rt_.id.real), tid_str(real),
                     std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count(),
                     rt_.rml.size());
    }
  }
  return true;
}

void Migration::ship_rml() {
  wire::RmlTransfer t;
  t.mig = mig_;
  t.vtid = rt_.id.vtid;
  t.parent = rt_.id.parent;
  // The program's context now: it may have changed it (pvm_setcontext)
  // since it started, and its peers send to it in that one.
  rt_.id.app_ctx = pvm_getcontext();
  t.app_ctx = rt_.id.app_ctx;
  t.siblings = rt_.id.siblings;
  t.pl = rt_.pl.entries();
  t.nmsgs = static_cast<int>(rt_.rml.size());
  shipped_ = rt_.rml.size();
  // The program's active send buffer (read before send_to_peer makes its
  // own active) travels last, when there is one with content.
  const int app_sbuf = pvm_getsbuf();
  int sbuf_bytes = 0;
  if (app_sbuf > 0 && pvm_bufinfo(app_sbuf, &sbuf_bytes, nullptr, nullptr) >= 0) {
    t.sbuf = 1;
    ++t.nmsgs;
  }
  // A copy: the list stays here until the commit, for an abort.
  rt_.send_to_peer(new_real_, t, [&] {
    for (const auto& e : rt_.rml.entries()) {
      int rc = pvmio::pack_message(e.bufid);
      if (rc < 0) return rc;
    }
    return t.sbuf ? pvmio::pack_message(app_sbuf) : 0;
  });
  rt_.rml_shipped = true;
  timings_.rml_msgs = t.nmsgs;
}

// Fig. 5: lines 9-11.
int Migration::finish() {
  phase("Collect");  // line 9
  if (comm::fault_active(comm::Fault::CollectFail)) return fail("injected fault: collect_fail");
  // What the program printed is written by this process (which ends with
  // _exit), before the new one can print anything; a half-printed line
  // goes to the new process instead (unfinished_line.h).
  stdout_line_ = take_unfinished_line(stdout);
  std::fflush(nullptr);
  // Collection and transfer (line 10) overlap: the state goes to the
  // destination while it is collected, and is restored there as it
  // arrives (streamed_state.h).  collect_us is the walk, sending included;
  // transfer_us what follows until the destination has restored it all.
  auto t = Clock::now();
  try {
    stream_->send(FrameKind::Output, std::vector<uint8_t>(stdout_line_->begin(), stdout_line_->end()));
    stream_->send(FrameKind::State, {});
  } catch (const Error& e) {
    return fail(e.what());
  }
  SocketSink sink(stream_->fd(), Clock::now() + kStateLimit);
  try {
    state_provider().collect(sink, dst_);
    sink.flush();
  } catch (const StreamError& e) {
    // The destination may have stopped reading because it refused the
    // state: its reason is the better report.
    try {
      auto refused = verdict_reason(stream_->receive(FrameKind::StateAck, 1s));
      if (!refused.empty()) return fail("the destination could not restore the state: " + refused);
    } catch (const Error&) {
    }
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(std::string("collecting the state failed: ") + e.what());
  }
  timings_.collect_us = micros_since(t);
  timings_.state_bytes = sink.bytes();

  phase("Transfer");  // line 10: the rest of it, and the destination's restore
  t = Clock::now();
  try {
    auto refused = verdict_reason(stream_->receive(FrameKind::StateAck, kStateLimit));
    if (!refused.empty()) return fail("the destination could not restore the state: " + refused);
  } catch (const Error& e) {
    return fail(e.what());
  }
  timings_.transfer_us = micros_since(t);
  // Its trace event (xfer_end) goes out before state_sent lets the
  // scheduler commit, so a trace has it before sched_commit.
  phase("AwaitCommit", std::to_string(timings_.state_bytes) + " bytes");
  rt_.send_control(sched_, timings_);
  for (;;) {
    if (await(wire::Kind::Committed, 600s)) break;
    if (abort_received()) return resume(*abort_reason_);
    if (scheduler_lost()) {
      pvm_kill(new_real_);
      return resume("the scheduler is gone before the commit");
    }
    spdlog::warn("migrate: mig={} still waiting for the commit", mig_);
  }
  phase("Exit");  // line 11
  // The first process holds the virtual tid that plain PVM tasks know:
  // it stays as the task's home agent until the task really ends.
  if (rt_.id.real == rt_.id.vtid && !comm::fault_active(comm::Fault::NoHomeAgent))
    run_home_agent(rt_, new_real_, shipped_);
  // A message the home agent passed on meanwhile goes back to it.
  rt_.pump_available();
  spdlog::default_logger()->flush();
  pvm_exit();
  _exit(0);
}

int Migration::fail(const std::string& why) {
  spdlog::error("migrate: phase=Failed mig={} reason={}", mig_, why);
  if (!abort_reason_ && sched_ && !scheduler_lost()) {
    wire::MigrateFailed f;
    f.mig = mig_;
    f.reason = why;
    rt_.send_control(sched_, f);
    rt_.wait_until([&] { return abort_received() || scheduler_lost(); }, 30s);
  }
  if (!abort_reason_ && new_real_) pvm_kill(new_real_);  // nobody else will
  return resume(why);
}

int Migration::resume(const std::string& why) {
  phase("Abort", why);
  if (stdout_line_) put_back_unfinished_line(stdout, *stdout_line_);
  stdout_line_.reset();
  spdlog::warn("migrate: aborted mig={} reason={}; carrying on here", mig_, why);
  stream_.reset();
  if (rejecting_) {
    int ext = rt_.services.local_ext();
    if (ext) {
      wire::AcceptConnReqs m;
      m.real = rt_.id.real;
      m.mig = mig_;
      rt_.send_control(ext, m);
      rt_.wait_until([&] { return rt_.take_inbox(wire::Kind::AcceptAck, mig_).has_value(); }, 10s);
    }
    rejecting_ = false;
  }
  if (held_home_) release_home_agent(rt_, mig_);
  held_home_ = false;
  rt_.phase = comm::Phase::Normal;
  rt_.awaiting_marker.clear();
  rt_.rml_shipped = false;
  if (sched_ && !scheduler_lost()) {
    wire::Resumed m;
    m.mig = mig_;
    rt_.send_control(sched_, m);
  }
  rt_.purge_inbox(mig_);
  return SnowMigrateFail;
}

int migrate_begin(comm::Runtime& rt, int mig) {
  rt.migration = std::make_unique<Migration>(rt, mig);
  int rc = rt.migration->begin();
  if (rc < 0) rt.migration.reset();
  return rc;
}

int migrate_finish(comm::Runtime& rt) {
  if (!rt.migration) return SnowBadState;
  int rc = rt.migration->finish();
  rt.migration.reset();
  return rc;
}

int migrate_and_exit(comm::Runtime& rt, int mig) {
  int rc = migrate_begin(rt, mig);
  if (rc < 0) return rc;
  return migrate_finish(rt);
}

}  // namespace snow::migrate
