#include "snow/trace/recorder.h"

#include "libsnowpvm/comm/trace_snow_events.h"
#include "libsnowpvm/util/error.h"
#include "snow/trace/event_log.h"
#include "snow/trace/limits.h"
#include "snow/trace/pvm_unpacker.h"
#include "snow/trace/snow_record.h"

#include <pvm3.h>
#include <pvmtev.h>

#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

extern "C" struct Pvmtevinfo pvmtevinfo[];  // libpvm's event names (global.c)

namespace snow::cli::trace {
namespace {

using Clock = std::chrono::steady_clock;

bool pvmd_record(const std::string& name) {
  return name == "newtask" || name == "spntask" || name == "endtask" || name == "host_add" ||
         name == "host_del" || name == "host_sync" || name == "output";
}

int task_of(const Event& e) {
  if (e.phase == Phase::User) {
    if (!snow_event_of(e)) return e.src;
    return !e.items.empty() && !e.items[0].ints.empty() ? e.items[0].ints[0] : 0;
  }
  return e.int_item(TEV_DID_TID).value_or(e.src);
}

}  // namespace

std::string mask_from_names(const std::string& names) {
  Pvmtmask m;
  TEV_MASK_INIT(m);
  std::stringstream ss(names);
  std::string n;
  while (std::getline(ss, n, ',')) {
    if (n.empty()) continue;
    int kind = -1;
    for (int k = TEV_FIRST; k <= TEV_MAX; ++k)
      if (pvmtevinfo[k - TEV_FIRST].name && n == pvmtevinfo[k - TEV_FIRST].name) kind = k;
    if (kind < 0) throw Error("--mask: '" + n + "' is not a PVM trace event name (pvmtev.h, e.g. send, recv, mcast)");
    TEV_MASK_SET(m, kind);
  }
  TEV_MASK_SET(m, TEV_USER_DEFINED);  // SNOW's own events always
  return std::string(m, strnlen(m, sizeof m));
}

void Recorder::install(int me, const std::string& mask) {
  ctx_ = pvm_newcontext();
  if (ctx_ < 0) throw Error("pvm_newcontext failed: cannot get a message context for the trace records");
  pvm_setopt(PvmTraceTid, me);
  pvm_setopt(PvmTraceCode, kTraceTag);
  pvm_setopt(PvmTraceContext, ctx_);
  pvm_setopt(PvmTraceOptions, PvmTraceFull);
  pvm_setopt(PvmTraceBuffer, 0);
  std::string m = mask;
  if (pvm_settmask(PvmTaskChild, m.data()) < 0) throw Error("pvm_settmask(PvmTaskChild) refused the trace mask");
  installed_ = true;
  last_record_ = Clock::now();
}

void Recorder::attach(const std::string& mask) {
  ctx_ = pvm_newcontext();
  if (ctx_ < 0) throw Error("pvm_newcontext failed: cannot get a message context for the trace records");
  std::string m = mask;
  const int cc = pvm_reg_tracer(ctx_, kTraceTag, ctx_, kTracerOutputTag, m.data(), 0, PvmTraceFull);
  if (cc != 0)
    throw Error("cannot register as the virtual machine's tracer (" + std::string(cc > 0 ? "another tracer -- PVM's "
                "tracer or XPVM or another snow trace --attach -- is registered" : pvm_error_name(cc)) + ")");
  registered_ = installed_ = true;
  last_record_ = Clock::now();
}

void Recorder::detach() {
  if (!registered_) return;
  Pvmtmask none;
  TEV_MASK_INIT(none);
  pvm_reg_tracer(-1, -1, -1, -1, none, -1, -1);
  registered_ = false;
}

void Recorder::wait_some() {
  if (!installed_) return;
  const int app = pvm_setcontext(ctx_);
  timeval tv{0, static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(limits::kDrainPoll).count())};
  int bufid = pvm_trecv(-1, -1, &tv);
  for (; bufid > 0; bufid = pvm_nrecv(-1, -1)) {
    int bytes = 0, tag = 0, src = 0;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    if (tag == kTraceTag) take(bufid);
    else pvm_freebuf(bufid);  // a task's output (kTracerOutputTag) or anything else
  }
  pvm_setcontext(app);
}

