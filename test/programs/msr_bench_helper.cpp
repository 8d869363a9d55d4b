// msr_bench_helper: the foreign half of `snow bench state`, built for
// every architecture (an i386 or s390x build runs under qemu-user here).
//
//   msr_bench_helper platform
//       this platform's data model (hex of Platform::encode)
//   msr_bench_helper gen KIND SIZE DST_PLATFORM_HEX FILE
//       build the workload and collect it for that destination into FILE
//   msr_bench_helper restore KIND SIZE FILE [REPS]
//       restore FILE (read into memory first) REPS times, verify, and time
//       memcpy of the same bytes in this same process
// Results are one JSON object on stdout.
#include "libsnowpvm/msr/bench_workload.h"
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/platform.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<uint8_t> unhex(const std::string& h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

int platform() {
  for (uint8_t b : snow::Platform::local().encode()) std::printf("%02x", b);
  std::printf("\n");
  return 0;
}

int gen(const std::string& kind, uint64_t size, const std::string& dst_hex,
        const std::string& file) {
  auto blob = unhex(dst_hex);
  snow::Platform dst = snow::Platform::decode(blob.data(), blob.size());
  auto w = snow::msr::bench::make_workload(kind, size);
  snow::msr::Registry reg;
  w->build(reg);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw snow::SysError("open " + file);
  snow::FdSink sink(fd, /*owns=*/true);
  snow::msr::Collector c(reg, dst);
  auto t0 = Clock::now();
  c.run(sink);
  double s = since(t0);
  std::printf("{\"arch\": \"%s\", \"collect_s\": %.6f, \"payload\": %llu, \"stream\": %llu}\n",
              snow::Platform::local().arch.c_str(), s,
              static_cast<unsigned long long>(c.stats().payload_bytes),
              static_cast<unsigned long long>(c.stats().stream_bytes));
  return 0;
}

int restore(const std::string& kind, uint64_t size, const std::string& file, int reps) {
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (bytes.empty()) throw snow::Error("empty stream " + file);
  auto w = snow::msr::bench::make_workload(kind, size);
  std::vector<double> times;
  bool verified = true;
  bool converted = false;
  for (int r = 0; r < reps; ++r) {
    snow::msr::Registry reg;
    w->prepare(reg);
    snow::MemorySource src(bytes.data(), bytes.size());
    snow::msr::Restorer rs(reg);
    auto t0 = Clock::now();
    rs.run(src);
    times.push_back(since(t0));
    converted = rs.stats().converted;
    verified = verified && w->verify();
  }
  // memcpy of the same bytes, here (under the same emulation, if any).
  std::vector<char> a(w->payload_bytes(), 1), b(w->payload_bytes(), 0);
  std::vector<double> mc;
  for (int r = 0; r < std::max(reps, 3); ++r) {
    auto t0 = Clock::now();
    std::memcpy(b.data(), a.data(), a.size());
    mc.push_back(since(t0));
  }
  std::printf(
      "{\"arch\": \"%s\", \"restore_s\": %.6f, \"memcpy_s\": %.6f, \"payload\": %llu, "
      "\"verified\": %s, "
      "\"converted\": %s}\n",
      snow::Platform::local().arch.c_str(), median(times), median(mc),
      static_cast<unsigned long long>(w->payload_bytes()), verified ? "true" : "false",
      converted ? "true" : "false");
  return verified ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "platform" && argc == 2) return platform();
    if (mode == "gen" && argc == 6) return gen(argv[2], std::stoull(argv[3]), argv[4], argv[5]);
    if (mode == "restore" && (argc == 5 || argc == 6))
      return restore(argv[2], std::stoull(argv[3]), argv[4], argc == 6 ? std::stoi(argv[5]) : 1);
    std::cerr << "usage: msr_bench_helper platform | gen KIND SIZE DST_HEX FILE | restore KIND "
                 "SIZE FILE [REPS]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "msr_bench_helper: " << e.what() << "\n";
    return 1;
  }
}
