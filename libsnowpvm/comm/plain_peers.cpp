#include "libsnowpvm/comm/plain_peers.h"

#include "libsnowpvm/comm/channel_order.h"
#include "libsnowpvm/comm/runtime.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <unordered_set>

namespace snow::comm::plain_peers {
namespace {

std::unordered_set<int>& plain_set() {
  static std::unordered_set<int> s;
  return s;
}

}  // namespace

void announce(Runtime& rt) {
  int ext = rt.services.local_ext();
  if (!ext) return;  // no extension: nobody routes connection requests here either
  wire::TaskIsSnow m;
  m.real = rt.id.real;
  rt.send_control(ext, m);
}

bool is_plain(int vtid) { return plain_set().count(vtid) != 0; }

void mark_plain(int vtid) {
  if (plain_set().insert(vtid).second)
    spdlog::info("plain-peer: {} is not a SNOW task: plain pvm_send from now on", tid_str(vtid));
}

int send(Runtime& rt, int to, int tag) {
  stamp_send_buffer(0);  // no channel sequence number: it is not a SNOW channel
  if (rt.id.real == rt.id.vtid) return pvm_send(to, tag);
  // A later incarnation: through the home agent, so that the plain task
  // sees the message come from the virtual tid it knows.  An agent that is
  // gone already (its host left) cannot: then directly, from our own tid.
  static const bool agent_gone = [&] {
    pvmio::QuietGuard quiet;
    bool gone = pvm_pstat(rt.id.vtid) < 0;
    if (gone) spdlog::warn("plain-peer: the home agent {} is gone: plain tasks get messages from {}",
                           tid_str(rt.id.vtid), tid_str(rt.id.real));
    return gone;
  }();
  if (agent_gone) return pvm_send(to, tag);
  const int app_sbuf = pvm_getsbuf();
  if (app_sbuf <= 0) return PvmNoBuf;
  wire::HomeRelay r;
  r.vtid = rt.id.vtid;
  r.to = to;
  r.tag = tag;
  r.ctx = pvm_getcontext();
  int rc = rt.send_control(rt.id.vtid, r, [&] { return pvmio::pack_message(app_sbuf); });
  pvm_setsbuf(app_sbuf);
  return rc < 0 ? rc : 0;
}

void on_forward(Runtime& rt, int src, const wire::HomeForward& m, const std::vector<int>& carried) {
  if (src != rt.id.vtid || m.vtid != rt.id.vtid || carried.size() != 1) {
    spdlog::warn("home-forward: from={} vtid={} messages={}: not from this task's home agent (dropped)",
                 tid_str(src), tid_str(m.vtid), carried.size());
    for (int b : carried) pvm_freebuf(b);
    return;
  }
  int b = carried.front();
  if (rt.phase == Phase::Migrating && rt.rml_shipped) {
    // Leaving: the list is gone already.  Back to the agent, which passes
    // it on to the next process.
    spdlog::info("home-forward: from={} tag={} arrived after the list was shipped: handed back", tid_str(m.src),
                 m.tag);
    rt.send_control(rt.id.vtid, m, [&] { return pvmio::pack_message(b); });
    pvm_freebuf(b);
    return;
  }
  struct pvmminfo info {};
  pvm_getminfo(b, &info);
  info.src = m.src;
  info.tag = m.tag;
  info.ctx = m.ctx;
  info.wid = 0;
  pvm_setminfo(b, &info);
  rt.rml.push_back(RmlEntry{b, m.src, m.tag, m.ctx});
}

}  // namespace snow::comm::plain_peers
