#include "libsnowpvm/migrate/home_agent.h"

#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/util/overloaded.h"

#include <malloc.h>
#include <pvm3.h>
#include <signal.h>
#include <sys/time.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>

namespace snow::migrate {
namespace {

using Clock = std::chrono::steady_clock;

// The signals a plain task may send to the virtual tid that the agent can
// catch and pass on (SIGKILL and SIGSTOP cannot be caught: they end or
// stop the agent itself).  Not SIGPIPE, which the agent's own writes to a
// peer that has gone raise (ignored here).
constexpr std::array kForwarded{SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1,  SIGUSR2, SIGALRM,
                                SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGXCPU};
volatile sig_atomic_t g_pending[65] = {};
volatile sig_atomic_t g_any = 0;

extern "C" void on_agent_signal(int sig) {
  if (sig > 0 && sig < 65) g_pending[sig] = 1;
  g_any = 1;
}

void catch_signals() {
  for (int sig : kForwarded) {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_agent_signal;
    sigaction(sig, &sa, nullptr);
  }
  // Fatal signals of the agent's own: no exit status for `snow run`.
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS, SIGXFSZ}) signal(sig, SIG_DFL);
  // The program's timers stay with the process that runs it: none of
  // them may fire here (SIGPROF or SIGVTALRM would end the agent).
  struct itimerval off {};
  for (int which : {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF}) setitimer(which, &off, nullptr);
  for (int sig : {SIGPIPE, SIGPROF, SIGVTALRM}) signal(sig, SIG_IGN);
}

// One message a plain task sent to the virtual tid, not yet passed on.
struct Held {
  int bufid, src, tag, ctx;
};

class Agent {
 public:
  Agent(comm::Runtime& rt, int current) : rt_(rt), current_(current) {}

  [[noreturn]] void run(std::size_t shipped) {
    take_over_list(shipped);
    rt_.watch_exit(current_);
    spdlog::info("home-agent: vtid={} follows={} held={}", tid_str(rt_.id.vtid), tid_str(current_), fresh_.size());
    spdlog::default_logger()->flush();
    for (;;) {
      pass_on_signals();
      if (!locating_ && !holding_ && Clock::now() >= next_flush_) flush();
      if (locating_ && Clock::now() >= next_locate_) locate();
      std::optional<pvmio::Incoming> in;
      try {
        in = pvmio::take(pvmio::Wait::upto(kHomeAgentRetry));
      } catch (const std::exception& e) {
        end(std::string("the pvmd is gone: ") + e.what());
      }
      if (in) handle(*in);
    }
  }

