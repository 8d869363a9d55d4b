// PVM 3.4 trace event records emitted for the application's calls; see
// trace_events.h.  The record layout follows libpvm's tev.c (read for the
// facts): an int marker, the event id (kind | entry/exit), in a descriptor
// record the event's name, then per data item its data id and type (and
// count for arrays) followed by the values; a raw record carries only the
// values (and counts).  Every record starts with the time (seconds,
// microseconds) and the tid, and ends with its end marker.
#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/trace_collector.h"
#include "libsnowpvm/comm/trace_inherit.h"
#include "libsnowpvm/comm/trace_summary.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <pvmtev.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <climits>
#include <cstdlib>
#include <set>
#include <sstream>

extern "C" struct Pvmtevinfo pvmtevinfo[];  // libpvm's event names (global.c)

namespace snow::comm::trace {
namespace {

struct State {
  Settings settings;
  int vtid = 0;
  int untraced = 0;  // Untraced guards alive
  std::set<int> described;  // kind | entry_exit sent as a descriptor by this process
};
State& state() {
  static State s;
  return s;
}

bool mask_has(const std::string& mask, int kind) {
  std::size_t byte = static_cast<std::size_t>(kind) / 4;
  if (kind < 0 || byte >= mask.size()) return false;
  return ((mask[byte] - '@') & (1 << (kind & 3))) != 0;
}

std::string empty_mask() {
  Pvmtmask m;
  TEV_MASK_INIT(m);
  return std::string(m);
}

}  // namespace

bool Settings::active() const {
  return tid > 0 && options == PvmTraceFull && mask != empty_mask() && !mask.empty();
}

bool Settings::summarizing() const {
  return tid > 0 && (options == PvmTraceTime || options == PvmTraceCount) && mask != empty_mask() &&
         !mask.empty();
}

std::string Settings::encode() const {
  std::ostringstream o;
  o << tid << ',' << ctx << ',' << tag << ',' << buffer << ',' << options << ',' << mask;
  return o.str();
}

bool Settings::decode(std::string_view text, Settings& out) {
  Settings s;
  int* fields[] = {&s.tid, &s.ctx, &s.tag, &s.buffer, &s.options};
  std::size_t pos = 0;
  for (int* f : fields) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos || comma == pos || comma - pos > 12) return false;
    std::string num(text.substr(pos, comma - pos));
    char* end = nullptr;
    long v = std::strtol(num.c_str(), &end, 10);
    if (*end != '\0' || v < INT_MIN || v > INT_MAX) return false;
    *f = static_cast<int>(v);
    pos = comma + 1;
  }
  s.mask = std::string(text.substr(pos));
  if (s.mask.size() > kMaxMaskLength) return false;
  for (char c : s.mask)
    if (c < '@' || c > 'O') return false;  // libpvm's mask characters: '@' + 4 bits
  out = s;
  return true;
}

const Settings& settings() { return state().settings; }

void start(bool restoring, int vtid) {
  State& st = state();
  st.vtid = vtid;
  Settings s;
  if (restoring) {
    const char* env = std::getenv(kEnvName);
    if (env && *env && !Settings::decode(env, s)) {
      spdlog::error("trace: {} is malformed ({}); this process does not trace", kEnvName, env);
      s = Settings{};
    }
  }
  // The settings libpvm was given, taken without libpvm tracing anything
  // (trace_inherit.h); a continuation has its own, carried.
  Settings inherited = take_inherited();
  if (!restoring) s = inherited;
  give_children(s);
  // libpvm must not trace SNOW's own traffic: an empty self mask.
  Pvmtmask none;
  TEV_MASK_INIT(none);
  pvm_settmask(PvmTaskSelf, none);
  if (s.tid > 0 && s.options != PvmTraceFull && s.options != PvmTraceTime && s.options != PvmTraceCount)
    spdlog::warn("trace: trace options {} are none of PvmTraceFull/Time/Count; nothing is traced", s.options);
  if (restoring && s.summarizing())
    spdlog::warn("trace: counted tracing (options {}): the counts of the task's earlier processes are not "
                 "carried; the summary at its end has this process's only",
                 s.options);
  st.settings = s;
  if (s.tid > 0) {
    setenv(kEnvName, s.encode().c_str(), 1);
    spdlog::info("trace: events to t{:x} ctx={} tag={} mask={}", s.tid, s.ctx, s.tag, s.mask);
  } else {
    spdlog::info("trace: not traced (self trace tid {})", s.tid);
    unsetenv(kEnvName);
  }
}

bool wanted(int kind) {
  const State& st = state();
  return st.untraced == 0 && (st.settings.active() || st.settings.summarizing()) && kind >= TEV_FIRST && kind <= TEV_MAX &&
         mask_has(st.settings.mask, kind);
}

void set_mask(const std::string& mask) {
  State& st = state();
  st.settings.mask = mask;
  if (st.settings.tid > 0) setenv(kEnvName, st.settings.encode().c_str(), 1);
  spdlog::info("trace: the application set its trace mask to {}", mask);
}

Untraced::Untraced() { ++state().untraced; }
Untraced::~Untraced() { --state().untraced; }

Event::Event(int kind, int entry_exit) : kind_(kind), entry_exit_(entry_exit) {}

Event& Event::i(int did, int value) {
  items_.push_back({did, TEV_DATA_INT | TEV_DATA_SCALAR, {value}, {}});
  return *this;
}

