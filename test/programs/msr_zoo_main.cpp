// msr_zoo: moves the type zoo (msr_zoo.h) between processes, over TCP or
// through a checkpoint file, and deep-compares what arrives.
//
//   msr_zoo recv PORTFILE      destination: listen, restore, compare
//   msr_zoo send HOST PORT     source: build the zoo, pre-flight, stream it
//   msr_zoo checkpoint FILE    build the zoo, snow_checkpoint(FILE)
//   msr_zoo verify             restart (SNOW_RESTART_FILE, see `snow restart`)
//                              and compare
//   msr_zoo selftest           collect -> restore -> compare in one process
//
// Exit status 0 only when every value is bit-exact and every pointer
// points at the same logical target.
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "msr_harness.h"
#include "msr_zoo.h"
#include "snowpvm.h"

#include <cstring>
#include <iostream>
#include <string>

namespace {

// The zoo's roots: tracked globals and one stack block of main.
struct zoo g_zoo;

struct Session {
  struct zoo_stack stack {};
  snow_stack_block sb{};
  Session() {
    zoo_register();
    if (zoo_track(&g_zoo, "zoo") != 0)
      throw snow::Error(std::string("zoo_track: ") + snow_msr_last_error());
    snow_stack_push(&sb, &stack, &zoo_T_stack, "main.stack");
  }
  ~Session() { snow_stack_pop(&sb); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int compare_with_expected(Session& s, const std::string& from) {
  static struct zoo expected;
  struct zoo_stack est {};
  zoo_build(&expected, &est, 0);
  int bad = zoo_compare(&expected, &est, &g_zoo, &s.stack);
  if (bad != 0) {
    std::cout << "zoo: " << bad << " differences after the transfer from " << from << "\n";
    return 1;
  }
  std::cout << "zoo: " << zoo_values_compared << " values and " << zoo_pointers_compared
            << " pointers from " << from << " to " << snow::Platform::local().arch
            << ": bit-exact, same logical targets\n";
  return 0;
}

int recv(Session& s, const std::string& portfile) {
  auto listener = harness::listen_published(portfile);
  auto sock = harness::accept_source(listener);
  harness::send_platform(sock.fd(), snow::Platform::local());
  char c = harness::recv_byte(sock.fd());
  if (c == 'R') {
    std::cout << "zoo: the source refused: " << harness::recv_text(sock.fd()) << "\n";
    return 3;
  }
  if (c != 'S') throw snow::Error("unexpected answer from the source");
  std::string from = harness::recv_text(sock.fd());
  snow::FdSource src(sock.fd());
  try {
    snow::migrate::state_provider().restore(src);
  } catch (const std::exception& e) {
    harness::send_byte(sock.fd(), 'F');
    harness::send_text(sock.fd(), e.what());
    throw;
  }
  int rc = compare_with_expected(s, from);
  harness::send_byte(sock.fd(), rc == 0 ? 'K' : 'F');
  harness::send_text(sock.fd(),
                     rc == 0 ? "bit-exact" : "differences (see the destination's output)");
  return rc;
}

int send(Session& s, const std::string& host, int port) {
  zoo_build(&g_zoo, &s.stack, 0);
  auto sock = harness::connect_destination(host, port);
  std::cout << "zoo: connected to " << host << " (" << harness::peer_address(sock.fd()) << ")\n";
  snow::Platform dst = harness::recv_platform(sock.fd());
  auto& provider = snow::migrate::state_provider();
  try {
    provider.check(dst);
  } catch (const snow::migrate::NotMigratable& e) {
    harness::send_byte(sock.fd(), 'R');
    harness::send_text(sock.fd(), e.what());
    std::cout << "zoo: refused before stopping: " << e.what() << "\n";
    return 3;
  }
  harness::send_byte(sock.fd(), 'S');
  harness::send_text(sock.fd(), snow::Platform::local().arch);
  {
    snow::FdSink sink(sock.fd());
    provider.collect(sink, dst);
    sink.flush();
  }
  char verdict = harness::recv_byte(sock.fd());
  std::string why = harness::recv_text(sock.fd());
  std::cout << "zoo: " << snow::Platform::local().arch << " -> " << dst.arch << ": " << why << "\n";
  return verdict == 'K' ? 0 : 1;
}

int checkpoint(Session& s, const std::string& file) {
  zoo_build(&g_zoo, &s.stack, 0);
  int rc = snow_checkpoint(file.c_str());
  if (rc != 0) throw snow::Error("snow_checkpoint: " + std::string(snow_msr_last_error()));
  std::cout << "zoo: checkpoint of " << snow::Platform::local().arch << " written to " << file
            << "\n";
  return 0;
}

int verify(Session& s) {
  int rc = snow_restart_if_requested();
  if (rc == 0)
    throw snow::Error(
        "nothing to restart from (run through `snow restart FILE -- msr_zoo verify`)");
  if (rc < 0) {
    std::cout << "zoo: restart failed: " << snow_msr_last_error() << "\n";
    return 1;
  }
  return compare_with_expected(s, "a checkpoint");
}

int selftest(Session& s) {
  zoo_build(&g_zoo, &s.stack, 0);
  snow::MemorySink sink;
  auto& provider = snow::migrate::state_provider();
  provider.collect(sink, snow::Platform::local());
  size_t n = sink.bytes().size();
  std::memset(&g_zoo, 0, sizeof g_zoo);
  std::memset(&s.stack, 0, sizeof s.stack);
  snow::MemorySource src(sink.take());
  provider.restore(src);
  std::cout << "zoo: " << n << " stream bytes\n";
  return compare_with_expected(s, "itself");
}

int body(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  Session s;
  if (mode == "recv" && argc == 3) return recv(s, argv[2]);
  if (mode == "send" && argc == 4) return send(s, argv[2], std::stoi(argv[3]));
  if (mode == "checkpoint" && argc == 3) return checkpoint(s, argv[2]);
  if (mode == "verify" && argc == 2) return verify(s);
  if (mode == "selftest" && argc == 2) return selftest(s);
  std::cerr
      << "usage: msr_zoo recv PORTFILE | send HOST PORT | checkpoint FILE | verify | selftest\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return harness::guarded_main("msr_zoo", body, argc, argv); }
