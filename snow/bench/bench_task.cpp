// snow-bench-task: the processes `snow bench comm` spawns (one role per
// process, chosen by argv[1]).  They talk to the benchmark driver (a
// plain PVM task) with pvm_send, and to each other with snow_* calls or,
// for the baseline, raw pvm_send/pvm_recv with direct routing.
//
//   ping    measures round trips to its partner, raw and SNOW alternately
//   pong    answers them
//   subject connects to its peers, reports ready, waits in snow_recv (where
//           the driver's migration finds it), and after each migration
//           connects again
//   peer    answers the subject's pings, blocked in snow_recv otherwise
//   idle    an enrolled SNOW task that does nothing (the VM's population)
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <pvm3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

enum Tag : int {
  kParam = 1, kReady = 2, kCmd = 3, kResult = 4, kRaw = 10, kSnow = 11, kPing = 12, kPong = 13, kStop = 14
};

// The driver spawned the first process; a migrated one inherits that parent.
int driver() { return snow_parent(); }

void tell_driver(int tag, const std::vector<double>& values) {
  int old = pvm_setsbuf(pvm_mkbuf(PvmDataDefault));
  int n = static_cast<int>(values.size());
  pvm_pkint(&n, 1, 1);
  if (n) pvm_pkdouble(const_cast<double*>(values.data()), n, 1);
  pvm_send(driver(), tag);
  pvm_freebuf(pvm_setsbuf(old));
}

// Driver messages may already sit in SNOW's received-message list.
std::vector<int> from_driver(int tag) {
  std::vector<int> v;
  if (snow_recv(-1, tag) < 0) std::exit(2);
  int n = 0;
  pvm_upkint(&n, 1, 1);
  v.resize(static_cast<size_t>(n));
  if (n) pvm_upkint(v.data(), n, 1);
  return v;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One round trip of `bytes` bytes, raw PVM or SNOW.
void exchange(bool snow, int peer, std::vector<char>& buf, bool initiator) {
  auto send = [&] {
    pvm_initsend(PvmDataDefault);
    pvm_pkbyte(buf.data(), static_cast<int>(buf.size()), 1);
    if (snow) snow_send(peer, kSnow);
    else pvm_send(peer, kRaw);
  };
  auto recv = [&] {
    if (snow) snow_recv(peer, kSnow);
    else pvm_recv(peer, kRaw);
    pvm_upkbyte(buf.data(), static_cast<int>(buf.size()), 1);
  };
  if (initiator) {
    send();
    recv();
  } else {
    recv();
    send();
  }
}

// params: partner, then (bytes, iterations) pairs; blocks alternate modes.
int ping_pong(bool initiator) {
  snow_start();
  auto p = from_driver(kParam);
  int peer = p[0];
  const int blocks = 5;
  std::vector<double> report;
  for (size_t i = 1; i + 1 < p.size(); i += 2) {
    int bytes = p[i], iters = p[i + 1];
    std::vector<char> buf(static_cast<size_t>(bytes), 'x');
    std::vector<double> us[2];
    for (int mode : {0, 1}) exchange(mode == 1, peer, buf, initiator);  // warm up: connect, route
    for (int b = 0; b < blocks; ++b)
      for (int mode : {0, 1})
        for (int k = 0; k < std::max(1, iters / blocks); ++k) {
          auto t0 = std::chrono::steady_clock::now();
          exchange(mode == 1, peer, buf, initiator);
          us[mode].push_back(
              std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
    report.insert(report.end(), {static_cast<double>(bytes), median(us[0]), median(us[1])});
  }
  if (initiator) tell_driver(kResult, report);
  snow_exit();
  return 0;
}

// Tracked state of the subject (it is what migrates).
int g_npeers, g_peers[64];

int subject() {
  snow_track(&g_npeers, SNOW_TYPE(int), "npeers");
  snow_track(g_peers, snow_array_of(SNOW_TYPE(int), 64), "peers");
  if (snow_start() == 0) {
    auto p = from_driver(kParam);
    g_npeers = static_cast<int>(p.size());
    std::copy(p.begin(), p.end(), g_peers);
  }
  for (;;) {
    for (int i = 0; i < g_npeers; ++i) {  // (re)connect to every peer
      pvm_initsend(PvmDataDefault);
      snow_send(g_peers[i], kPing);
    }
    for (int i = 0; i < g_npeers; ++i) snow_recv(-1, kPong);
    tell_driver(kReady, {});
    auto cmd = from_driver(kCmd);  // the migration happens while we wait here
    if (!cmd.empty() && cmd[0] == kStop) break;
  }
  snow_exit();
  return 0;
}

int peer() {
  snow_start();
  for (;;) {
    int b = snow_recv(-1, -1);
    if (b < 0) return 2;
    int bytes = 0, tag = 0, src = 0;
    snow_bufinfo(b, &bytes, &tag, &src);
    if (tag == kStop) break;
    if (tag == kPing) {
      pvm_initsend(PvmDataDefault);
      snow_send(src, kPong);
    }
  }
  snow_exit();
  return 0;
}

int idle() {
  snow_start();
  for (;;) {
    int b = snow_recv(-1, -1);
    int bytes = 0, tag = 0, src = 0;
    if (b > 0) snow_bufinfo(b, &bytes, &tag, &src);
    if (b < 0 || tag == kStop) break;
  }
  snow_exit();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 64;
  if (!std::strcmp(argv[1], "ping")) return ping_pong(true);
  if (!std::strcmp(argv[1], "pong")) return ping_pong(false);
  if (!std::strcmp(argv[1], "subject")) return subject();
  if (!std::strcmp(argv[1], "peer")) return peer();
  if (!std::strcmp(argv[1], "idle")) return idle();
  return 64;
}
