#include "libsnowpvm/comm/runtime.h"

#include "config.h"
#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/comm/fault.h"
#include "libsnowpvm/comm/plain_peers.h"
#include "libsnowpvm/comm/signals.h"
#include "libsnowpvm/comm/spawner_env.h"
#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/trace_inherit.h"
#include "libsnowpvm/comm/trace_snow_emit.h"
#include "libsnowpvm/migrate/disconnect.h"
#include "libsnowpvm/migrate/migrate.h"
#include "libsnowpvm/util/log.h"
#include "libsnowpvm/util/overloaded.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace snow::comm {
namespace {


// argv of this process (qemu-user presents the guest's own argv here).
std::vector<std::string> read_cmdline() {
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> v;
  std::string cur;
  for (char c : all) {
    if (c == '\0') {
      v.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) v.push_back(cur);
  return v;
}

std::string basename_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// SNOW_RESTORE=<mig>:<vtid in hex>, set by the extension that started us.
// Removed from the environment so that our own children do not see it.
bool take_restore_env(int& mig, int& vtid) {
  const char* v = std::getenv("SNOW_RESTORE");
  if (!v || !*v) return false;
  unsigned m = 0, t = 0;
  bool ok = std::sscanf(v, "%u:%x", &m, &t) == 2 && m > 0 && wire::is_task_tid(static_cast<int>(t));
  unsetenv("SNOW_RESTORE");
  if (const char* ex = std::getenv("PVM_EXPORT")) {
    std::string kept, item;
    std::stringstream in(ex);
    while (std::getline(in, item, ':'))
      if (item != "SNOW_RESTORE" && !item.empty()) kept += (kept.empty() ? "" : ":") + item;
    setenv("PVM_EXPORT", kept.c_str(), 1);
  }
  if (!ok) {
    spdlog::error("restore: malformed SNOW_RESTORE='{}'; starting as a fresh process", v);
    return false;
  }
  mig = static_cast<int>(m);
  vtid = static_cast<int>(t);
  return true;
}

// Scheduler replies and migration steps are matched by this key.
int inbox_key(const wire::Message& m) {
  return std::visit(Overloaded{
                        [](const wire::LocateReply& r) { return r.req; },
                        [](const wire::RejectAck& r) { return r.mig; },
                        [](const wire::AcceptAck& r) { return r.mig; },
                        [](const wire::StartReply& r) { return r.mig; },
                        [](const wire::Commit& r) { return r.mig; },
                        [](const wire::Committed& r) { return r.mig; },
                        [](const wire::Abort& r) { return r.mig; },
                        [](const wire::HomeHoldAck& r) { return r.mig; },
                        [](const wire::RmlTransfer& r) { return r.mig; },
                        [](const auto&) { return 0; },
                    },
                    m);
}

}  // namespace

Runtime& Runtime::get() {
  static Runtime rt;
  return rt;
}

Runtime::Runtime() : sender_(*this), receiver_(*this) { start(); }

void Runtime::start() {
  pvmio::QuietGuard quiet;
  trace::hide_from_libpvm();  // libpvm's own tracing starts off (trace_inherit.h)
  int real = pvm_mytid();
  if (real < 0) {
    start_status_ = real;
    return;
  }
  id.real = real;
  int mig = 0, vtid = 0;
  if (take_restore_env(mig, vtid)) {
    restore_mig_ = mig;
    id.vtid = vtid;
    phase = Phase::Initializing;
  } else {
    id.vtid = real;
  }
  const char* logdir = std::getenv("SNOW_LOG_DIR");
  std::string file = logdir && *logdir ? std::string(logdir) + "/task-" + tid_str(id.vtid) + ".log" : "";
  try {
    log::init("task " + tid_str(id.vtid), file, file.empty() ? spdlog::level::warn : spdlog::level::info);
  } catch (const std::exception&) {
    log::init("task " + tid_str(id.vtid));
  }
  trace::start(restoring(), id.vtid);  // before SNOW's own traffic; sets SNOW_TRACE for enroll()
  trace::snow_event(trace::SnowEvent::ProcessStart, id.vtid, restore_mig_, 0, restoring() ? "continuation" : "first");
  plain_peers::announce(*this);  // before anything slow: see pvmd-ext/plain_peer_hold.h
  load_faults();
  pvm_setopt(PvmRoute, PvmRouteDirect);
  signals::install();
  std::error_code ec;
  id.path = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  auto argv = read_cmdline();
  if (!argv.empty()) {
    id.program = basename_of(argv[0]);
    id.args.assign(argv.begin() + 1, argv.end());
  }
  id.app_ctx = pvm_getcontext();
  id.out_tid = pvm_getopt(PvmSelfOutputTid);
  id.out_ctx = pvm_getopt(PvmSelfOutputContext);
  id.out_tag = pvm_getopt(PvmSelfOutputCode);
  exit_report::attach(id.vtid, restoring());  // a task started by `snow run`
  if (restoring()) {
    spdlog::info("start: restoring vtid={} real={} mig={} program={}", tid_str(id.vtid), tid_str(real),
                 mig, id.program);
    return;
  }
  int parent = pvm_parent();
  // `snow run` spawned it as a shell would start it: to the program it has
  // no parent (PVM masters test pvm_parent() == PvmNoParent).
  if (exit_report::started_by_snow_run()) parent = 0;
  // A spawner that has migrated is known to the application by its virtual tid.
  id.parent = parent > 0 ? spawner_env::take_parent_vtid(parent) : 0;
  int* sibs = nullptr;
  int n = pvm_siblings(&sibs);
  for (int i = 0; i < n && sibs; ++i) id.siblings.push_back(sibs[i]);
  spdlog::info("start: vtid={} host={} program={} parent={}", tid_str(id.vtid), services.my_host(),
               id.program, tid_str(id.parent));
  enroll();
}

void Runtime::enroll() {
  int sched = services.scheduler();
  if (!sched) {
    spdlog::warn("enroll: scheduler unreachable; {} cannot be migrated", tid_str(id.vtid));
    return;
  }
  wire::Enroll e;
  e.vtid = id.vtid;
  e.real = id.real;
  e.parent = id.parent;
  e.app_ctx = id.app_ctx;
  e.out_tid = id.out_tid;
  e.out_ctx = id.out_ctx;
  e.out_tag = id.out_tag;
  e.host = services.my_host();
  e.arch = SNOW_ARCH;
  e.program = id.program;
  e.path = id.path;
  e.args = id.args;
  for (const char* name : wire::kCarriedEnv)
    if (const char* v = std::getenv(name)) e.env.push_back(std::string(name) + "=" + v);
  send_control(sched, e);
}

void Runtime::adopt(const wire::RmlTransfer& t) {
  id.parent = t.parent;
  id.siblings = t.siblings;
  id.app_ctx = t.app_ctx;
  pvm_setcontext(t.app_ctx);
  pl.merge_older(t.pl);
  restore_mig_ = 0;
}

int Runtime::send_control(int tid, const wire::Message& m, const std::function<int()>& extra) {
  int rc = pvmio::send_control(tid, m, extra);
  if (rc < 0)
    spdlog::warn("send-control: kind={} to={} failed: {}", wire::kind_name(wire::kind_of(m)),
                 tid_str(tid), pvm_error_name(rc));
  return rc;
}

int Runtime::send_to_peer(int real, const wire::Message& m, const std::function<int()>& extra) {
  int rc = pvmio::send_control(real, m, extra, order.next_out(real));
  if (rc < 0)
    spdlog::warn("send-control: kind={} to={} failed: {}", wire::kind_name(wire::kind_of(m)),
                 tid_str(real), pvm_error_name(rc));
  return rc;
}

int Runtime::send_data(int real, int tag) {
  stamp_send_buffer(order.next_out(real));
  return pvm_send(real, tag);
}

bool Runtime::pump(pvmio::Wait how) {
  auto in = pvmio::take(how);
  if (!in) return false;
  dispatch(*in);
  return true;
}

void Runtime::pump_available() {
  while (pump(pvmio::Wait::poll())) {
  }
}

bool Runtime::wait_until(const std::function<bool()>& done,
                         std::optional<std::chrono::milliseconds> timeout) {
  const auto deadline = timeout ? Clock::now() + *timeout : Clock::time_point::max();
  while (!done()) {
    if (!timeout) {
      pump(pvmio::Wait::block());
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pump(pvmio::Wait::upto(left));
  }
  return true;
}

void Runtime::dispatch(const pvmio::Incoming& in) {
  if (in.wid > 0 && wire::is_task_tid(in.src)) {  // a numbered channel message
    for (const auto& m : order.arrive(in)) dispatch_in_order(m);
    return;
  }
  dispatch_in_order(in);
}

void Runtime::dispatch_in_order(const pvmio::Incoming& in) {
  if (in.ctx != wire::kContext) {
    receiver_.on_data(in);  // Fig. 4 lines 6-7
    return;
  }
  if (in.tag == wire::kTagTaskExit || in.tag == wire::kTagHostDelete) {
    on_service_exit(in);
    return;
  }
  dispatch_control(in);
}

void Runtime::on_service_exit(const pvmio::Incoming& in) {
  if (!(static_cast<unsigned>(in.src) & 0x80000000u)) {  // pvm_notify comes from a pvmd
    spdlog::warn("unexpected-control: notification tag={} from task {} (dropped)", in.tag, tid_str(in.src));
    pvm_freebuf(in.bufid);
    return;
  }
  int app_rbuf = pvm_setrbuf(in.bufid);
  int tid = 0;
  {
    pvmio::QuietGuard quiet;
    pvm_upkint(&tid, 1, 1);
  }
  pvm_setrbuf(app_rbuf);
  pvm_freebuf(in.bufid);
  if (services.forget(tid) & Services::Scheduler) ++scheduler_losses_;
  if (awaiting_marker.erase(tid)) {
    pump_available();  // whatever it sent before it exited
    spdlog::warn("drain: peer={} exited without answering", tid_str(tid));
  }
}

void Runtime::watch_exit(int tid) {
  pvmio::QuietGuard quiet;
  pvmio::ContextGuard ctx(wire::kContext);
  pvm_notify(PvmTaskExit, wire::kTagTaskExit, 1, &tid);
}

void Runtime::dispatch_control(const pvmio::Incoming& in) {
  try {
    pvmio::ControlMessage cm(in);
    std::visit(
        Overloaded{
            [&](const wire::ConnReq& m) { receiver_.on_conn_req(m); },
            [&](const wire::ConnAck& m) { sender_.on_conn_ack(m); },
            [&](const wire::ConnNack& m) { sender_.on_conn_nack(m); },
            [&](const wire::PeerMigrating& m) { receiver_.on_peer_migrating(cm.src(), m); },
            [&](const wire::EndOfMessages& m) { receiver_.on_end_of_messages(cm.src(), m); },
            [&](const wire::Redelivery& m) { receiver_.on_redelivery(m, cm.unpack_messages(m.nmsgs)); },
            [&](const wire::LocationNotice& m) { sender_.on_location_notice(m); },
            [&](const wire::GroupReply& m) { group_replies.push_back(m); },
            [&](const wire::HomeForward& m) { plain_peers::on_forward(*this, cm.src(), m, cm.unpack_messages(1)); },
            [&](const wire::MigrateRequest& m) {
              if (phase != Phase::Normal) {
                spdlog::warn("migrate-request: mig={} ignored, this process is {}", m.mig,
                             phase == Phase::Initializing ? "initializing" : "already migrating");
                return;
              }
              pending_mig_ = m.mig;
              snow_poll_pending = 1;
              spdlog::info("migrate-request: mig={} from={}", m.mig, tid_str(cm.src()));
            },
            [&](const wire::CheckpointRequest& m) {
              if (checkpoint_request) {
                spdlog::warn("checkpoint-request: ck={} ignored, checkpoint {} is pending", m.ck,
                             checkpoint_request->ck);
                return;
              }
              checkpoint_request = m;
              snow_poll_pending = 1;
              spdlog::info("checkpoint-request: ck={} file={} stop={} from={}", m.ck, m.file, m.stop,
                           tid_str(cm.src()));
            },
            [&](const wire::RmlTransfer& m) {
              if (phase != Phase::Initializing || m.mig != restore_mig_ || m.vtid != id.vtid) {
                spdlog::warn("rml-transfer: unexpected: mig={} vtid={} from={}", m.mig,
                             tid_str(m.vtid), tid_str(cm.src()));
                return;
              }
              inbox_.push_back({cm.src(), m, cm.unpack_messages(m.nmsgs)});
            },
            [&](const wire::LocateReply& m) { inbox_.push_back({cm.src(), m, {}}); },
            [&](const wire::Commit& m) {
              if (phase == Phase::Initializing && m.mig == restore_mig_) inbox_.push_back({cm.src(), m, {}});
              else unexpected(cm.src(), wire::Kind::Commit, m.mig);
            },
            [&](const wire::RejectAck& m) { migration_step(cm.src(), m, m.mig); },
            [&](const wire::AcceptAck& m) { migration_step(cm.src(), m, m.mig); },
            [&](const wire::StartReply& m) { migration_step(cm.src(), m, m.mig); },
            [&](const wire::Committed& m) { migration_step(cm.src(), m, m.mig); },
            [&](const wire::Abort& m) { migration_step(cm.src(), m, m.mig); },
            [&](const wire::HomeHoldAck& m) { migration_step(cm.src(), m, m.mig); },
            [&](const auto& m) { pvmio::log_unexpected_control(std::decay_t<decltype(m)>::kind, cm.src()); },
        },
        cm.message());
  } catch (const wire::Malformed& e) {
    pvmio::log_malformed_control(in, e);
  }
}

// Steps of our own migration go to the inbox; anything else is stray.
void Runtime::migration_step(int src, const wire::Message& m, int mig) {
  if (migration && migration->mig() == mig) inbox_.push_back({src, m, {}});
  else unexpected(src, wire::kind_of(m), mig);
}

void Runtime::unexpected(int src, wire::Kind kind, int mig) {
  spdlog::warn("unexpected-control: kind={} mig={} from={} (no such step in progress; dropped)",
               wire::kind_name(kind), mig, tid_str(src));
}

std::optional<Delivered> Runtime::take_inbox(wire::Kind kind, int key) {
  for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
    if (wire::kind_of(it->msg) == kind && inbox_key(it->msg) == key) {
      Delivered d = std::move(*it);
      inbox_.erase(it);
      return d;
    }
  }
  return std::nullopt;
}

void Runtime::purge_inbox(int mig) {
  for (auto it = inbox_.begin(); it != inbox_.end();) {
    if (inbox_key(it->msg) == mig && wire::kind_of(it->msg) != wire::Kind::LocateReply) {
      for (int b : it->carried) pvm_freebuf(b);
      it = inbox_.erase(it);
    } else {
      ++it;
    }
  }
}

void Runtime::safe_point() {
  if (!snow_poll_pending) return;
  snow_poll_pending = 0;
  pump_available();
  if (signals::disconnect_signalled) {
    signals::disconnect_signalled = 0;
    migrate::DisconnectionHandler(*this).run();  // Fig. 6
  }
  if (signals::migrate_signalled) {
    // SIGUSR1 travels through the daemons, the scheduler's request as a
    // message; if the signal came first, keep looking at the next safe
    // points for a while.
    auto now = Clock::now();
    if (pending_mig_ != 0 || checkpoint_request) {
      signals::migrate_signalled = 0;
      migrate_signal_seen_ = {};
    } else if (migrate_signal_seen_ == Clock::time_point{}) {
      migrate_signal_seen_ = now;
      snow_poll_pending = 1;
    } else if (now - migrate_signal_seen_ < std::chrono::seconds(2)) {
      snow_poll_pending = 1;
    } else {
      spdlog::warn("sigusr1: no migration request followed the signal; ignored");
      signals::migrate_signalled = 0;
      migrate_signal_seen_ = {};
    }
  }
  if (pending_mig_ != 0 || checkpoint_request) snow_poll_pending = 1;
}

int Runtime::take_migration_request() {
  int m = pending_mig_;
  pending_mig_ = 0;
  return m;
}

void set_exec_model(ExecModel m) { Runtime::get().exec_model = m; }

}  // namespace snow::comm
