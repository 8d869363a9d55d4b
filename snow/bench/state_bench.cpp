#include "snow/bench/state_bench.h"

#include "libsnowpvm/msr/bench_workload.h"
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/preflight.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/platform.h"
#include "snow/bench/json.h"
#include "snow/bench/measure.h"
#include "snow/bench/xdr_baseline.h"
#include "snow/testbed/process.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>

namespace snow::cli::bench {
namespace {

struct Spec {
  std::string kind;
  uint64_t size;
  int reps;
};

struct Row {
  std::string workload, direction, restored_on;
  uint64_t payload = 0, stream = 0;
  double check_s = -1, collect_s = -1, transfer_s = -1, restore_s = -1, overlapped_s = -1;
  double collect_first_s = -1, restore_first_s = -1;  // the first (cold) repetition
  double memcpy_s = -1, tcp_s = -1;                   // physical limits where the restore ran
  bool verified = false, converted = false;
  std::string note;
};

double mbps(uint64_t bytes, double s) { return s > 0 ? static_cast<double>(bytes) / s / 1e6 : 0; }

std::string hex(const std::vector<uint8_t>& v) {
  std::string s;
  char b[3];
  for (uint8_t x : v) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

std::vector<uint8_t> unhex(const std::string& h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

// A number from the helper's one-line JSON.
double field(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) throw Error("msr_bench_helper said no " + key + ": " + json);
  return std::stod(json.substr(at + key.size() + 4));
}

// The foreign half: msr_bench_helper of another architecture (qemu-user).
struct Helper {
  std::string arch, path;
  Platform platform;

  std::string run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{path};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = testbed::run(argv);
    if (r.status != 0) throw Error(arch + " msr_bench_helper failed: " + r.output);
    return r.output;
  }
};

std::vector<Helper> find_helpers(const StateBenchOptions& opt) {
  std::vector<Helper> hs;
  for (const auto& [arch, path] : opt.helpers) {
    if (::access(path.c_str(), X_OK) != 0) {
      std::cout << "note: no " << arch << " helper at " << path << "; its rows are skipped\n";
      continue;
    }
    Helper h{arch, path, {}};
    std::string out = h.run({"platform"});
    auto blob = unhex(out.substr(0, out.find('\n')));
    h.platform = Platform::decode(blob.data(), blob.size());
    hs.push_back(h);
  }
  return hs;
}

void write_file(const std::string& path, const uint8_t* p, size_t n) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
  if (!out) throw Error("cannot write " + path);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ------------------------------------------------------------------ measurements

class WorkloadBench {
 public:
  WorkloadBench(const Spec& s, const StateBenchOptions& opt) : spec_(s), opt_(opt) {
    w_ = msr::bench::make_workload(s.kind, s.size);
    w_->build(src_);
    payload_ = w_->payload_bytes();
    memcpy_s_ = memcpy_seconds(payload_, s.reps);
    std::vector<uint8_t> plain(payload_, 7);
    tcp_s_ = tcp_copy_seconds(plain.data(), plain.size(), s.reps);
    sink_.prepare(payload_ + payload_ / 2 + (1u << 20));
  }

  Row homogeneous() {
    Row r = base(Platform::local().arch + "->" + Platform::local().arch, Platform::local().arch);
    r.check_s =
        median_seconds(spec_.reps, nullptr, [&] { msr::preflight(src_, Platform::local()); });
    r.collect_s = collect(Platform::local(), &r.collect_first_s);
    r.stream = sink_.size();
    r.transfer_s = tcp_copy_seconds(sink_.data(), sink_.size(), spec_.reps);
    restore_local(sink_.data(), sink_.size(), r);
    r.overlapped_s = overlapped();
    return r;
  }

  // this -> foreign: check and collect here, restore there (emulated).
  Row to_foreign(const Helper& h) {
    Row r = base(Platform::local().arch + "->" + h.arch, h.arch + " (qemu)");
    r.check_s = median_seconds(spec_.reps, nullptr, [&] { msr::preflight(src_, h.platform); });
    r.collect_s = collect(h.platform, &r.collect_first_s);
    r.stream = sink_.size();
    r.transfer_s = tcp_copy_seconds(sink_.data(), sink_.size(), spec_.reps);
    std::string file = opt_.tmpdir + "/to-" + h.arch + ".stream";
    write_file(file, sink_.data(), sink_.size());
    std::string out = h.run({"restore", spec_.kind, std::to_string(spec_.size), file, "1"});
    ::unlink(file.c_str());
    r.restore_s = field(out, "restore_s");
    r.memcpy_s = field(out, "memcpy_s");  // under the same emulation
    r.tcp_s = -1;
    r.verified = out.find("\"verified\": true") != std::string::npos;
    r.converted = out.find("\"converted\": true") != std::string::npos;
    r.note = "restore emulated by qemu-user; compare it with the memcpy measured there";
    return r;
  }

