#include "libsnowpvm/comm/retention.h"

#include "libsnowpvm/comm/pvm_io.h"

#include <pvm3.h>

namespace snow::comm {

void Retention::keep_active_send_buffer(int vtid, int mig, int tag, int ctx) {
  pvmio::QuietGuard quiet;
  int sent = pvm_getsbuf();
  if (sent <= 0) return;
  int copy = pvm_mkbuf(PvmDataDefault);
  if (copy < 0) return;
  pvm_setsbuf(copy);
  int rc = pvmio::pack_message(sent);
  pvm_setsbuf(sent);
  // Unpack it again at once: the copy is then a message of its own (same
  // context, tag and encoding) that pvm_pkmesg can carry later.
  int msg = -1;
  if (rc >= 0) {
    int app_rbuf = pvm_setrbuf(copy);
    msg = pvmio::unpack_message();
    pvm_setrbuf(app_rbuf);
  }
  pvm_freebuf(copy);
  if (msg <= 0) return;
  struct pvmminfo info {};
  pvm_getminfo(msg, &info);
  info.tag = tag;
  info.ctx = ctx;
  pvm_setminfo(msg, &info);
  copies_[{vtid, mig}].push_back(msg);
}

std::vector<int> Retention::release(int vtid, int mig) {
  auto it = copies_.find({vtid, mig});
  if (it == copies_.end()) return {};
  auto v = std::move(it->second);
  copies_.erase(it);
  return v;
}

void Retention::drop(int vtid, int mig) {
  for (int b : release(vtid, mig)) pvm_freebuf(b);
}

size_t Retention::count(int vtid, int mig) const {
  auto it = copies_.find({vtid, mig});
  return it == copies_.end() ? 0 : it->second.size();
}

}  // namespace snow::comm
