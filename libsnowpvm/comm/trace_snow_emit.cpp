// The record (trace_snow_events.h; tracer/trcmess.c reads it so):
//   TEV_MARK_USER_EVENT_RECORD, kSnowEventId, "user_defined", seconds,
//   microseconds, (type, value) per item -- the seven, then the event's
//   name --, TEV_MARK_USER_EVENT_RECORD_END.
#include "libsnowpvm/comm/trace_snow_emit.h"

#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/comm/trace_collector.h"
#include "libsnowpvm/util/error.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <algorithm>
#include <cstring>

namespace snow::comm::trace {

std::vector<SnowItem> snow_items(const SnowRecord& r) {
  auto i = [](int v) { return SnowItem{TEV_DATA_INT | TEV_DATA_SCALAR, v, {}}; };
  auto s = [](const std::string& t) {
    return SnowItem{TEV_DATA_STRING | TEV_DATA_SCALAR, 0, t.substr(0, std::min(t.size(), kMaxSnowString))};
  };
  std::vector<SnowItem> items = {i(r.vtid), i(r.real), i(r.mig),    i(r.peer),
                                 s(r.host), s(r.arch), s(r.detail), s(std::string(name(r.event)))};
  // A NUL would end the string early in tracer: cut there too.
  for (auto& it : items)
    if (auto nul = it.text.find('\0'); nul != std::string::npos) it.text.resize(nul);
  return items;
}

bool wants_snow_events(const Settings& to) {
  if (!to.active()) return false;
  Pvmtmask m;
  TEV_MASK_INIT(m);
  std::strncpy(m, to.mask.c_str(), sizeof m - 1);
  return TEV_MASK_CHECK(m, TEV_USER_DEFINED) != 0;
}

int send_snow_record(const Settings& to, const SnowRecord& r) {
  timeval now{};
  gettimeofday(&now, nullptr);
  const auto items = snow_items(r);
  const std::string ev_name(name(r.event));
  std::string record_name(kUserRecordName);
  int rc = send_to_collector(to, [&] {
    auto pk = [](int v) { pvm_pkint(&v, 1, 1); };
    pk(TEV_MARK_USER_EVENT_RECORD);
    pk(kSnowEventId);
    pvm_pkstr(record_name.data());
    pk(static_cast<int>(now.tv_sec));
    pk(static_cast<int>(now.tv_usec));
    for (const auto& it : items) {
      pk(it.type);
      if ((it.type & ~TEV_DATA_ARRAY) == TEV_DATA_STRING)
        pvm_pkstr(const_cast<char*>(it.text.c_str()));
      else
        pk(it.value);
    }
    pk(TEV_MARK_USER_EVENT_RECORD_END);
  });
  if (rc < 0)
    spdlog::warn("trace: {} of t{:x} to t{:x}: {}", ev_name, r.vtid, to.tid, pvm_error_name(rc));
  else
    spdlog::debug("trace: {} vtid=t{:x} mig={} peer=t{:x} detail={}", ev_name, r.vtid, r.mig, r.peer, r.detail);
  return rc;
}

const HostArch& own_host_arch() {
  static const HostArch mine = [] {
    HostArch h;
    pvmio::QuietGuard quiet;
    int me = pvm_mytid();
    int host = me > 0 ? pvm_tidtohost(me) : 0;
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hi = nullptr;
    if (host > 0 && pvm_config(&nhost, &narch, &hi) >= 0)
      for (int i = 0; i < nhost && hi; ++i)
        if (hi[i].hi_tid == host) {
          h.host = hi[i].hi_name ? hi[i].hi_name : "";
          h.arch = hi[i].hi_arch ? hi[i].hi_arch : "";
        }
    return h;
  }();
  return mine;
}

void snow_event(SnowEvent e, int vtid, int mig, int peer, std::string_view detail) {
  const Settings& to = settings();
  if (!wants_snow_events(to)) return;
  SnowRecord r;
  r.event = e;
  r.vtid = vtid;
  {
    pvmio::QuietGuard quiet;
    r.real = pvm_mytid();
  }
  r.mig = mig;
  r.peer = peer;
  r.host = own_host_arch().host;
  r.arch = own_host_arch().arch;
  r.detail = std::string(detail);
  send_snow_record(to, r);
}

}  // namespace snow::comm::trace
