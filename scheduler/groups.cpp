#include "scheduler/groups.h"

#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::sched {

using wire::GroupOp;

wire::GroupReply GroupServer::reply(const wire::GroupCall& c, int rc) const {
  wire::GroupReply r;
  r.req = c.req;
  r.op = c.op;
  r.rc = rc;
  return r;
}

GroupServer::Answer GroupServer::answer(int real, const wire::GroupCall& c, int rc) const {
  return Answer{real, c.vtid, reply(c, rc)};
}

std::vector<GroupServer::Answer> GroupServer::call(int real, const wire::GroupCall& c) {
  std::vector<Answer> out;
  const auto op = static_cast<GroupOp>(c.op);
  if (op == GroupOp::Join) {
    join(real, c, out);
    return out;
  }
  auto it = groups_.find(c.group);
  if (it == groups_.end()) {
    out.push_back(answer(real, c, PvmNoGroup));
    return out;
  }
  Group& g = it->second;
  const bool member = g.inst_of.count(c.vtid) != 0;
  switch (op) {
    case GroupOp::Join: break;  // above
    case GroupOp::Leave:
      if (!member) {
        out.push_back(answer(real, c, PvmNotInGroup));
        break;
      }
      out.push_back(answer(real, c, 0));
      spdlog::info("group: {} left '{}' (instance {})", tid_str(c.vtid), c.group, g.inst_of[c.vtid]);
      leave(c.group, c.vtid);  // may erase g
      if (auto again = groups_.find(c.group); again != groups_.end()) try_freeze(c.group, again->second, out);
      break;
    case GroupOp::GetTid: {
      auto t = g.tid_of.find(c.arg);
      out.push_back(answer(real, c, t == g.tid_of.end() ? PvmNoInst : t->second));
      break;
    }
    case GroupOp::GetInst: {
      auto i = g.inst_of.find(c.arg);
      out.push_back(answer(real, c, i == g.inst_of.end() ? PvmNotInGroup : i->second));
      break;
    }
    case GroupOp::Size:
      out.push_back(answer(real, c, static_cast<int>(g.inst_of.size())));
      break;
    case GroupOp::Members: {
      Answer a = answer(real, c, static_cast<int>(g.inst_of.size()));
      int top = g.tid_of.empty() ? -1 : g.tid_of.rbegin()->first;
      a.reply.tids.assign(static_cast<size_t>(top + 1), 0);
      for (const auto& [inst, vtid] : g.tid_of) a.reply.tids[static_cast<size_t>(inst)] = vtid;
      out.push_back(std::move(a));
      break;
    }
    case GroupOp::Freeze:
      if (!member) out.push_back(answer(real, c, PvmNotInGroup));
      else freeze(real, c, g, out);
      break;
    case GroupOp::Barrier:
      if (!member) out.push_back(answer(real, c, PvmNotInGroup));
      else barrier(real, c, g, out);
      break;
  }
  return out;
}

void GroupServer::join(int real, const wire::GroupCall& c, std::vector<Answer>& out) {
  auto it = groups_.find(c.group);
  if (it == groups_.end()) {
    if (groups_.size() >= limits_.groups) {
      spdlog::warn("group: {} cannot create '{}': {} groups exist", tid_str(c.vtid), c.group, groups_.size());
      out.push_back(answer(real, c, PvmNoMem));
      return;
    }
    it = groups_.emplace(c.group, Group{}).first;
  }
  Group& g = it->second;
  if (g.inst_of.count(c.vtid)) {
    out.push_back(answer(real, c, PvmDupGroup));
    return;
  }
  if (g.frozen) {  // a static group takes no new members
    out.push_back(answer(real, c, PvmNoGroup));
    return;
  }
  if (g.inst_of.size() >= limits_.members) {
    out.push_back(answer(real, c, PvmNoMem));
    return;
  }
  int inst = 0;  // the lowest free instance number, as pvmgs gives
  while (g.tid_of.count(inst)) ++inst;
  g.inst_of[c.vtid] = inst;
  g.tid_of[inst] = c.vtid;
  Answer a = answer(real, c, inst);
  a.reply.seq = g.last_released;
  out.push_back(std::move(a));
  spdlog::info("group: {} joined '{}' as instance {} (size {})", tid_str(c.vtid), c.group, inst,
               g.inst_of.size());
  try_freeze(c.group, g, out);
}

void GroupServer::leave(const std::string& name, int vtid) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return;
  Group& g = it->second;
  auto i = g.inst_of.find(vtid);
  if (i == g.inst_of.end()) return;
  g.tid_of.erase(i->second);
  g.inst_of.erase(i);
  g.freezers.erase(vtid);
  if (g.inst_of.empty()) groups_.erase(it);  // as pvmgs: a group ends with its last member
}

