// Taking a first process's trace settings without libpvm tracing; see
// trace_inherit.h.  The facts about libpvm (which entries it reads, when
// it asks the tracer's mailbox entry, what that entry holds) are from
// PVM 3.4's lpvm.c pvmbeatask(), read for the facts.
#include "libsnowpvm/comm/trace_inherit.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace snow::comm::trace {
namespace {

constexpr const char* kEntries[] = {"PVMTMASK", "PVMTRCBUF", "PVMTRCOPT"};
constexpr std::size_t kMaskChars = TEV_MASK_LENGTH - 1;

struct Stash {
  bool hidden = false;
  std::optional<std::string> values[3];  // as kEntries; nullopt: not set
};
Stash& stash() {
  static Stash s;
  return s;
}

std::string empty_mask() {
  Pvmtmask m;
  TEV_MASK_INIT(m);
  return std::string(m);
}

// libpvm's rule: a mask of any other length is no mask.
bool mask_ok(const std::string& m) {
  if (m.size() != kMaskChars) return false;
  for (char c : m)
    if (c < '@' || c > 'O') return false;
  return true;
}

std::optional<int> number(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  if (end == v->c_str() || n < 0 || n > 1L << 30) return std::nullopt;
  return static_cast<int>(n);
}

void put_back() {
  Stash& st = stash();
  if (!st.hidden) return;
  for (int i = 0; i < 3; ++i) {
    if (st.values[i])
      setenv(kEntries[i], st.values[i]->c_str(), 1);
    else
      unsetenv(kEntries[i]);
  }
  st.hidden = false;
}

}  // namespace

void hide_from_libpvm() {
  Stash& st = stash();
  if (st.hidden) return;
  for (int i = 0; i < 3; ++i) {
    const char* v = std::getenv(kEntries[i]);
    st.values[i] = v ? std::optional<std::string>(v) : std::nullopt;
  }
  setenv("PVMTMASK", empty_mask().c_str(), 1);
  setenv("PVMTRCBUF", "0", 1);
  setenv("PVMTRCOPT", std::to_string(PvmTraceFull).c_str(), 1);
  st.hidden = true;
}

Settings take_inherited() {
  Stash& st = stash();
  const bool had_entries = st.values[0] || st.values[1] || st.values[2];
  const std::optional<std::string> mask_entry = st.values[0];
  const std::optional<int> buf_entry = number(st.values[1]), opt_entry = number(st.values[2]);
  put_back();

  Settings s;
  s.tid = pvm_getopt(PvmSelfTraceTid);
  s.ctx = pvm_getopt(PvmSelfTraceContext);
  s.tag = pvm_getopt(PvmSelfTraceCode);
  s.mask = mask_entry && mask_ok(*mask_entry) ? *mask_entry : empty_mask();
  s.buffer = buf_entry.value_or(0);
  s.options = opt_entry.value_or(0);
  if (s.tid > 0 && !had_entries) {
    // A tracer registered with pvmd and nothing from a spawner: the
    // tracer's mailbox entry has the mask, buffer and options, as libpvm
    // would ask it (same collector, context and code only).
    int app_rbuf = pvm_setrbuf(0);
    int got = pvm_recvinfo(const_cast<char*>(PVMTRACERCLASS), 0, PvmMboxDefault);
    if (got > 0) {
      int tid = 0, ctx = 0, tag = 0, unused = 0, buf = 0, opt = 0;
      char mask[TEV_MASK_LENGTH + 64] = {};
      pvm_upkint(&tid, 1, 1);
      pvm_upkint(&ctx, 1, 1);
      pvm_upkint(&tag, 1, 1);
      pvm_upkint(&unused, 1, 1);  // output context and code
      pvm_upkint(&unused, 1, 1);
      // pvm_upkstr has no bound: the entry is pvmd's copy of what the
      // tracer registered; a longer string than a mask is refused by
      // libpvm's tracer registration too (pvm_reg_tracer packs a Pvmtmask).
      if (pvm_bufinfo(got, &unused, nullptr, nullptr) == 0 && unused < static_cast<int>(sizeof mask))
        pvm_upkstr(mask);
      pvm_upkint(&buf, 1, 1);
      pvm_upkint(&opt, 1, 1);
      pvm_freebuf(got);
      if (tid == s.tid && ctx == s.ctx && tag == s.tag) {
        if (mask_ok(mask)) s.mask = mask;
        s.buffer = buf;
        s.options = opt;
      }
    }
    pvm_setrbuf(app_rbuf);
  }
  return s;
}

int connect_untraced() {
  hide_from_libpvm();
  int tid = pvm_mytid();
  Settings s = take_inherited();
  if (tid < 0) return tid;
  give_children(s);
  Pvmtmask none;
  TEV_MASK_INIT(none);
  pvm_settmask(PvmTaskSelf, none);
  return tid;
}

void give_children(const Settings& s) {
  // libpvm copies its settings for the task's children from its own at
  // connect; with its own off, it is given the task's for them.
  Pvmtmask child;
  TEV_MASK_INIT(child);
  if (mask_ok(s.mask)) std::memcpy(child, s.mask.c_str(), TEV_MASK_LENGTH);
  pvm_settmask(PvmTaskChild, child);
  pvm_setopt(PvmTraceBuffer, s.buffer);
  if (s.options == PvmTraceFull || s.options == PvmTraceTime || s.options == PvmTraceCount)
    pvm_setopt(PvmTraceOptions, s.options);
}

}  // namespace snow::comm::trace