 private:
  void take_over_list(std::size_t shipped) {
    const auto& list = rt_.rml.entries();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& e = list[i];
      if (i >= shipped) fresh_.push_back({e.bufid, e.src, e.tag, e.ctx});
      else pvm_freebuf(e.bufid);
    }
    while (rt_.rml.size()) {
      auto e = rt_.rml.entries().front();
      rt_.rml.take(e.src, e.tag, e.ctx);
    }
    rt_.conns.close_all();
    malloc_trim(0);
  }

  void handle(const pvmio::Incoming& in) {
    if (in.ctx != wire::kContext) {  // a message for the task
      fresh_.push_back({in.bufid, in.src, in.tag, in.ctx});
      return;
    }
    if (in.tag == wire::kTagTaskExit || in.tag == wire::kTagHostDelete) {
      on_notification(in);
      return;
    }
    try {
      pvmio::ControlMessage cm(in);
      std::visit(Overloaded{
                     [&](const wire::HomeRelay& m) { relay(cm, m); },
                     [&](const wire::HomeForward& m) { handed_back(cm, m); },
                     [&](const wire::HomeHold& m) { on_hold(cm.src(), m); },
                     [&](const wire::LocateReply& m) { located(m); },
                     [&](const wire::ConnReq& m) { refuse(m); },
                     [&](const auto&) {},  // nothing else concerns the agent
                 },
                 cm.message());
    } catch (const wire::Malformed& e) {
      pvmio::log_malformed_control(in, e);
    }
  }

  void on_notification(const pvmio::Incoming& in) {
    int rbuf = pvm_setrbuf(in.bufid);
    int tid = 0;
    {
      pvmio::QuietGuard quiet;
      pvm_upkint(&tid, 1, 1);
    }
    pvm_setrbuf(rbuf);
    pvm_freebuf(in.bufid);
    if (!(static_cast<unsigned>(in.src) & 0x80000000u)) return;  // only pvmd's notifications
    if (in.tag == wire::kTagHostDelete) {
      if (tid_host_part(tid) == tid_host_part(current_)) start_locating();
      return;
    }
    if (tid == current_) start_locating();
    else if (rt_.services.forget(tid) & comm::Services::Scheduler) end("the scheduler is gone");
  }

  void start_locating() {
    if (!locating_) spdlog::info("home-agent: process {} is gone; where is the task now?", tid_str(current_));
    locating_ = true;
    next_locate_ = Clock::now();
  }

  void locate() {
    int sched = rt_.services.scheduler();
    if (!sched) end("the scheduler cannot be reached");
    wire::Locate q;
    q.req = ++locate_req_;
    q.vtid = rt_.id.vtid;
    q.nacked_real = current_;
    q.reason = static_cast<int>(wire::NackReason::Exited);
    rt_.send_control(sched, q);
    next_locate_ = Clock::now() + kHomeAgentRetry * 5;  // again if no answer comes
  }

  void located(const wire::LocateReply& r) {
    if (!locating_ || r.req != locate_req_) return;
    auto status = static_cast<wire::TaskStatus>(r.status);
    if (status == wire::TaskStatus::Terminated) end("the task has ended");
    if (status == wire::TaskStatus::Unknown && ++unknown_ > kHomeAgentUnknownLimit)
      end("the scheduler does not know the task");
    if (status == wire::TaskStatus::Running && r.real != current_ && wire::is_task_tid(r.real)) {
      current_ = r.real;
      locating_ = false;
      holding_ = held_by_ == current_;  // it asked before we found it
      unknown_ = 0;
      rt_.watch_exit(current_);
      next_flush_ = Clock::now();
      spdlog::info("home-agent: follows={}", tid_str(current_));
      return;
    }
    next_locate_ = Clock::now() + kHomeAgentRetry;  // not settled yet
  }

  // Messages to the task go to its current process in the order they
  // came: those handed back first (they were passed on before anything
  // still held here), then the held ones.
  void flush() {
    while (!back_.empty() || !fresh_.empty()) {
      auto& q = back_.empty() ? fresh_ : back_;
      Held h = q.front();
      q.pop_front();
      wire::HomeForward f;
      f.vtid = rt_.id.vtid;
      f.src = h.src;
      f.tag = h.tag;
      f.ctx = h.ctx;
      rt_.send_control(current_, f, [&] { return pvmio::pack_message(h.bufid); });
      pvm_freebuf(h.bufid);
    }
  }

  // The current process is migrating: hold everything for the next one,
  // and confirm after all that was passed on to it before (FIFO).
  void on_hold(int src, const wire::HomeHold& m) {
    if (m.vtid != rt_.id.vtid) return;
    if (!m.hold) {
      holding_ = false;
      held_by_ = 0;
      next_flush_ = Clock::now();
      spdlog::info("home-agent: {} carries on (migration {} aborted)", tid_str(m.real), m.mig);
      return;
    }
    if (!locating_ && src == current_) flush();  // what is here already precedes the ack
    holding_ = true;
    held_by_ = src;
    wire::HomeHoldAck a;
    a.vtid = rt_.id.vtid;
    a.mig = m.mig;
    rt_.send_control(src, a);
    spdlog::info("home-agent: holding messages while {} migrates (migration {})", tid_str(m.real), m.mig);
  }

  void handed_back(pvmio::ControlMessage& cm, const wire::HomeForward& m) {
    auto carried = cm.unpack_messages(1);
    back_.push_back({carried.front(), m.src, m.tag, m.ctx});
    // The process is leaving: hold everything until it is gone (or has
    // carried on after an abort).
    next_flush_ = Clock::now() + kHomeAgentRetry * 5;
  }

  void relay(pvmio::ControlMessage& cm, const wire::HomeRelay& m) {
    if (m.vtid != rt_.id.vtid) return;
    auto carried = cm.unpack_messages(1);
    pvmio::BufferGuard keep;
    pvmio::ContextGuard ctx(m.ctx);
    pvm_setsbuf(carried.front());
    int rc = pvm_send(m.to, m.tag);
    if (rc < 0) spdlog::warn("home-relay: to={} tag={} failed: {}", tid_str(m.to), m.tag, rc);
    pvm_setsbuf(0);
    pvm_freebuf(carried.front());
  }

  void refuse(const wire::ConnReq& m) {
    wire::ConnNack n;
    n.req_id = m.req_id;
    n.reason = static_cast<int>(wire::NackReason::Migrating);
    n.target_real = rt_.id.real;
    n.requester = m.from_real;
    int ext = rt_.services.local_ext();
    rt_.send_control(ext ? ext : m.from_real, n);
  }

  void pass_on_signals() {
    if (!g_any || locating_) return;
    g_any = 0;
    for (int sig = 1; sig < 65; ++sig) {
      if (!g_pending[sig]) continue;
      g_pending[sig] = 0;
      spdlog::info("home-agent: signal {} passed on to {}", sig, tid_str(current_));
      pvm_sendsig(current_, sig);
    }
  }

  [[noreturn]] void end(const std::string& why) {
    spdlog::info("home-agent: exit: vtid={} ({})", tid_str(rt_.id.vtid), why);
    spdlog::default_logger()->flush();
    pvm_exit();
    _exit(0);
  }

  comm::Runtime& rt_;
  int current_;
  bool locating_ = false;
  bool holding_ = false;  // the current process is migrating
  int held_by_ = 0;       // the process that asked to hold
  int locate_req_ = 1 << 20;  // apart from the runtime's own lookups
  int unknown_ = 0;
  Clock::time_point next_flush_{}, next_locate_{};
  std::deque<Held> back_, fresh_;
};

}  // namespace

