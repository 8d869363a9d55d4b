#include "scheduler/trace_emit.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/comm/trace_snow_emit.h"
#include "scheduler/scheduler.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <string_view>

namespace snow::sched {

std::optional<comm::trace::Settings> trace_destination(const std::vector<std::string>& env) {
  const std::string prefix = std::string(comm::trace::kEnvName) + "=";
  for (const auto& entry : env) {
    if (entry.compare(0, prefix.size(), prefix) != 0) continue;
    comm::trace::Settings s;
    if (!comm::trace::Settings::decode(std::string_view(entry).substr(prefix.size()), s)) {
      spdlog::warn("trace: a task enrolled with a malformed {}; no scheduler events for it", comm::trace::kEnvName);
      return std::nullopt;
    }
    if (!comm::trace::wants_snow_events(s)) return std::nullopt;
    return s;
  }
  return std::nullopt;
}

void trace_sched(Env& env, const std::vector<std::string>& task_env, comm::trace::SnowEvent e, int vtid, int mig,
                 const std::string& detail) {
  auto to = trace_destination(task_env);
  if (!to) return;
  SchedTraceEvent ev;
  ev.to = *to;
  ev.event = e;
  ev.vtid = vtid;
  ev.mig = mig;
  ev.detail = detail;
  env.trace(ev);
}

void send_sched_event(const SchedTraceEvent& ev) {
  comm::trace::SnowRecord r;
  r.event = ev.event;
  r.vtid = ev.vtid;
  {
    pvmio::QuietGuard quiet;
    r.real = pvm_mytid();
  }
  r.mig = ev.mig;
  r.peer = ev.peer;
  r.host = comm::trace::own_host_arch().host;
  r.arch = comm::trace::own_host_arch().arch;
  r.detail = ev.detail;
  comm::trace::send_snow_record(ev.to, r);
}

}  // namespace snow::sched
