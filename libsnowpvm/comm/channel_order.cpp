#include "libsnowpvm/comm/channel_order.h"

#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::comm {

int ChannelOrder::next_out(int dst) { return ++out_[dst]; }

std::vector<pvmio::Incoming> ChannelOrder::arrive(const pvmio::Incoming& in) {
  std::vector<pvmio::Incoming> ready;
  int& due = expect_.try_emplace(in.src, 1).first->second;
  if (in.wid < due) {
    // Never seen in practice; deliver rather than lose it.
    spdlog::error("channel-order: from={} number={} already delivered up to {}", tid_str(in.src), in.wid,
                  due - 1);
    ready.push_back(in);
    return ready;
  }
  if (in.wid > due) {
    spdlog::debug("channel-order: from={} number={} early (due {}), held back", tid_str(in.src), in.wid, due);
    held_[in.src].emplace(in.wid, in);
    return ready;
  }
  ready.push_back(in);
  ++due;
  auto it = held_.find(in.src);
  if (it == held_.end()) return ready;
  auto& waiting = it->second;
  while (!waiting.empty() && waiting.begin()->first == due) {
    ready.push_back(waiting.begin()->second);
    waiting.erase(waiting.begin());
    ++due;
  }
  if (waiting.empty()) held_.erase(it);
  return ready;
}

size_t ChannelOrder::held() const {
  size_t n = 0;
  for (const auto& [src, m] : held_) n += m.size();
  return n;
}

void stamp_send_buffer(int seq) {
  int sbuf = pvm_getsbuf();
  if (sbuf <= 0) return;
  struct pvmminfo info {};
  if (pvm_getminfo(sbuf, &info) < 0) return;
  info.wid = seq;
  pvm_setminfo(sbuf, &info);
}

}  // namespace snow::comm