std::pair<std::string, std::string> Recorder::host_of(int tid) {
  const int dtid = pvm_tidtohost(tid);
  auto it = hosts_.find(dtid);
  if (it == hosts_.end()) {  // a host we have not seen: read the configuration again
    int nhost = 0, narch = 0;
    pvmhostinfo* hi = nullptr;
    if (pvm_config(&nhost, &narch, &hi) >= 0)
      for (int k = 0; k < nhost; ++k) hosts_[hi[k].hi_tid] = {hi[k].hi_name, hi[k].hi_arch};
    it = hosts_.find(dtid);
    if (it == hosts_.end()) it = hosts_.emplace(dtid, std::make_pair(std::string(), std::string())).first;
  }
  return it->second;
}

void Recorder::take(int bufid) {
  int bytes = 0, tag = 0, src = 0;
  pvm_bufinfo(bufid, &bytes, &tag, &src);
  last_record_ = Clock::now();
  const int prev = pvm_setrbuf(bufid);
  DecodeResult r;
  if (static_cast<std::size_t>(bytes) > limits::kMaxMessageBytes) {
    r.error = "message of " + std::to_string(bytes) + " bytes (more than " + std::to_string(limits::kMaxMessageBytes) + ")";
  } else {
    PvmUnpacker in(bytes);
    r = decoder_.decode(src, in);
  }
  pvm_setrbuf(prev);
  pvm_freebuf(bufid);
  if (!r.error.empty()) {
    ++errors_;
    std::fprintf(stderr, "snow trace: a trace message from t%x: %s\n", static_cast<unsigned>(src), r.error.c_str());
    std::string why = r.error;
    for (char& c : why)
      if (c == '\n' || c == '\r') c = ' ';
    log_ << "# error: a trace message from " << src << ": " << why << '\n';
  }
  auto [host, arch] = host_of(src);
  for (Event& e : r.events) {
    e.host = host;
    e.arch = arch;
    log_ << format_event(e) << '\n';
    if (!pvmd_record(e.name)) {
      const int t = task_of(e);
      const auto kind = snow_event_of(e);
      const bool sched = kind && comm::trace::name(*kind).starts_with("snow_sched_");
      if (t > 0 && !sched && !(e.phase == Phase::User && !kind)) seen_.insert(t);
      if (e.name == "exit" && e.phase == Phase::Entry) exited_.insert(t);
    }
    events_.push_back(std::move(e));
  }
}

void Recorder::poll() {
  if (!installed_) return;
  const int app = pvm_setcontext(ctx_);
  for (int bufid; (bufid = pvm_nrecv(-1, kTraceTag)) > 0;) take(bufid);
  pvm_setcontext(app);
}

std::vector<int> Recorder::tasks_without_exit() const {
  std::vector<int> out;
  std::set<int> all = seen_;
  all.insert(expected_.begin(), expected_.end());
  for (int t : all)
    if (!exited_.count(t)) out.push_back(t);
  return out;
}

void Recorder::drain() {
  if (!installed_) return;
  const auto start = Clock::now();
  std::optional<Clock::time_point> all_exited;
  const int app = pvm_setcontext(ctx_);
  while (Clock::now() - start < limits::kDrainMax) {
    timeval tv{0, static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(limits::kDrainPoll).count())};
    int bufid = pvm_trecv(-1, kTraceTag, &tv);
    if (bufid > 0) {
      take(bufid);
      continue;
    }
    if (bufid < 0 && bufid != PvmSysErr) break;  // the pvmd has gone
    const auto now = Clock::now();
    if (tasks_without_exit().empty()) {
      if (!all_exited) all_exited = now;
      if (now - *all_exited >= limits::kDrainGrace) break;
    } else if (now - last_record_ >= limits::kDrainQuiet) {
      break;
    }
  }
  pvm_setcontext(app);
}

}  // namespace snow::cli::trace
