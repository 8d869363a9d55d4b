#include "libsnowpvm/migrate/initialize.h"
#include "libsnowpvm/migrate/phase_events.h"
#include "libsnowpvm/migrate/pvm_fds.h"

#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/comm/fault.h"
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/migrate/state_stream.h"
#include "libsnowpvm/migrate/streamed_state.h"
#include "libsnowpvm/migrate/unfinished_line.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/platform.h"
#include "libsnowpvm/util/tcp_stream.h"

#include <poll.h>
#include <pvm3.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace snow::migrate {

using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

uint64_t micros_since(Clock::time_point t) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count());
}

// Accept the source's connection while still serving PVM messages (woken
// by either, pvm_fds.h).
Socket accept_serving(const Listener& l, comm::Runtime& rt, std::chrono::milliseconds timeout) {
  if (wait_fd_serving(l.sock.fd(), timeout, [&] { rt.pump_available(); })) return tcp_accept(l, 1s);
  throw StreamError("the migrating process never connected");
}

}  // namespace

void Initializer::give_up(const char* why) {
  spdlog::error("init: phase=GiveUp mig={} reason={}", rt_.restore_mig(), why);
  trace_phase(Side::Destination, "GiveUp", rt_.id.vtid, rt_.restore_mig(), why);
  spdlog::default_logger()->flush();
  pvm_exit();
  _exit(1);
}

// Fig. 7.
int Initializer::run() {
  const int mig = rt_.restore_mig();
  auto phase = [&](const char* name) {
    spdlog::info("init: phase={} mig={} vtid={} real={}", name, mig, tid_str(rt_.id.vtid),
                 tid_str(rt_.id.real));
    trace_phase(Side::Destination, name, rt_.id.vtid, mig, name);
  };
  auto serve = [&] { rt_.pump_available(); };
  int sched = rt_.services.scheduler();
  if (!sched) give_up("the scheduler cannot be reached");

  phase("Listen");  // line 1: the dispatcher grants conn_reqs from now on
  Listener l = tcp_listen();
  wire::InitReady ready;
  ready.mig = mig;
  ready.vtid = rt_.id.vtid;
  ready.real = rt_.id.real;
  ready.port = l.port;
  ready.addr = local_address();
  rt_.send_control(sched, ready);
  if (comm::fault_active(comm::Fault::InitExitReady)) give_up("injected fault: init_exit_ready");

  std::string stdout_line;  // the unfinished line of the old process (unfinished_line.h)
  comm::Delivered rml;
  int app_sbuf = 0;  // the program's active send buffer, when it travelled
  try {
    phase("Handshake");
    StateStream stream(accept_serving(l, rt_, 120s), mig, serve, pvm_fds);
    stream.send(FrameKind::Hello, Platform::local().encode());
    auto why = verdict_reason(stream.receive(FrameKind::Verdict, 120s));
    if (!why.empty()) {
      spdlog::warn("init: refused by the source: {}", why);
      give_up("the source refused to migrate");
    }
    phase("AwaitRml");  // line 2
    std::optional<comm::Delivered> got;
    if (!rt_.wait_until([&] { return (got = rt_.take_inbox(wire::Kind::RmlTransfer, mig)).has_value(); },
                        300s))
      give_up("no received-message list arrived");
    rml = std::move(*got);
    if (comm::fault_active(comm::Fault::InitExitRml)) give_up("injected fault: init_exit_rml");
    if (comm::fault_active(comm::Fault::InitExitLate)) {
      rt_.wait_until([] { return false; }, 1500ms);  // serving peers all along
      give_up("injected fault: init_exit_late");
    }
    phase("PrependRml");  // line 3
    std::vector<comm::RmlEntry> older;
    if (std::get<wire::RmlTransfer>(rml.msg).sbuf && !rml.carried.empty()) {
      app_sbuf = rml.carried.back();  // made active once committed (below)
      rml.carried.pop_back();
    }
    for (int b : rml.carried) older.push_back(comm::rml_entry_of(b));
    rt_.rml.prepend(older);
    phase("ReceiveState");  // line 4
    auto line = stream.receive(FrameKind::Output, 300s);
    stdout_line.assign(line.begin(), line.end());
    // The state follows this frame and is restored as it arrives
    // (streamed_state.h): restore_us covers receiving it.
    if (!stream.receive(FrameKind::State, 300s).empty()) throw StreamError("state stream: malformed state frame");
    if (comm::fault_active(comm::Fault::InitExitState)) give_up("injected fault: init_exit_state");
    phase("Restore");  // line 8 (see initialize.h)
    auto t = Clock::now();
    try {
      SocketSource src(stream.fd(), Clock::now() + 300s);
      state_provider().restore(src);
    } catch (const std::exception& e) {
      spdlog::error("init: restore failed: {}", e.what());
      try {  // the source reports why (an acknowledgement that refuses)
        stream.send(FrameKind::StateAck, verdict_refuse(e.what()));
      } catch (const Error&) {
      }
      give_up("the state could not be restored");
    }
    uint64_t restore_us = micros_since(t);
    stream.send(FrameKind::StateAck, verdict_ok());
    if (comm::fault_active(comm::Fault::InitExitRestored)) give_up("injected fault: init_exit_restored");
    phase("RestoreComplete");  // line 5
    wire::RestoreComplete done;
    done.mig = mig;
    done.restore_us = restore_us;
    rt_.send_control(sched, done);
  } catch (const Error& e) {
    spdlog::error("init: {}", e.what());
    give_up("the state stream failed");
  }

  phase("AwaitCommit");  // line 6: the old vmid (and our identity, with the list)
  std::optional<comm::Delivered> commit;
  int losses = rt_.scheduler_losses();
  rt_.wait_until([&] {
    commit = rt_.take_inbox(wire::Kind::Commit, mig);
    return commit.has_value() || rt_.scheduler_losses() != losses;
  });
  if (!commit) give_up("the scheduler is gone before the commit");
  const auto& c = std::get<wire::Commit>(commit->msg);
  rt_.adopt(std::get<wire::RmlTransfer>(rml.msg));
  if (app_sbuf > 0) pvm_setsbuf(app_sbuf);  // the program's send buffer, as it left it
  put_back_unfinished_line(stdout, stdout_line);  // the line it was printing
  rt_.phase = comm::Phase::Normal;
  comm::exit_report::committed();  // this process now reports the task's exit to `snow run`
  phase("Commit");  // line 7
  wire::MigrationCommit mc;
  mc.mig = mig;
  rt_.send_control(sched, mc);
  spdlog::info("init: phase=Resume mig={} old={} rml={}", mig, tid_str(c.old_real), rt_.rml.size());
  return 1;
}

}  // namespace snow::migrate
