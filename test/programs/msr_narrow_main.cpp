// msr_narrow: the narrowing rule, both outcomes (seed 004).
//
//   msr_narrow recv PORTFILE     destination: expects one refused attempt,
//                                then one that converts; checks the values
//   msr_narrow send HOST PORT    source: first holds a long that does not
//                                fit 32 bits -- the pre-flight check must
//                                refuse, naming it, while this process runs
//                                on; then fitting values, which must move
//   msr_narrow checkpoint FILE   a checkpoint holding the too-wide long
//   msr_narrow verify            restart from it (`snow restart`): on a
//                                32-bit host this must fail, naming it
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "msr_harness.h"
#include "msr_narrow.h"
#include "snowpvm.h"

#include <climits>
#include <iostream>
#include <string>

namespace {

constexpr long kFits = -123456789L;
constexpr unsigned long kFitsU = 4000000000UL;
constexpr long kFitsHeap = 2147483647L;

long too_wide() {
  if (sizeof(long) < 8)
    throw snow::Error("the source of the narrowing test must have a 64-bit long");
  return static_cast<long>(1LL << 40) + 5;
}

int recv(const std::string& portfile) {
  auto listener = harness::listen_published(portfile);
  {
    auto sock = harness::accept_source(listener);
    harness::send_platform(sock.fd(), snow::Platform::local());
    char c = harness::recv_byte(sock.fd());
    if (c != 'R') {
      std::cout << "narrow: FAIL: the first attempt was not refused\n";
      return 1;
    }
    std::cout << "narrow: first attempt refused by the source: " << harness::recv_text(sock.fd())
              << "\n";
  }
  auto sock = harness::accept_source(listener);
  harness::send_platform(sock.fd(), snow::Platform::local());
  if (harness::recv_byte(sock.fd()) != 'S') {
    std::cout << "narrow: FAIL: the second attempt was refused too\n";
    return 1;
  }
  snow::FdSource src(sock.fd());
  snow::migrate::state_provider().restore(src);
  bool ok = narrow_wide == kFits && narrow_uwide == kFitsU && narrow_heap != nullptr &&
            narrow_heap->id == 7 && narrow_heap->value == kFitsHeap;
  std::cout << "narrow: converted into " << 8 * sizeof(long)
            << "-bit longs: narrow_wide=" << narrow_wide << " narrow_uwide=" << narrow_uwide
            << " narrow_heap->value=" << (narrow_heap ? narrow_heap->value : 0)
            << (ok ? " (all as sent)" : " (WRONG)") << "\n";
  harness::send_byte(sock.fd(), ok ? 'K' : 'F');
  return ok ? 0 : 1;
}

// One migration attempt; true when the state went.
bool attempt(const std::string& host, int port) {
  auto sock = harness::connect_destination(host, port);
  snow::Platform dst = harness::recv_platform(sock.fd());
  auto& provider = snow::migrate::state_provider();
  try {
    provider.check(dst);
  } catch (const snow::migrate::NotMigratable& e) {
    std::cout << "narrow: refused before stopping: " << e.what() << " [variable=" << e.variable()
              << "]\n";
    harness::send_byte(sock.fd(), 'R');
    harness::send_text(sock.fd(), e.what());
    return false;
  }
  harness::send_byte(sock.fd(), 'S');
  {
    snow::FdSink sink(sock.fd());
    provider.collect(sink, dst);
    sink.flush();
  }
  return harness::recv_byte(sock.fd()) == 'K';
}

int send(const std::string& host, int port) {
  narrow_alloc();
  narrow_wide = too_wide();
  narrow_uwide = 1;
  narrow_heap->value = -5;
  if (attempt(host, port)) {
    std::cout << "narrow: FAIL: a long of 2^40 went to a destination\n";
    return 1;
  }
  // Still running: the state is untouched and the computation goes on.
  long sum = 0;
  for (long i = 1; i <= 1000; ++i) sum += i;
  std::cout << "narrow: source still running after the refusal (sum=" << sum
            << ", narrow_wide=" << narrow_wide << ")\n";
  if (sum != 500500 || narrow_wide != too_wide()) return 1;
  narrow_wide = kFits;
  narrow_uwide = kFitsU;
  narrow_heap->value = kFitsHeap;
  if (!attempt(host, port)) {
    std::cout << "narrow: FAIL: values that fit did not move\n";
    return 1;
  }
  std::cout << "narrow: values that fit moved and were converted\n";
  return 0;
}

int checkpoint(const std::string& file) {
  narrow_alloc();
  narrow_wide = too_wide();
  narrow_uwide = kFitsU;
  narrow_heap->value = kFitsHeap;
  if (snow_checkpoint(file.c_str()) != 0)
    throw snow::Error(std::string("snow_checkpoint: ") + snow_msr_last_error());
  std::cout << "narrow: checkpoint written with narrow_wide=" << narrow_wide << "\n";
  return 0;
}

int verify() {
  int rc = snow_restart_if_requested();
  if (rc == 1) {
    std::cout << "narrow: restarted: narrow_wide=" << narrow_wide << "\n";
    return 0;
  }
  std::cout << "narrow: restart refused (status " << rc << "): " << snow_msr_last_error() << "\n";
  return 3;
}

int body(int argc, char** argv) {
  if (narrow_track() != 0) throw snow::Error(std::string("narrow_track: ") + snow_msr_last_error());
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "recv" && argc == 3) return recv(argv[2]);
  if (mode == "send" && argc == 4) return send(argv[2], std::stoi(argv[3]));
  if (mode == "checkpoint" && argc == 3) return checkpoint(argv[2]);
  if (mode == "verify" && argc == 2) return verify();
  std::cerr << "usage: msr_narrow recv PORTFILE | send HOST PORT | checkpoint FILE | verify\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return harness::guarded_main("msr_narrow", body, argc, argv); }
