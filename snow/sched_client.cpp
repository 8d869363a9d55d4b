#include "snow/sched_client.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/mailbox.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>

#include <cstdio>
#include <unistd.h>

namespace snow::cli {

SchedulerClient::SchedulerClient() {
  pvmio::QuietGuard quiet;
  auto e = mailbox_lookup(scheduler_service());
  if (!e)
    throw Error("the SNOW scheduler is not running in this virtual machine (no \"" + scheduler_service() +
                "\" in PVM's mailbox); restart the VM with snow vm up");
  sched_ = e->tid;
  if (pvm_pstat(sched_) != PvmOk)
    throw Error("the SNOW scheduler " + tid_str(sched_) + " is not running (stale mailbox entry)");
}

wire::Message SchedulerClient::call(const wire::Message& q, wire::Kind reply, int req,
                                    std::chrono::seconds timeout) {
  if (pvmio::send_control(sched_, q) < 0) throw Error("cannot send to the scheduler " + tid_str(sched_));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pvmio::QuietGuard quiet;
  while (std::chrono::steady_clock::now() < deadline) {
    int bufid;
    {
      pvmio::ContextGuard ctx(wire::kContext);
      struct timeval slice = {1, 0};
      bufid = pvm_trecv(sched_, static_cast<int>(reply), &slice);
    }
    if (bufid < 0) throw PvmError("pvm_trecv", bufid);
    if (bufid == 0) {
      if (pvm_pstat(sched_) != PvmOk) throw Error("the scheduler exited before answering");
      continue;
    }
    pvmio::Incoming in;
    in.bufid = bufid;
    struct pvmminfo info {};
    pvm_getminfo(bufid, &info);
    in.src = info.src;
    in.tag = info.tag;
    in.ctx = info.ctx;
    in.len = info.len;
    pvm_setrbuf(0);  // detach: ControlMessage owns it now
    pvmio::ControlMessage cm(in);
    const auto& m = cm.message();
    int got = std::visit([](const auto& x) -> int {
      if constexpr (requires { x.req; }) return x.req;
      return -1;
    }, m);
    if (got == req) return m;
  }
  throw Error("the scheduler did not answer within " + std::to_string(timeout.count()) + " s");
}

wire::MigrateResult SchedulerClient::migrate(int vtid, const std::string& host, std::chrono::seconds timeout) {
  wire::MigrateCmd c;
  c.req = next_req_++;
  c.vtid = vtid;
  c.host = host;
  return std::get<wire::MigrateResult>(call(c, wire::Kind::MigrateResult, c.req, timeout));
}

wire::CheckpointResult SchedulerClient::checkpoint(int vtid, const std::string& file, bool stop,
                                                  std::chrono::seconds timeout) {
  wire::CheckpointCmd c;
  c.req = next_req_++;
  c.vtid = vtid;
  c.file = file;
  c.stop = stop;
  return std::get<wire::CheckpointResult>(call(c, wire::Kind::CheckpointResult, c.req, timeout));
}

wire::PsReply SchedulerClient::ps() {
  wire::PsCmd c;
  c.req = next_req_++;
  return std::get<wire::PsReply>(call(c, wire::Kind::PsReply, c.req, std::chrono::seconds(30)));
}

wire::HistoryReply SchedulerClient::history() {
  wire::HistoryCmd c;
  c.req = next_req_++;
  return std::get<wire::HistoryReply>(call(c, wire::Kind::HistoryReply, c.req, std::chrono::seconds(30)));
}

int parse_tid(const std::string& s) {
  std::string h = s;
  if (!h.empty() && (h[0] == 't' || h[0] == 'T')) h = h.substr(1);
  else if (h.size() > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h = h.substr(2);
  if (h.empty() || h.size() > 8 || h.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw Error("'" + s + "' is not a task id (like t40003)");
  unsigned long v = std::stoul(h, nullptr, 16);
  if (!wire::is_task_tid(static_cast<int>(v))) throw Error("'" + s + "' is not a task id (like t40003)");
  return static_cast<int>(v);
}

std::string format_us(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace snow::cli