Event& Event::ints(int did, const std::vector<int>& values) {
  items_.push_back({did, TEV_DATA_INT | TEV_DATA_ARRAY, values, {}});
  return *this;
}

Event& Event::s(int did, const std::string& value) {
  items_.push_back({did, TEV_DATA_STRING | TEV_DATA_SCALAR, {}, value});
  return *this;
}

void Event::send() {
  State& st = state();
  if (!wanted(kind_)) return;
  if (st.settings.summarizing()) {  // counted, not sent (trace_summary.h)
    summary::note(kind_, std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - made_));
    return;
  }
  const int id = kind_ | entry_exit_;
  const bool descriptor = st.described.insert(id).second;
  timeval now{};
  gettimeofday(&now, nullptr);
  int sec = static_cast<int>(now.tv_sec), usec = static_cast<int>(now.tv_usec);

  auto pk = [](int v) { pvm_pkint(&v, 1, 1); };
  auto item = [&](int did, int type, const int* v, int n, const std::string* text) {
    if (descriptor) {
      pk(did);
      pk(type);
    }
    if (type & TEV_DATA_ARRAY) pk(n);
    if (text)
      pvm_pkstr(const_cast<char*>(text->c_str()));
    else if (n > 0)
      pvm_pkint(const_cast<int*>(v), n, 1);
  };
  int rc = send_to_collector(st.settings, [&] {
    pk(descriptor ? TEV_MARK_EVENT_DESC : TEV_MARK_EVENT_RECORD);
    pk(id);
    if (descriptor) pvm_pkstr(pvmtevinfo[kind_ - TEV_FIRST].name);
    item(TEV_DID_TS, TEV_DATA_INT, &sec, 1, nullptr);
    item(TEV_DID_TU, TEV_DATA_INT, &usec, 1, nullptr);
    item(TEV_DID_TID, TEV_DATA_INT, &st.vtid, 1, nullptr);
    for (const Item& it : items_) {
      if ((it.type & ~TEV_DATA_ARRAY) == TEV_DATA_STRING)
        item(it.did, it.type, nullptr, 1, &it.text);
      else
        item(it.did, it.type, it.values.data(), static_cast<int>(it.values.size()), nullptr);
    }
    pk(descriptor ? TEV_MARK_EVENT_DESC_END : TEV_MARK_EVENT_RECORD_END);
  });
  if (rc < 0) spdlog::warn("trace: event {} to t{:x}: {}", id, st.settings.tid, rc);
}

}  // namespace snow::comm::trace

namespace snow::comm::trace::calls {
namespace {
int sbuf_bytes() {
  int nb = -1;
  int sbuf = pvm_getsbuf();
  if (sbuf > 0) pvm_bufinfo(sbuf, &nb, nullptr, nullptr);
  return nb;
}
}  // namespace

void send_entry(int tid, int tag) {
  if (!wanted(TEV_SEND)) return;
  Event(TEV_SEND, TEV_EVENT_ENTRY)
      .i(TEV_DID_MNB, sbuf_bytes()).i(TEV_DID_DST, tid).i(TEV_DID_MC, tag).i(TEV_DID_MCX, pvm_getcontext())
      .send();
}

void mcast_entry(const int* tids, int ntask, int tag) {
  if (!wanted(TEV_MCAST)) return;
  std::vector<int> dst(tids, tids + (ntask > 0 ? ntask : 0));
  Event(TEV_MCAST, TEV_EVENT_ENTRY)
      .i(TEV_DID_MNB, sbuf_bytes()).ints(TEV_DID_MDL, dst).i(TEV_DID_MC, tag).i(TEV_DID_MCX, pvm_getcontext())
      .send();
}

void cc_exit(int kind, int cc) {
  if (!wanted(kind)) return;
  Event(kind, TEV_EVENT_EXIT).i(TEV_DID_CC, cc).send();
}

void recv_entry(int kind, int tid, int tag) {
  if (!wanted(kind)) return;
  Event(kind, TEV_EVENT_ENTRY).i(TEV_DID_RST, tid).i(TEV_DID_RMC, tag).i(TEV_DID_RCX, pvm_getcontext()).send();
}

void recv_exit(int kind, int bufid) {
  // Interrupted by a migration: the call is made again, and finishes, in
  // the next process (which records its exit).
  if (bufid == SnowUnwinding || !wanted(kind)) return;
  int nb = -1, mc = -1, src = -1;
  if (bufid > 0) pvm_bufinfo(bufid, &nb, &mc, &src);  // src: the sender's virtual tid
  Event(kind, TEV_EVENT_EXIT)
      .i(TEV_DID_MB, bufid).i(TEV_DID_MNB, nb).i(TEV_DID_MC, mc).i(TEV_DID_MCX, pvm_getcontext())
      .i(TEV_DID_SRC, src)
      .send();
}

void mytid(int vtid) {
  if (!wanted(TEV_MYTID)) return;
  Event(TEV_MYTID, TEV_EVENT_ENTRY).send();
  Event(TEV_MYTID, TEV_EVENT_EXIT).i(TEV_DID_MT, vtid).send();
}

void exit_entry() {
  if (wanted(TEV_EXIT)) Event(TEV_EXIT, TEV_EVENT_ENTRY).send();
  // Counted tracing: the summary goes at pvm_exit, as libpvm sends it.
  if (settings().summarizing()) {
    int rc = summary::flush(settings(), state().vtid);
    if (rc < 0) spdlog::warn("trace: the summary record to t{:x}: {}", settings().tid, rc);
  }
}

}  // namespace snow::comm::trace::calls
