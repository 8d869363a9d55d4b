// Plain TCP plumbing for the direct state connection between a migrating
// and an initialized process (buffered data transfer, seed 000).
#pragma once

#include <chrono>
#include <string>

namespace snow {

// A socket file descriptor, closed on destruction.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Socket& operator=(Socket&& o) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  int release() { int f = fd_; fd_ = -1; return f; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Listen on an ephemeral port of every address of this host.
struct Listener {
  Socket sock;
  int port = 0;
};
Listener tcp_listen();

// Accept one connection, or throw snow::Error after `timeout`.
Socket tcp_accept(const Listener& l, std::chrono::milliseconds timeout);

// Connect to host:port (name or dotted address), or throw after `timeout`.
Socket tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout);

// This host's address on the virtual machine's network: the address its
// hostname resolves to (what other hosts will connect to).
std::string local_address();

}  // namespace snow
