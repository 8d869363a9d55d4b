#include "libsnowpvm/comm/pl_table.h"

namespace snow::comm {

Location PlTable::find(int vtid) const {
  auto it = loc_.find(vtid);
  if (it != loc_.end()) return it->second;
  return Location{vtid, false, 0};
}

void PlTable::set(int vtid, const Location& where) {
  loc_[vtid] = where;
  vtid_of_real_[where.real] = vtid;
}

int PlTable::vtid_of(int real) const {
  auto it = vtid_of_real_.find(real);
  return it == vtid_of_real_.end() ? real : it->second;
}

std::vector<wire::PlEntry> PlTable::entries() const {
  std::vector<wire::PlEntry> v;
  v.reserve(loc_.size());
  for (const auto& [vtid, where] : loc_)
    if (!where.provisional) v.push_back({vtid, where.real});
  return v;
}

bool PlTable::any_provisional() const {
  for (const auto& [vtid, where] : loc_)
    if (where.provisional) return true;
  return false;
}

void PlTable::merge_older(const std::vector<wire::PlEntry>& older) {
  for (const auto& e : older) {
    if (!loc_.count(e.vtid)) loc_[e.vtid] = Location{e.real, false, 0};
    if (!vtid_of_real_.count(e.real)) vtid_of_real_[e.real] = e.vtid;
  }
}

}  // namespace snow::comm