bool hold_home_agent(comm::Runtime& rt, int mig, const std::function<bool()>& give_up) {
  if (rt.id.real == rt.id.vtid) return false;  // we are the first process
  {
    pvmio::QuietGuard quiet;
    if (pvm_pstat(rt.id.vtid) < 0) return false;  // no agent (its host left)
  }
  wire::HomeHold h;
  h.vtid = rt.id.vtid;
  h.real = rt.id.real;
  h.mig = mig;
  h.hold = true;
  if (rt.send_control(rt.id.vtid, h) < 0) return false;
  bool acked = false;
  rt.wait_until(
      [&] {
        acked = rt.take_inbox(wire::Kind::HomeHoldAck, mig).has_value();
        return acked || give_up();
      },
      kHomeHoldWait);
  if (!acked) spdlog::warn("home-hold: mig={} the home agent {} did not confirm", mig, tid_str(rt.id.vtid));
  return true;  // asked: release it if the migration is aborted
}

void release_home_agent(comm::Runtime& rt, int mig) {
  wire::HomeHold h;
  h.vtid = rt.id.vtid;
  h.real = rt.id.real;
  h.mig = mig;
  h.hold = false;
  rt.send_control(rt.id.vtid, h);
}

void run_home_agent(comm::Runtime& rt, int current, std::size_t shipped) {
  comm::exit_report::disarm();
  // It prints nothing: without a log file, the log is the task's output.
  const char* logdir = std::getenv("SNOW_LOG_DIR");
  if (!logdir || !*logdir) spdlog::set_level(spdlog::level::off);
  catch_signals();
  Agent(rt, current).run(shipped);
}

}  // namespace snow::migrate
