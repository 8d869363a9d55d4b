#include "pvmd-ext/plain_peer_hold.h"

#include <algorithm>

namespace snow::ext {

PlainPeerHold::Verdicts PlainPeerHold::registered(int tid) {
  snow_.insert(tid);
  plain_.erase(tid);
  Verdicts v;
  std::erase_if(held_, [&](const Held& h) {
    if (h.req.to_real != tid) return false;
    v.deliver.push_back(h.req);
    return true;
  });
  return v;
}

void PlainPeerHold::hold(const wire::ConnReq& m, Clock::time_point now) { held_.push_back({m, now}); }

PlainPeerHold::Verdicts PlainPeerHold::review(Clock::time_point now, const AgeOf& age_of) {
  Verdicts v;
  if (held_.empty()) return v;
  // One age lookup per target, whatever the number of requests for it.
  std::vector<std::pair<int, bool>> decided;  // target -> plain
  auto is_plain_now = [&](const Held& h) {
    for (const auto& [t, plain] : decided)
      if (t == h.req.to_real) return plain;
    bool plain = plain_.count(h.req.to_real) != 0;
    if (!plain) {
      auto age = age_of(h.req.to_real);
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - h.since);
      plain = (age ? std::max(*age, waited) : waited) >= kPlainPeerGrace;
    }
    decided.emplace_back(h.req.to_real, plain);
    return plain;
  };
  std::erase_if(held_, [&](const Held& h) {
    if (!is_plain_now(h)) return false;
    plain_.insert(h.req.to_real);
    v.not_snow.push_back(h.req);
    return true;
  });
  return v;
}

PlainPeerHold::Verdicts PlainPeerHold::exited(int tid) {
  snow_.erase(tid);
  plain_.erase(tid);
  Verdicts v;
  std::erase_if(held_, [&](const Held& h) {
    if (h.req.to_real != tid) return false;
    v.exited.push_back(h.req);
    return true;
  });
  return v;
}

}  // namespace snow::ext
