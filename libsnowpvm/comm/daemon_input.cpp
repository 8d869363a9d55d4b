#include "libsnowpvm/comm/daemon_input.h"

#include "libsnowpvm/migrate/wire.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::pvmio {
namespace {

bool from_pvmd(const Incoming& in) { return (static_cast<unsigned>(in.src) & 0x80000000u) != 0; }

int notified_tid(const Incoming& in) {
  int saved = pvm_setrbuf(in.bufid);
  int tid = 0;
  pvm_upkint(&tid, 1, 1);
  pvm_setrbuf(saved);
  return tid;
}

}  // namespace

DaemonInput screen_daemon_input(const Incoming& in) {
  const bool notification = in.tag == wire::kTagTaskExit || in.tag == wire::kTagHostDelete;
  DaemonInput r{DaemonInput::Control};
  if (in.ctx != wire::kContext) {
    spdlog::warn("unexpected message: src={} tag={} ctx={} bytes={} (dropped)", tid_str(in.src), in.tag,
                 in.ctx, in.len);
    r.kind = DaemonInput::Dropped;
  } else if (notification && !from_pvmd(in)) {
    spdlog::warn("unexpected-control: notification tag={} from task {} (dropped)", in.tag, tid_str(in.src));
    r.kind = DaemonInput::Dropped;
  } else if (notification) {
    r.kind = in.tag == wire::kTagTaskExit ? DaemonInput::TaskExit : DaemonInput::HostDelete;
    r.tid = notified_tid(in);
  } else {
    return r;
  }
  pvm_freebuf(in.bufid);
  return r;
}

}  // namespace snow::pvmio
