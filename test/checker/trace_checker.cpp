#include "test/checker/trace_checker.h"

#include <algorithm>
#include <sstream>

namespace snow::check {
namespace {

std::string tid(int t) {
  std::ostringstream o;
  o << "t" << std::hex << t;
  return o.str();
}

std::string pair_name(int src, int dst) { return tid(src) + "->" + tid(dst); }

}  // namespace

void TraceChecker::add_line(const std::string& file, int lineno, const std::string& line) {
  std::istringstream in(line);
  long long ms = 0;
  std::string kind;
  int me = 0, other = 0, seq = 0;
  auto where = file + ":" + std::to_string(lineno);
  if (!(in >> ms >> kind) || kind.size() != 1 || !(in >> std::hex >> me)) {
    parse_errors_.push_back(where + ": unreadable trace line '" + line + "'");
    return;
  }
  switch (kind[0]) {
    case 'B': began_[me] = ms; return;
    case 'E': ended_[me] = ms; return;
    case 'M': ++resumes_; return;
    case 'W': {  // <end> W <me> <dst> <seq> <start>: a send that blocked
      long long t0 = 0;
      if (!(in >> std::hex >> other >> std::dec >> seq >> t0)) break;
      blocked_.push_back({me, other, t0, ms});
      return;
    }
    case 'S':
    case 'R':
    case 'X':
      if (!(in >> std::hex >> other >> std::dec >> seq)) break;
      if (kind[0] == 'S') sent_[{me, other}].push_back(seq);
      else if (kind[0] == 'R') received_[{other, me}].push_back(seq);
      else damaged_.push_back(where + ": " + pair_name(other, me) + " message " + std::to_string(seq) +
                              " arrived damaged");
      return;
  }
  parse_errors_.push_back(where + ": unreadable trace line '" + line + "'");
}

void TraceChecker::add_journal_line(const std::string& line) {
  std::istringstream in(line);
  std::string kv;
  Migration m;
  long long total_us = 0;
  while (in >> kv) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    auto k = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (k == "vtid" && v.size() > 1) m.vtid = static_cast<int>(std::stol(v.substr(1), nullptr, 16));
    else if (k == "started_ms") m.start_ms = std::stoll(v);
    else if (k == "total_us") total_us = std::stoll(v);
    else if (k == "to") m.to = v;
    else if (k == "outcome") m.ok = v == "ok";
  }
  m.end_ms = m.start_ms + total_us / 1000;
  journal_.push_back(m);
}

Overlaps TraceChecker::overlaps() const {
  Overlaps o;
  auto overlap = [](long long a0, long long a1, long long b0, long long b1) { return a0 <= b1 && b0 <= a1; };
  for (const auto& b : blocked_)
    for (const auto& m : journal_)
      if (m.ok && m.vtid == b.receiver && overlap(b.t0, b.t1, m.start_ms, m.end_ms)) {
        ++o.blocked_sends;
        break;
      }
  for (size_t i = 0; i < journal_.size(); ++i)
    for (size_t j = i + 1; j < journal_.size(); ++j) {
      const auto &a = journal_[i], &b = journal_[j];
      if (!a.ok || !b.ok || a.vtid == b.vtid || !overlap(a.start_ms, a.end_ms, b.start_ms, b.end_ms)) continue;
      if (sent_.count({a.vtid, b.vtid}) || sent_.count({b.vtid, a.vtid})) ++o.simultaneous_pairs;
    }
  return o;
}

Report TraceChecker::check(std::optional<long long> bound_ms) const {
  Report r;
  r.problems = parse_errors_;
  r.problems.insert(r.problems.end(), damaged_.begin(), damaged_.end());
  r.resumes = resumes_;
  std::set<Pair> pairs;
  for (const auto& [p, v] : sent_) pairs.insert(p);
  for (const auto& [p, v] : received_) pairs.insert(p);
  r.pairs = static_cast<int>(pairs.size());
  for (const auto& p : pairs) {
    const auto name = pair_name(p.first, p.second);
    static const std::vector<int> none;
    const auto& s = sent_.count(p) ? sent_.at(p) : none;
    const auto& g = received_.count(p) ? received_.at(p) : none;
    r.messages += static_cast<long long>(s.size());
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] != static_cast<int>(i)) {
        r.problems.push_back(name + ": the sender numbered message " + std::to_string(i) + " as " +
                             std::to_string(s[i]));
        break;
      }
    // Per-pair FIFO and exactly-once: the receiver must see 0, 1, 2, ...
    std::set<int> seen;
    int expect = 0;
    for (int seq : g) {
      if (!seen.insert(seq).second) {
        r.problems.push_back(name + ": message " + std::to_string(seq) + " was received twice");
      } else if (seq != expect) {
        r.problems.push_back(name + ": out of order: message " + std::to_string(seq) + " arrived when " +
                             std::to_string(expect) + " was due");
      }
      expect = std::max(expect, seq + 1);
    }
    std::set<int> sent_set(s.begin(), s.end());
    for (int seq : sent_set)
      if (!seen.count(seq)) r.problems.push_back(name + ": message " + std::to_string(seq) + " was lost");
    for (int seq : seen)
      if (!sent_set.count(seq))
        r.problems.push_back(name + ": message " + std::to_string(seq) + " was received but never sent");
  }
  r.workers = static_cast<int>(began_.size());
  long long first = 0, last = 0;
  for (const auto& [w, ms] : began_) {
    if (!ended_.count(w)) r.problems.push_back("worker " + tid(w) + " began but never finished");
    first = first == 0 ? ms : std::min(first, ms);
  }
  for (const auto& [w, ms] : ended_) last = std::max(last, ms);
  r.span_ms = last > first ? last - first : 0;
  if (bound_ms && r.span_ms > *bound_ms)
    r.problems.push_back("the run took " + std::to_string(r.span_ms) + " ms, more than the bound of " +
                         std::to_string(*bound_ms) + " ms");
  if (began_.empty()) r.problems.push_back("no worker trace found");
  return r;
}

}  // namespace snow::check
