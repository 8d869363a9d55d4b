// Counted and timed tracing (PvmTraceCount, PvmTraceTime); see trace_summary.h.
#include "libsnowpvm/comm/trace_summary.h"

#include "libsnowpvm/comm/trace_collector.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <sys/time.h>

#include <array>
#include <string>
#include <vector>

extern "C" struct Pvmtevinfo pvmtevinfo[];  // libpvm's event names (global.c)

namespace snow::comm::trace::summary {
namespace {

struct Tally {
  long long micros = 0;
  int count = 0;
};
std::array<Tally, TEV_MAX - TEV_FIRST + 1>& tallies() {
  static std::array<Tally, TEV_MAX - TEV_FIRST + 1> t{};
  return t;
}

void pk(int v) { pvm_pkint(&v, 1, 1); }
void scalar(int did, int v) {
  pk(did);
  pk(TEV_DATA_INT | TEV_DATA_SCALAR);
  pk(v);
}
void ints(int did, std::vector<int> v) {
  pk(did);
  pk(TEV_DATA_INT | TEV_DATA_ARRAY);
  pk(static_cast<int>(v.size()));
  if (!v.empty()) pvm_pkint(v.data(), static_cast<int>(v.size()), 1);
}

}  // namespace

void note(int kind, std::chrono::microseconds spent) {
  if (kind < TEV_FIRST || kind > TEV_MAX) return;
  Tally& t = tallies()[kind - TEV_FIRST];
  t.micros += spent.count();
  ++t.count;
}

int flush(const Settings& to, int vtid) {
  const bool timing = to.options == PvmTraceTime;
  std::vector<std::string> names;
  std::vector<int> secs, usecs, counts;
  for (int k = TEV_FIRST; k <= TEV_MAX; ++k) {
    Tally& t = tallies()[k - TEV_FIRST];
    if (t.count == 0) continue;
    names.emplace_back(pvmtevinfo[k - TEV_FIRST].name);
    secs.push_back(static_cast<int>(t.micros / 1000000));
    usecs.push_back(static_cast<int>(t.micros % 1000000));
    counts.push_back(t.count);
    t = Tally{};
  }
  if (names.empty() || to.tid <= 0) return 0;
  timeval now{};
  gettimeofday(&now, nullptr);
  const int kind = timing ? TEV_TIMING : TEV_PROFILING;
  return send_to_collector(to, [&] {
    // Always a descriptor record, as libpvm's tev_flush sends it.
    pk(TEV_MARK_EVENT_DESC);
    pk(kind);
    pvm_pkstr(pvmtevinfo[kind - TEV_FIRST].name);
    scalar(TEV_DID_TS, static_cast<int>(now.tv_sec));
    scalar(TEV_DID_TU, static_cast<int>(now.tv_usec));
    scalar(TEV_DID_TID, vtid);
    scalar(TEV_DID_VCT, static_cast<int>(names.size()));
    pk(TEV_DID_VID);
    pk(TEV_DATA_STRING | TEV_DATA_ARRAY);
    pk(static_cast<int>(names.size()));
    for (auto& n : names) pvm_pkstr(n.data());
    if (timing) {
      ints(TEV_DID_TGS, secs);
      ints(TEV_DID_TGU, usecs);
    }
    ints(TEV_DID_PRF, counts);
    pk(TEV_MARK_EVENT_DESC_END);
  });
}

}  // namespace snow::comm::trace::summary