  // foreign -> this: collected there (emulated), restored here.
  Row from_foreign(const Helper& h) {
    Row r = base(h.arch + "->" + Platform::local().arch, Platform::local().arch);
    std::string file = opt_.tmpdir + "/from-" + h.arch + ".stream";
    std::string out = h.run(
        {"gen", spec_.kind, std::to_string(spec_.size), hex(Platform::local().encode()), file});
    auto bytes = read_file(file);
    ::unlink(file.c_str());
    r.stream = bytes.size();
    r.note = "collected on " + h.arch + " under qemu in " +
             std::to_string(field(out, "collect_s")) + " s (not shown)";
    restore_local(bytes.data(), bytes.size(), r);
    return r;
  }

 private:
  Row base(const std::string& dir, const std::string& where) const {
    Row r;
    r.workload = w_->name();
    r.direction = dir;
    r.restored_on = where;
    r.payload = payload_;
    r.memcpy_s = memcpy_s_;
    r.tcp_s = tcp_s_;
    return r;
  }

  double collect(const Platform& dst, double* first) {
    return median_seconds(
        spec_.reps, [&] { sink_.reset(); }, [&] { msr::Collector(src_, dst).run(sink_); }, first);
  }

  void restore_local(const uint8_t* data, size_t n, Row& r) {
    std::optional<msr::Registry> dst;
    std::optional<SpanSource> in;
    bool converted = false;
    r.restore_s = median_seconds(
        spec_.reps,
        [&] {
          dst.reset();
          dst.emplace();
          w_->prepare(*dst);
          in.emplace(data, n);
        },
        [&] {
          msr::Restorer rs(*dst);
          rs.run(*in);
          converted = rs.stats().converted;
        },
        &r.restore_first_s);
    r.verified = w_->verify();
    r.converted = converted;
  }

  // Buffered data transfer: the source collects into a loopback socket
  // while the destination restores from it.
  double overlapped() {
    std::optional<msr::Registry> dst;
    double s = median_seconds(
        spec_.reps,
        [&] {
          dst.reset();
          dst.emplace();
          w_->prepare(*dst);
        },
        [&] {
          auto [client, server] = loopback_pair();
          std::exception_ptr err;
          std::thread source([&, fd = client.fd()] {
            try {
              FdSink out(fd);
              msr::Collector(src_, Platform::local()).run(out);
              out.flush();
              ::shutdown(fd, SHUT_WR);
            } catch (...) {
              err = std::current_exception();
            }
          });
          FdSource in(server.fd());
          msr::Restorer(*dst).run(in);
          source.join();
          if (err) std::rethrow_exception(err);
        });
    if (!w_->verify())
      throw Error("the overlapped transfer of " + w_->name() + " restored wrong values");
    return s;
  }

