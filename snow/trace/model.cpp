// How the model is derived from the events:
//  - the task of a standard record is its TID item (the virtual tid a SNOW
//    task emits under), of a SNOW record its first item; pvmd's own records
//    (newtask, spntask, endtask: sent by a daemon) only widen the span of a
//    task already known from its own records, so that a process SNOW starts
//    never appears as a task of its own;
//  - a task's segments: one per process (real tid), from the process's
//    first record (or the commit of the migration that started it, when
//    the trace has one) to the next process's; host/architecture from its
//    snow_process_start record, else from where the collector saw the
//    records come from, else "?";
//  - messages: the k-th send (send, psend, or an mcast destination) from A
//    to B with tag t is received by the k-th receive at B from A with tag t
//    (exit records of recv/nrecv/trecv that returned a message, of precv
//    that succeeded);
//  - migration phases per (task, migration id): request = migrate_request ..
//    coord_start, coordinate = coord_start .. coord_end, transfer =
//    xfer_start .. xfer_end, restore = restore_start .. restore_end (the
//    earliest start and latest end when both processes report one; for the
//    transfer the earliest end: the destination has the state whole before
//    the source's acknowledgement, which waits for the restore).
#include "snow/trace/model.h"

#include "libsnowpvm/comm/trace_snow_events.h"
#include "snow/trace/snow_record.h"

#include <pvmtev.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace snow::cli::trace {
namespace {

namespace st = snow::comm::trace;

bool pvmd_record(const std::string& name) {
  return name == "newtask" || name == "spntask" || name == "endtask" || name == "host_add" ||
         name == "host_del" || name == "host_sync" || name == "output";
}

bool snow_event(const Event& e) { return snow_event_of(e).has_value(); }

int user_int(const Event& e, std::size_t k) {
  if (k < e.items.size() && !e.items[k].ints.empty()) return e.items[k].ints[0];
  return 0;
}
std::string user_str(const Event& e, std::size_t k) {
  if (k < e.items.size() && e.items[k].is_string) return e.items[k].text;
  return "";
}

// The task a record is about (0: none).
int task_of(const Event& e) {
  if (e.phase == Phase::User) return snow_event(e) ? user_int(e, 0) : e.src;
  if (auto tid = e.int_item(TEV_DID_TID)) return *tid;
  return e.src;
}

struct Observation {
  double t;
  int real;
  std::string host, arch;
  bool authoritative;  // from snow_process_start
};

struct MigKey {
  int vtid, mig;
  auto operator<=>(const MigKey&) const = default;
};

struct Span {
  std::optional<double> t0, t1;
  void start(double t) { t0 = t0 ? std::min(*t0, t) : t; }
  void end(double t) { t1 = t1 ? std::max(*t1, t) : t; }
  void end_first(double t) { t1 = t1 ? std::min(*t1, t) : t; }
};

}  // namespace

const TaskLine* Model::task(int vtid) const {
  for (const auto& t : tasks)
    if (t.vtid == vtid) return &t;
  return nullptr;
}

