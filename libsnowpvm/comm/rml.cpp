#include "libsnowpvm/comm/rml.h"

#include <pvm3.h>

#include <algorithm>
#include <utility>

namespace snow::comm {
namespace {

bool matches(const RmlEntry& e, int tid, int tag, int ctx) {
  return (tid == -1 || tid == e.src) && (tag == -1 || tag == e.tag) && (ctx == -1 || ctx == e.ctx);
}

}  // namespace

void Rml::prepend(const std::vector<RmlEntry>& older) {
  list_.insert(list_.begin(), older.begin(), older.end());
}

std::optional<RmlEntry> Rml::find(int tid, int tag, int ctx) const {
  auto it = std::find_if(list_.begin(), list_.end(),
                         [&](const RmlEntry& e) { return matches(e, tid, tag, ctx); });
  if (it == list_.end()) return std::nullopt;
  return *it;
}

std::optional<RmlEntry> Rml::take(int tid, int tag, int ctx) {
  auto it = std::find_if(list_.begin(), list_.end(),
                         [&](const RmlEntry& e) { return matches(e, tid, tag, ctx); });
  if (it == list_.end()) return std::nullopt;
  RmlEntry e = *it;
  list_.erase(it);
  return e;
}

std::optional<RmlEntry> Rml::take_buffer(int bufid) {
  auto it = std::find_if(list_.begin(), list_.end(), [&](const RmlEntry& e) { return e.bufid == bufid; });
  if (it == list_.end()) return std::nullopt;
  RmlEntry e = *it;
  list_.erase(it);
  return e;
}

bool Rml::swap_first_two_from(int src, int tag) {
  auto same = [&](const RmlEntry& e) { return e.src == src && e.tag == tag; };
  auto first = std::find_if(list_.begin(), list_.end(), same);
  if (first == list_.end()) return false;
  auto second = std::find_if(first + 1, list_.end(), same);
  if (second == list_.end()) return false;
  std::swap(*first, *second);
  return true;
}

RmlEntry rml_entry_of(int bufid) {
  struct pvmminfo info {};
  pvm_getminfo(bufid, &info);
  return RmlEntry{bufid, info.src, info.tag, info.ctx};
}

}  // namespace snow::comm