std::vector<GroupServer::Answer> GroupServer::leave_all(int vtid) {
  std::vector<Answer> out;
  for (const std::string& name : groups_of(vtid)) {
    spdlog::info("group: {} leaves '{}' (the task ended)", tid_str(vtid), name);
    leave(name, vtid);
    if (auto it = groups_.find(name); it != groups_.end()) try_freeze(name, it->second, out);
  }
  return out;
}

void GroupServer::barrier(int real, const wire::GroupCall& c, Group& g, std::vector<Answer>& out) {
  if (c.seq < 1 || (c.arg < 1 && c.arg != -1)) {
    out.push_back(answer(real, c, PvmBadParam));
    return;
  }
  auto it = g.barriers.find(c.seq);
  if ((it != g.barriers.end() && it->second.released) || (it == g.barriers.end() && c.seq <= g.last_released)) {
    // A repeated arrival (the caller migrated while it waited): released.
    spdlog::info("group: {} barrier '{}' #{} was released already", tid_str(c.vtid), c.group, c.seq);
    out.push_back(answer(real, c, 0));
    return;
  }
  int count = c.arg == -1 ? static_cast<int>(g.inst_of.size()) : c.arg;
  if (it == g.barriers.end()) {
    it = g.barriers.emplace(c.seq, Barrier{}).first;
    it->second.count = count;
  } else if (c.arg != -1 && it->second.count != count) {
    out.push_back(answer(real, c, PvmMismatch));
    return;
  }
  it->second.arrived[c.vtid] = Waiter{real, c.req};
  spdlog::debug("group: {} at barrier '{}' #{} ({}/{})", tid_str(c.vtid), c.group, c.seq,
                it->second.arrived.size(), it->second.count);
  try_release(c.group, g, c.seq, out);
}

void GroupServer::try_release(const std::string& name, Group& g, int seq, std::vector<Answer>& out) {
  Barrier& b = g.barriers.at(seq);
  if (b.released || static_cast<int>(b.arrived.size()) < b.count) return;
  b.released = true;
  g.last_released = std::max(g.last_released, seq);
  spdlog::info("group: barrier '{}' #{} released ({} members)", name, seq, b.arrived.size());
  for (const auto& [vtid, w] : b.arrived) {
    wire::GroupReply r;
    r.req = w.req;
    r.op = static_cast<int>(GroupOp::Barrier);
    r.rc = 0;
    out.push_back(Answer{w.real, vtid, r});
  }
  size_t released = 0;
  for (const auto& [s, x] : g.barriers) released += x.released ? 1 : 0;
  for (auto it = g.barriers.begin(); released > limits_.released_kept && it != g.barriers.end();) {
    if (it->second.released) {
      it = g.barriers.erase(it);
      --released;
    } else {
      ++it;
    }
  }
}

void GroupServer::freeze(int real, const wire::GroupCall& c, Group& g, std::vector<Answer>& out) {
  if (g.frozen) {  // already static (also a call repeated after a migration)
    out.push_back(answer(real, c, g.frozen_size));
    return;
  }
  int size = c.arg == -1 ? static_cast<int>(g.inst_of.size()) : c.arg;
  if (size < 1) {
    out.push_back(answer(real, c, PvmBadParam));
    return;
  }
  if (g.freeze_size && c.arg != -1 && *g.freeze_size != size) {
    out.push_back(answer(real, c, PvmMismatch));
    return;
  }
  if (!g.freeze_size) g.freeze_size = size;
  g.freezers[c.vtid] = Waiter{real, c.req};
  try_freeze(c.group, g, out);
}

// A freeze completes once the group has its size and every member has
// asked for it (pvm_freezegroup synchronises the members).
void GroupServer::try_freeze(const std::string& name, Group& g, std::vector<Answer>& out) {
  if (!g.freeze_size || static_cast<int>(g.inst_of.size()) != *g.freeze_size) return;
  for (const auto& [vtid, inst] : g.inst_of)
    if (!g.freezers.count(vtid)) return;
  g.frozen = true;
  g.frozen_size = *g.freeze_size;
  g.freeze_size.reset();
  spdlog::info("group: '{}' frozen at size {}", name, g.frozen_size);
  for (const auto& [vtid, w] : g.freezers) {
    wire::GroupReply r;
    r.req = w.req;
    r.op = static_cast<int>(GroupOp::Freeze);
    r.rc = g.frozen_size;
    out.push_back(Answer{w.real, vtid, r});
  }
  g.freezers.clear();
}

int GroupServer::size(const std::string& group) const {
  auto it = groups_.find(group);
  return it == groups_.end() ? PvmNoGroup : static_cast<int>(it->second.inst_of.size());
}

std::vector<std::string> GroupServer::groups_of(int vtid) const {
  std::vector<std::string> v;
  for (const auto& [name, g] : groups_)
    if (g.inst_of.count(vtid)) v.push_back(name);
  return v;
}

}  // namespace snow::sched