Model build_model(const std::vector<Event>& input) {
  std::vector<const Event*> events;
  for (const auto& e : input) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](const Event* a, const Event* b) { return a->time() < b->time(); });

  Model m;
  std::map<int, std::vector<Observation>> obs;  // vtid -> processes seen
  std::map<int, std::pair<double, double>> span;
  std::set<int> exited;
  using Key = std::tuple<int, int, int>;  // from, to, tag
  std::map<Key, std::vector<double>> sends, receives;
  std::map<MigKey, std::map<std::string, Span>> phases;
  bool any = false;

  auto widen = [&](int vtid, double t) {
    auto [it, fresh] = span.try_emplace(vtid, t, t);
    if (!fresh) {
      it->second.first = std::min(it->second.first, t);
      it->second.second = std::max(it->second.second, t);
    }
  };

  for (const Event* ep : events) {
    const Event& e = *ep;
    const double t = e.time();
    if (!any) m.t0 = m.t1 = t;
    any = true;
    m.t0 = std::min(m.t0, t);
    m.t1 = std::max(m.t1, t);
    if (pvmd_record(e.name)) continue;  // second pass
    if (e.phase == Phase::User) {
      auto kind = snow_event_of(e);
      if (!kind) continue;
      m.snow_events = true;
      const int vtid = user_int(e, 0), real = user_int(e, 1), mig = user_int(e, 2), peer = user_int(e, 3);
      const std::string host = user_str(e, 4), arch = user_str(e, 5), detail = user_str(e, 6);
      const std::string full(st::name(*kind));
      const std::string what = full.substr(full.rfind("snow_", 0) == 0 ? 5 : 0);
      using SE = st::SnowEvent;
      switch (*kind) {
        case SE::SchedRequest:
        case SE::SchedSpawn:
        case SE::SchedCommit:
        case SE::SchedAbort:
          m.sched_marks.push_back({0, mig, vtid, t, what, detail});
          continue;
        default:
          break;
      }
      if (vtid == 0) continue;
      widen(vtid, t);
      auto& ph = phases[{vtid, mig}];
      switch (*kind) {
        case SE::ProcessStart:
          obs[vtid].push_back({t, real ? real : e.src, host, arch, true});
          break;
        case SE::MigrateRequest: ph["request"].start(t); break;
        case SE::CoordStart: ph["request"].end(t); ph["coordinate"].start(t); break;
        case SE::CoordEnd: ph["coordinate"].end(t); break;
        case SE::XferStart: ph["transfer"].start(t); break;
        case SE::XferEnd: ph["transfer"].end_first(t); break;  // the source's comes after the restore
        case SE::RestoreStart: ph["restore"].start(t); break;
        case SE::RestoreEnd: ph["restore"].end(t); break;
        case SE::Commit:
        case SE::Abort:
        case SE::PeerMigrating:
        case SE::ConnNack:
          m.marks.push_back({vtid, mig, peer, t, what, detail});
          break;
        default: break;
      }
      if (ph.empty()) phases.erase({vtid, mig});
      continue;
    }
    if (e.phase == Phase::User) continue;  // someone else's user events
    const int vtid = task_of(e);
    if (vtid <= 0) continue;
    widen(vtid, t);
    obs[vtid].push_back({t, e.src, e.host, e.arch, false});
    if (e.name == "exit" && e.phase == Phase::Entry) exited.insert(vtid);
    if ((e.name == "send" || e.name == "psend") && e.phase == Phase::Entry) {
      auto dst = e.int_item(TEV_DID_DST), tag = e.int_item(TEV_DID_MC);
      if (dst && tag) sends[{vtid, *dst, *tag}].push_back(t);
    } else if (e.name == "mcast" && e.phase == Phase::Entry) {
      const Item* dl = e.item(TEV_DID_MDL);
      auto tag = e.int_item(TEV_DID_MC);
      if (dl && tag)
        for (int d : dl->ints) sends[{vtid, d, *tag}].push_back(t);
    } else if ((e.name == "recv" || e.name == "nrecv" || e.name == "trecv") && e.phase == Phase::Exit) {
      auto mb = e.int_item(TEV_DID_MB), src = e.int_item(TEV_DID_SRC), tag = e.int_item(TEV_DID_MC);
      if (mb && *mb > 0 && src && tag) receives[{*src, vtid, *tag}].push_back(t);
    } else if (e.name == "precv" && e.phase == Phase::Exit) {
      auto cc = e.int_item(TEV_DID_CC), src = e.int_item(TEV_DID_SRC), tag = e.int_item(TEV_DID_MC);
      if (cc && *cc >= 0 && src && *src > 0 && tag) receives[{*src, vtid, *tag}].push_back(t);
    }
  }
  // pvmd's records widen known tasks only.
  for (const Event* ep : events) {
    if (!pvmd_record(ep->name)) continue;
    auto tid = ep->int_item(TEV_DID_TID);
    if (tid && span.count(*tid)) widen(*tid, ep->time());
  }

  for (const auto& [vtid, times] : span) {
    TaskLine line;
    line.vtid = vtid;
    line.t0 = times.first;
    line.t1 = times.second;
    line.exited = exited.count(vtid) > 0;
    auto& o = obs[vtid];
    std::stable_sort(o.begin(), o.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    // Host/arch per process: its start record, else the first where the collector saw it.
    std::map<int, std::pair<std::string, std::string>> where;
    for (const auto& x : o)
      if (x.authoritative && !x.host.empty()) where[x.real] = {x.host, x.arch};
    for (const auto& x : o)
      if (!where.count(x.real) && !x.host.empty()) where[x.real] = {x.host, x.arch};
    std::set<int> done;
    for (const auto& x : o) {
      if (!line.segments.empty() && line.segments.back().real_tid == x.real) continue;
      if (done.count(x.real)) continue;  // a late record of an earlier process
      done.insert(x.real);
      Segment s;
      s.t0 = line.segments.empty() ? line.t0 : x.t;
      s.real_tid = x.real;
      auto w = where.find(x.real);
      s.host = w != where.end() && !w->second.first.empty() ? w->second.first : "?";
      s.arch = w != where.end() && !w->second.second.empty() ? w->second.second : "?";
      if (!line.segments.empty()) line.segments.back().t1 = s.t0;
      line.segments.push_back(s);
    }
    // A task moves when its migration commits: the next process's segment
    // starts there (the old process ran until then), when the trace has it.
    for (std::size_t k = 1; k < line.segments.size(); ++k) {
      for (const auto& mk : m.marks) {
        if (mk.vtid != vtid || mk.what != "commit") continue;
        const double next_end = k + 1 < line.segments.size() ? line.segments[k + 1].t0 : line.t1;
        if (mk.t >= line.segments[k].t0 && mk.t <= next_end) {
          line.segments[k].t0 = mk.t;
          line.segments[k - 1].t1 = mk.t;
          break;
        }
      }
    }
    if (line.segments.empty()) line.segments.push_back({line.t0, line.t1, vtid, "?", "?"});
    line.segments.back().t1 = line.t1;
    m.tasks.push_back(std::move(line));
  }

  for (auto& [key, ts] : sends) {
    const auto& rs = receives[key];
    for (std::size_t k = 0; k < ts.size(); ++k) {
      Message msg{std::get<0>(key), std::get<1>(key), std::get<2>(key), ts[k], std::nullopt};
      if (k < rs.size()) msg.received = rs[k];
      else ++m.unmatched_sends;
      m.messages.push_back(msg);
    }
  }
  for (const auto& [key, rs] : receives) {
    auto it = sends.find(key);
    std::size_t n = it == sends.end() ? 0 : it->second.size();
    if (rs.size() > n) m.unmatched_receives += rs.size() - n;
  }
  std::sort(m.messages.begin(), m.messages.end(), [](const Message& a, const Message& b) { return a.sent < b.sent; });

  std::set<MigKey> migs;
  for (const auto& [key, ph] : phases) {
    migs.insert(key);
    for (const auto& [name, sp] : ph) {
      if (!sp.t0 || !sp.t1) continue;  // a phase drawn has both ends (an abort is a mark)
      double a = *sp.t0, b = *sp.t1;
      m.bands.push_back({key.vtid, key.mig, name, std::min(a, b), std::max(a, b)});
    }
  }
  for (const auto& mk : m.marks)
    if (mk.what == "commit" || mk.what == "abort") migs.insert({mk.vtid, mk.mig});
  m.migrations = migs.size();
  return m;
}

}  // namespace snow::cli::trace