  Spec spec_;
  const StateBenchOptions& opt_;
  std::unique_ptr<msr::bench::Workload> w_;
  msr::Registry src_;
  uint64_t payload_ = 0;
  double memcpy_s_ = 0, tcp_s_ = 0;
  ReusableSink sink_;
};

// ------------------------------------------------------------------ registration

JsonObject registration_costs(bool quick) {
  const int n = quick ? 100000 : 1000000, reps = quick ? 1 : 5;
  std::vector<void*> p(static_cast<size_t>(n));
  double plain = median_seconds(reps, nullptr, [&] {
    for (auto& x : p) x = std::malloc(48);
    for (auto* x : p) std::free(x);
  });
  double snow = median_seconds(reps, nullptr, [&] {
    for (auto& x : p) x = snow_malloc(48, &snow_type_uchar);
    for (auto* x : p) snow_free(x);
  });
  const long m = quick ? 1000000 : 20000000;
  long x = 0;
  snow_stack_block b;
  double stack = median_seconds(reps, nullptr, [&] {
    for (long i = 0; i < m; ++i) {
      snow_stack_push(&b, &x, &snow_type_long, "bench.x");
      asm volatile("" ::: "memory");  // as if the function body ran here
      snow_stack_pop(&b);
    }
  });
  static long roots[100];
  double track = median_seconds(reps, nullptr, [&] {
    char name[32];
    for (int i = 0; i < 100; ++i) {
      std::snprintf(name, sizeof name, "bench.root%d", i);
      if (snow_track(&roots[i], &snow_type_long, name) != 0)
        throw Error("snow_track failed in the benchmark");
    }
    for (auto& r : roots) snow_untrack(&r);
  });
  double ns_plain = plain / n * 1e9, ns_snow = snow / n * 1e9,
         ns_stack = stack / static_cast<double>(m) * 1e9;
  std::printf(
      "registration (medians): malloc+free of 48 B %.1f ns, snow_malloc+snow_free %.1f ns (+%.1f "
      "ns);\n"
      "  snow_stack_push+pop %.2f ns; snow_track+snow_untrack with 100 roots %.2f us per root\n\n",
      ns_plain, ns_snow, ns_snow - ns_plain, ns_stack, track / 100 * 1e6);
  return JsonObject()
      .num("malloc_free_ns", ns_plain)
      .num("snow_malloc_free_ns", ns_snow)
      .num("stack_push_pop_ns", ns_stack)
      .num("track_untrack_100_roots_us_per_root", track / 100 * 1e6);
}

// ------------------------------------------------------------------ output

void print_header() {
  std::printf("%-12s %-16s %-14s %10s %9s %9s %9s %9s %9s | %9s %9s  %s\n", "workload", "direction",
              "restored on", "payload", "check", "collect", "transfer", "restore", "overlap",
              "memcpy", "tcp", "ok");
  std::printf("%-12s %-16s %-14s %10s %9s %9s %9s %9s %9s | %9s %9s\n", "", "", "", "bytes", "MB/s",
              "MB/s", "MB/s", "MB/s", "MB/s", "MB/s", "MB/s");
}

std::string cell(uint64_t bytes, double s) {
  if (s < 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", mbps(bytes, s));
  return b;
}

void print_row(const Row& r) {
  std::printf("%-12s %-16s %-14s %10llu %9s %9s %9s %9s %9s | %9s %9s  %s%s\n", r.workload.c_str(),
              r.direction.c_str(), r.restored_on.c_str(),
              static_cast<unsigned long long>(r.payload), cell(r.payload, r.check_s).c_str(),
              cell(r.payload, r.collect_s).c_str(), cell(r.payload, r.transfer_s).c_str(),
              cell(r.payload, r.restore_s).c_str(), cell(r.payload, r.overlapped_s).c_str(),
              cell(r.payload, r.memcpy_s).c_str(), cell(r.payload, r.tcp_s).c_str(),
              r.verified ? "verified" : "WRONG", r.converted ? ", converted" : "");
  std::fflush(stdout);
}

JsonObject row_json(const Row& r) {
  return JsonObject()
      .str("workload", r.workload)
      .str("direction", r.direction)
      .str("restored_on", r.restored_on)
      .num("payload_bytes", static_cast<double>(r.payload))
      .num("stream_bytes", static_cast<double>(r.stream))
      .num("check_s", r.check_s)
      .num("collect_s", r.collect_s)
      .num("transfer_s", r.transfer_s)
      .num("restore_s", r.restore_s)
      .num("collect_first_s", r.collect_first_s)
      .num("restore_first_s", r.restore_first_s)
      .num("overlapped_s", r.overlapped_s)
      .num("memcpy_s", r.memcpy_s)
      .num("tcp_copy_s", r.tcp_s)
      .boolean("verified", r.verified)
      .boolean("converted", r.converted)
      .str("note", r.note);
}

std::vector<JsonObject> xdr_section(bool quick) {
  int reps = quick ? 1 : 5;
  size_t n = quick ? (1u << 20) / 8 : (8u << 20) / 8;
  long nodes = quick ? 20000 : 1000000;
  XdrResult a = xdr_array(n, reps), t = xdr_tree(nodes, reps);
  uint64_t abytes = n * 8, tbytes = static_cast<uint64_t>(nodes) * 32;
  std::printf(
      "\nXDR (canonical, libtirpc) on the same state, both sides paid even between equal hosts:\n");
  std::printf("  array %zu doubles: encode %.0f MB/s, decode %.0f MB/s (%s)\n", n,
              mbps(abytes, a.encode_s), mbps(abytes, a.decode_s),
              a.verified ? "verified" : "WRONG");
  std::printf("  tree %ld nodes:     encode %.0f MB/s, decode %.0f MB/s (%s)\n", nodes,
              mbps(tbytes, t.encode_s), mbps(tbytes, t.decode_s),
              t.verified ? "verified" : "WRONG");
  auto j = [](const std::string& what, uint64_t bytes, const XdrResult& r) {
    return JsonObject()
        .str("workload", what)
        .num("payload_bytes", static_cast<double>(bytes))
        .num("xdr_bytes", static_cast<double>(r.bytes))
        .num("encode_s", r.encode_s)
        .num("decode_s", r.decode_s)
        .boolean("verified", r.verified);
  };
  return {j("array", abytes, a), j("tree", tbytes, t)};
}

}  // namespace

int run_state_bench(const StateBenchOptions& opt) {
  std::vector<Spec> specs =
      opt.quick
          ? std::vector<Spec>{{"array", 64u << 10, 1}, {"array", 1u << 20, 1}, {"tree", 20000, 1}}
          : std::vector<Spec>{{"array", 325u << 10, 7},
                              {"array", 8u << 20, 5},
                              {"array", 256u << 20, 3},
                              {"tree", 1000000, 3}};
  if (!opt.workloads.empty()) {
    specs.clear();
    for (const auto& [kind, size] : opt.workloads) specs.push_back({kind, size, opt.quick ? 1 : 3});
  }
  if (opt.reps > 0)
    for (Spec& s : specs) s.reps = opt.reps;
  std::printf(
      "snow bench state: %s, medians%s; MB = 10^6 bytes; throughput = state payload / time\n\n",
      Platform::local().describe().c_str(), opt.quick ? " (quick: small sizes, 1 run)" : "");
  auto reg = registration_costs(opt.quick);
  auto helpers = find_helpers(opt);
  std::vector<Row> rows;
  bool all_ok = true;
  print_header();
  for (const Spec& s : specs) {
    WorkloadBench wb(s, opt);
    rows.push_back(wb.homogeneous());
    print_row(rows.back());
    for (const Helper& h : helpers) {
      rows.push_back(wb.to_foreign(h));
      print_row(rows.back());
      rows.push_back(wb.from_foreign(h));
      print_row(rows.back());
    }
  }
  for (const Row& r : rows) all_ok = all_ok && r.verified;
  std::printf(
      "\nfirst repetition (cold caches, fresh memory -- what one migration pays), where measured "
      "here:\n");
  for (const Row& r : rows)
    if (r.collect_first_s > 0 || (r.restore_first_s > 0 && r.restored_on == Platform::local().arch))
      std::printf("  %-12s %-16s collect %9s MB/s   restore %9s MB/s\n", r.workload.c_str(),
                  r.direction.c_str(), cell(r.payload, r.collect_first_s).c_str(),
                  r.restored_on == Platform::local().arch
                      ? cell(r.payload, r.restore_first_s).c_str()
                      : "-");
  std::printf(
      "\ncheck = pre-flight narrowing scan; collect = walk + stream into memory; transfer = the "
      "stream over\n"
      "loopback TCP; restore = decode + rebuild; overlap = collect -> TCP -> restore concurrently "
      "(buffered\n"
      "data transfer); memcpy/tcp = the same payload bytes copied, measured where the restore "
      "ran.\n"
      "Rows restored under qemu are emulated: read them against the memcpy measured in the same "
      "emulator.\n");
  auto xdr = xdr_section(opt.quick);
  std::vector<JsonObject> jrows;
  for (const Row& r : rows) jrows.push_back(row_json(r));
  JsonObject root;
  root.str("benchmark", "snow bench state")
      .str("platform", Platform::local().describe())
      .boolean("quick", opt.quick)
      .str("units", "seconds (medians); bytes")
      .obj("registration", reg)
      .arr("rows", jrows)
      .arr("xdr", xdr);
  std::ofstream out(opt.json);
  out << root.text() << "\n";
  if (!out) throw Error("cannot write " + opt.json);
  std::printf("\nwritten: %s\n", opt.json.c_str());
  return all_ok ? 0 : 1;
}

}  // namespace snow::cli::bench
