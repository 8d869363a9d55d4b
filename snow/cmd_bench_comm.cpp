// snow bench comm: what the communication protocol costs.
//
//   * ping-pong latency and bandwidth between two x86_64 hosts, raw
//     pvm_send/pvm_recv with direct routing against snow_send/snow_recv,
//     measured in the same run by the same processes, alternating;
//   * migration coordination time (Fig. 5 lines 4-7) against the number of
//     connected peers, 1..16 (peers blocked in snow_recv);
//   * coordination time against the number of processes in the virtual
//     machine at a fixed 4 peers: does anything grow with its size?
//
// Medians are printed and written as JSON.  Without --vm a temporary
// two-host virtual machine is brought up and torn down again.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/sched_client.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"
#include "snow/testbed/vm.h"
#include "snow/testbed/wait.h"

#include <pvm3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <set>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace snow::cli {
namespace {

using namespace std::chrono_literals;

enum Tag : int { kParam = 1, kReady = 2, kCmd = 3, kResult = 4, kStop = 14 };

struct Plan {
  std::vector<std::pair<int, int>> sizes;  // bytes, round trips
  std::vector<int> peer_counts;
  std::vector<int> idle_counts;
  int repeats = 7;
};

Plan plan(bool quick) {
  Plan p;
  if (const char* only = std::getenv("SNOW_BENCH_SIZES")) {  // "bytes:trips,..." for experiments
    std::stringstream in(only);
    std::string item;
    while (std::getline(in, item, ','))
      p.sizes.push_back({std::stoi(item), std::stoi(item.substr(item.find(':') + 1))});
    p.peer_counts = {1};
    p.idle_counts = {0};
    p.repeats = 1;
    return p;
  }
  if (quick) {
    p.sizes = {{8, 200}, {65536, 50}, {1 << 20, 10}};
    p.peer_counts = {1, 4, 16};
    p.idle_counts = {0, 16};
    p.repeats = 3;
    return p;
  }
  p.sizes = {{8, 2000}, {1024, 2000}, {65536, 300}, {1 << 20, 40}};
  for (int n = 1; n <= 16; ++n) p.peer_counts.push_back(n);
  p.idle_counts = {0, 16, 32, 64};
  return p;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

class Driver {
 public:
  Driver(std::string task, std::string h1, std::string h2)
      : task_(std::move(task)), h1_(std::move(h1)), h2_(std::move(h2)) {}

  int spawn(const char* role, const std::string& host) {
    char* argv[] = {const_cast<char*>(role), nullptr};
    int tid = 0;
    if (pvm_spawn(const_cast<char*>(task_.c_str()), argv, PvmTaskHost, const_cast<char*>(host.c_str()), 1,
                  &tid) != 1)
      throw Error("cannot start " + task_ + " " + role + " on " + host + ": " + pvm_error_name(tid));
    return tid;
  }

  static void send_ints(int tid, int tag, std::vector<int> v) {
    int old = pvm_setsbuf(pvm_mkbuf(PvmDataDefault));
    int n = static_cast<int>(v.size());
    pvm_pkint(&n, 1, 1);
    if (n) pvm_pkint(v.data(), n, 1);
    pvm_send(tid, tag);
    pvm_freebuf(pvm_setsbuf(old));
  }

  static std::vector<double> receive(int tag, std::chrono::seconds timeout) {
    struct timeval tv = {static_cast<time_t>(timeout.count()), 0};
    int b = pvm_trecv(-1, tag, &tv);
    if (b <= 0) throw Error("a benchmark task did not answer (tag " + std::to_string(tag) + ")");
    int n = 0;
    pvm_upkint(&n, 1, 1);
    std::vector<double> v(static_cast<size_t>(n));
    if (n) pvm_upkdouble(v.data(), n, 1);
    pvm_freebuf(b);
    return v;
  }

  // Round trips: (bytes, raw µs, snow µs) per size.
  std::vector<std::array<double, 3>> ping_pong(const Plan& p) {
    int ping = spawn("ping", h1_), pong = spawn("pong", h2_);
    std::vector<int> sizes;
    for (auto [b, n] : p.sizes) sizes.insert(sizes.end(), {b, n});
    auto params = [&](int partner) {
      std::vector<int> v{partner};
      v.insert(v.end(), sizes.begin(), sizes.end());
      return v;
    };
    send_ints(ping, kParam, params(pong));
    send_ints(pong, kParam, params(ping));
    auto r = receive(kResult, 600s);
    std::vector<std::array<double, 3>> out;
    for (size_t i = 0; i + 2 < r.size(); i += 3) out.push_back({r[i], r[i + 1], r[i + 2]});
    return out;
  }

  // Coordination times (ms) of `repeats` migrations of a subject with
  // `npeers` connected peers.
  std::vector<double> coordination(SchedulerClient& sched, int npeers, int repeats) {
    std::vector<int> peers;
    for (int i = 0; i < npeers; ++i) peers.push_back(spawn("peer", i % 2 ? h2_ : h1_));
    int subject = spawn("subject", h1_);
    send_ints(subject, kParam, peers);
    receive(kReady, 120s);
    std::vector<double> ms;
    int real = subject;
    std::string at = h1_;
    for (int k = 0; k < repeats; ++k) {
      at = at == h1_ ? h2_ : h1_;
      auto r = sched.migrate(subject, at, 300s);
      if (!r.ok) throw Error("benchmark migration failed: " + r.text);
      if (r.t.peers != npeers)
        throw Error("the subject had " + std::to_string(r.t.peers) + " connected peers, expected " +
                    std::to_string(npeers));
      ms.push_back(static_cast<double>(r.t.coord_us) / 1000.0);
      real = r.new_real;
      receive(kReady, 120s);
    }
    send_ints(real, kCmd, {kStop});
    for (int t : peers) send_ints(t, kStop, {});
    return ms;
  }

  std::vector<int> more_idle(int count) {
    std::vector<int> v;
    for (int i = 0; i < count; ++i) v.push_back(spawn("idle", i % 2 ? h2_ : h1_));
    return v;
  }

 private:
  std::string task_, h1_, h2_;
};

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

std::string json_list(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + fmt(v[i]);
  return s + "]";
}

int run(const testbed::VmState& vm, const std::string& h1, const std::string& h2, bool quick,
        const std::string& json) {
  testbed::PvmSession session;
  SchedulerClient sched;
  std::error_code ec;
  auto task = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string() + "/snow-bench-task";
  if (access(task.c_str(), X_OK) != 0) throw Error("the benchmark task " + task + " is missing");
  Driver d(task, h1, h2);
  Plan p = plan(quick);
  std::ostringstream js;
  std::printf("SNOW-PVM communication benchmark: hosts %s and %s (%s)%s\n\n", h1.c_str(), h2.c_str(),
              vm.host(h1).arch.c_str(), quick ? ", quick" : "");
  std::printf("ping-pong, medians          raw pvm_send/recv   snow_send/recv   overhead\n");
  js << "{\n  \"hosts\": [\"" << h1 << "\", \"" << h2 << "\"],\n  \"arch\": \"" << vm.host(h1).arch << "\",\n"
     << "  \"quick\": " << (quick ? "true" : "false") << ",\n  \"pingpong\": [";
  auto pp = d.ping_pong(p);
  for (size_t i = 0; i < pp.size(); ++i) {
    auto [bytes, raw, snow] = pp[i];
    double over = raw > 0 ? 100.0 * (snow - raw) / raw : 0;
    std::printf("  %8.0f B  half round trip %10.1f us %14.1f us %+9.1f %%\n", bytes, raw / 2, snow / 2, over);
    if (bytes >= 65536)
      std::printf("  %8.0f B  bandwidth       %10.1f MB/s %12.1f MB/s\n", bytes, bytes / (raw / 2),
                  bytes / (snow / 2));
    js << (i ? "," : "") << "\n    {\"bytes\": " << static_cast<long>(bytes) << ", \"raw_rtt_us\": " << fmt(raw)
       << ", \"snow_rtt_us\": " << fmt(snow) << ", \"raw_MBps\": " << fmt(bytes / (raw / 2))
       << ", \"snow_MBps\": " << fmt(bytes / (snow / 2)) << ", \"overhead_pct\": " << fmt(over) << "}";
  }
  js << "\n  ],\n  \"coordination_vs_peers\": [";
  std::printf("\nmigration coordination (Fig. 5 lines 4-7), peers blocked in snow_recv, %d migrations each\n",
              p.repeats);
  std::printf("  peers   median_ms      min_ms      max_ms\n");
  for (size_t i = 0; i < p.peer_counts.size(); ++i) {
    int n = p.peer_counts[i];
    auto ms = d.coordination(sched, n, p.repeats);
    std::printf("  %5d %11.3f %11.3f %11.3f\n", n, median(ms), *std::min_element(ms.begin(), ms.end()),
                *std::max_element(ms.begin(), ms.end()));
    std::fflush(stdout);
    js << (i ? "," : "") << "\n    {\"peers\": " << n << ", \"median_ms\": " << fmt(median(ms))
       << ", \"samples_ms\": " << json_list(ms) << "}";
  }
  js << "\n  ],\n  \"coordination_vs_processes\": [";
  std::printf("\ncoordination with 4 peers against the number of SNOW processes in the VM\n");
  std::printf("  processes   median_ms\n");
  std::vector<int> idle;
  for (size_t i = 0; i < p.idle_counts.size(); ++i) {
    auto more = d.more_idle(p.idle_counts[i] - static_cast<int>(idle.size()));
    idle.insert(idle.end(), more.begin(), more.end());
    std::set<int> waiting(idle.begin(), idle.end());
    auto enrolled = [&] {
      size_t n = 0;
      for (const auto& r : sched.ps().rows)
        n += waiting.count(r.vtid) && r.status == static_cast<int>(wire::TaskStatus::Running);
      return n == waiting.size();
    };
    testbed::wait_for(enrolled, 120s, "the idle tasks to enrol");
    auto ms = d.coordination(sched, 4, p.repeats);
    int total = static_cast<int>(idle.size()) + 5;
    std::printf("  %9d %11.3f\n", total, median(ms));
    std::fflush(stdout);
    js << (i ? "," : "") << "\n    {\"processes\": " << total << ", \"peers\": 4, \"median_ms\": "
       << fmt(median(ms)) << ", \"samples_ms\": " << json_list(ms) << "}";
  }
  for (int t : idle) Driver::send_ints(t, kStop, {});
  js << "\n  ],\n  \"paper\": {\"comm_overhead_pct\": 3.8, \"coordination_ms_7_peers\": 116.6}\n}\n";
  std::printf("\npaper (seed 001, Table 1 and Sec. 6.2): 3.8%% communication overhead, 116.6 ms coordination "
              "with 7 peers\n");
  if (!json.empty()) {
    std::ofstream f(json);
    f << js.str();
    if (!f) throw SysError("write " + json);
  }
  std::fflush(stdout);
  return 0;
}

// Tears a temporary VM down on every exit path.
class TempVm {
 public:
  explicit TempVm(std::string name) : name_(std::move(name)) {}
  ~TempVm() {
    std::ostringstream quiet;
    try {
      testbed::vm_down(name_, quiet);
    } catch (...) {
    }
  }
  TempVm(const TempVm&) = delete;
  TempVm& operator=(const TempVm&) = delete;

 private:
  std::string name_;
};

}  // namespace

int cmd_bench_comm(Args& rest) {
  auto vm_name = rest.option("--vm");
  auto json = rest.option("--json").value_or("");
  bool quick = rest.flag("--quick");
  rest.positionals();
  if (!json.empty()) json = std::filesystem::absolute(json).string();
  auto layout = testbed::Layout::detect();
  std::optional<TempVm> temp;
  std::string name;
  if (vm_name) {
    name = *vm_name;
  } else {
    name = "bench" + std::to_string(getpid() % 100000);
    testbed::UpOptions opt;
    opt.name = name;
    opt.archs = {"x86_64", "x86_64"};
    temp.emplace(name);
    testbed::vm_up(opt, layout, std::cerr);
  }
  auto vm = testbed::VmState::require(name);
  std::vector<std::string> native;
  for (const auto& h : vm.hosts)
    if (h.arch == vm.master().arch) native.push_back(h.name);
  if (native.size() < 2)
    throw Error("the benchmark needs two hosts of the master's architecture (" + vm.master().arch + ") in VM " + name);
  // The child runs inside a virtual host, whose /tmp is its own: it writes
  // the JSON into the VM's state directory, and we copy it out.
  const std::string inner = json.empty() ? "" : vm.dir() + "/bench-comm.json";
  int rc = testbed::in_host(vm, vm.master(), layout, [&] {
    try {
      return run(vm, native[0], native[1], quick, inner);
    } catch (const Error& e) {
      std::fprintf(stderr, "snow bench comm: %s\n", e.what());
      return 1;
    }
  });
  if (rc == 0 && !json.empty()) {
    std::filesystem::copy_file(inner, json, std::filesystem::copy_options::overwrite_existing);
    std::printf("JSON written to %s\n", json.c_str());
  }
  return rc;
}

}  // namespace snow::cli
