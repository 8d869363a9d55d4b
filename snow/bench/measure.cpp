#include "snow/bench/measure.h"

#include "libsnowpvm/util/error.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>

namespace snow::cli::bench {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double median_seconds(int reps, const std::function<void()>& setup,
                      const std::function<void()>& run, double* first) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    if (setup) setup();
    auto t0 = Clock::now();
    run();
    t.push_back(seconds_since(t0));
  }
  if (first != nullptr && !t.empty()) *first = t.front();
  return median(t);
}

double memcpy_seconds(size_t bytes, int reps) {
  std::vector<char> a(bytes, 1), b(bytes, 0);
  return median_seconds(reps, nullptr, [&] {
    std::memcpy(b.data(), a.data(), bytes);
    // keep the copy observable
    if (b[bytes / 2] != 1) throw Error("memcpy baseline went wrong");
  });
}

std::pair<Socket, Socket> loopback_pair() {
  Listener l = tcp_listen();
  Socket client = tcp_connect("127.0.0.1", l.port, std::chrono::seconds(10));
  Socket server = tcp_accept(l, std::chrono::seconds(10));
  return {std::move(client), std::move(server)};
}

namespace {
void send_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t k = ::send(fd, p, std::min<size_t>(n, 1 << 20), MSG_NOSIGNAL);
    if (k < 0) throw SysError("send");
    p += k;
    n -= static_cast<size_t>(k);
  }
}
}  // namespace

double tcp_copy_seconds(const uint8_t* data, size_t n, int reps) {
  std::vector<double> t;
  std::vector<uint8_t> sink(1 << 20);
  for (int r = 0; r < reps; ++r) {
    auto [client, server] = loopback_pair();
    auto t0 = Clock::now();
    std::thread writer([&, fd = client.fd()] {
      send_all(fd, data, n);
      ::shutdown(fd, SHUT_WR);
    });
    size_t got = 0;
    for (;;) {
      ssize_t k = ::read(server.fd(), sink.data(), sink.size());
      if (k <= 0) break;
      got += static_cast<size_t>(k);
    }
    writer.join();
    t.push_back(seconds_since(t0));
    if (got != n) throw Error("loopback TCP copy lost bytes");
  }
  return median(t);
}

void ReusableSink::write(const void* data, size_t n) {
  if (used_ + n > buf_.size()) buf_.resize(std::max(used_ + n, buf_.size() * 3 / 2));
  std::memcpy(buf_.data() + used_, data, n);
  used_ += n;
}

size_t SpanSource::read_some(void* data, size_t n) {
  size_t k = std::min(n, n_ - pos_);
  std::memcpy(data, p_ + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace snow::cli::bench
