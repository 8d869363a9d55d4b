#include "libsnowpvm/comm/connections.h"

namespace snow::comm {

int Connections::real_of(int vtid) const {
  auto it = by_vtid_.find(vtid);
  return it == by_vtid_.end() ? 0 : it->second;
}

void Connections::add(int vtid, int real) { by_vtid_[vtid] = real; }

int Connections::close_real(int real) {
  for (auto it = by_vtid_.begin(); it != by_vtid_.end(); ++it) {
    if (it->second == real) {
      int v = it->first;
      by_vtid_.erase(it);
      return v;
    }
  }
  return 0;
}

std::vector<Peer> Connections::peers() const {
  std::vector<Peer> v;
  v.reserve(by_vtid_.size());
  for (const auto& [vtid, real] : by_vtid_) v.push_back({vtid, real});
  return v;
}

int Connections::new_request(int vtid, int real) {
  int id = next_req_++;
  pending_[id] = PendingConnect{vtid, real, PendingConnect::Waiting, 0, false};
  return id;
}

PendingConnect* Connections::request(int req_id) {
  auto it = pending_.find(req_id);
  return it == pending_.end() ? nullptr : &it->second;
}

void Connections::mark_departed(int real, int next_req_id) {
  auto& first_fresh = departed_[real];
  if (next_req_id > first_fresh) first_fresh = next_req_id;
}

bool Connections::is_stale_request(int real, int req_id) const {
  auto it = departed_.find(real);
  return it != departed_.end() && req_id < it->second;
}

void Connections::invalidate_requests_to(int real) {
  for (auto& [id, p] : pending_)
    if (p.real == real && p.state == PendingConnect::Waiting) p.invalidated = true;
}

}  // namespace snow::comm
