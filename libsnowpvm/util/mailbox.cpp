#include "libsnowpvm/util/mailbox.h"

#include "libsnowpvm/util/error.h"

#include <pvm3.h>

#include <vector>

namespace snow {
namespace {

// Unpack a string of at most `cap` bytes.
std::string upk_string(size_t cap) {
  std::vector<char> buf(cap + 1, '\0');
  if (pvm_upkstr(buf.data()) < 0) return {};
  return std::string(buf.data());
}

}  // namespace

void mailbox_publish(const std::string& name, const ServiceEntry& entry) {
  int saved = pvm_setsbuf(0);
  int buf = pvm_check("pvm_mkbuf", pvm_mkbuf(PvmDataDefault));
  pvm_setsbuf(buf);
  int tid = entry.tid;
  pvm_pkint(&tid, 1, 1);
  pvm_pkstr(const_cast<char*>(entry.host.c_str()));
  pvm_pkstr(const_cast<char*>(entry.arch.c_str()));
  int rc = pvm_putinfo(const_cast<char*>(name.c_str()), buf, PvmMboxDefault);
  pvm_setsbuf(saved);
  pvm_freebuf(buf);
  pvm_check(("pvm_putinfo(" + name + ")").c_str(), rc);
}

std::optional<ServiceEntry> mailbox_lookup(const std::string& name) {
  int saved = pvm_setrbuf(0);
  int buf = pvm_recvinfo(const_cast<char*>(name.c_str()), 0, PvmMboxDefault);
  if (buf < 0) {
    pvm_setrbuf(saved);
    return std::nullopt;
  }
  pvm_setrbuf(buf);
  ServiceEntry e;
  bool ok = pvm_upkint(&e.tid, 1, 1) >= 0;
  e.host = upk_string(256);
  e.arch = upk_string(64);
  pvm_freebuf(buf);
  pvm_setrbuf(saved);
  if (!ok || e.tid <= 0) return std::nullopt;
  return e;
}

}  // namespace snow
