#include "libsnowpvm/comm/trace_collector.h"

#include <pvm3.h>

namespace snow::comm::trace {

int send_to_collector(const Settings& to, const std::function<void()>& pack) {
  int buf = pvm_mkbuf(PvmDataDefault);
  if (buf < 0) return buf;
  int app_sbuf = pvm_setsbuf(buf);
  pack();
  int app_ctx = pvm_setcontext(to.ctx);
  int rc = pvm_send(to.tid, to.tag);
  pvm_setcontext(app_ctx);
  pvm_setsbuf(app_sbuf);
  pvm_freebuf(buf);
  return rc;
}

}  // namespace snow::comm::trace
