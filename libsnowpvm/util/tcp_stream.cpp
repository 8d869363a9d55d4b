#include "libsnowpvm/util/tcp_stream.h"

#include "libsnowpvm/util/error.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace snow {

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

Socket& Socket::operator=(Socket&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

namespace {

void tune(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool wait_fd(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  for (;;) {
    int r = poll(&p, 1, static_cast<int>(timeout.count()));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) throw SysError("poll");
  }
}

}  // namespace

Listener tcp_listen() {
  Listener l;
  l.sock = Socket(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!l.sock) throw SysError("socket");
  int one = 1;
  setsockopt(l.sock.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(l.sock.fd(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw SysError("bind");
  if (listen(l.sock.fd(), 4) != 0) throw SysError("listen");
  socklen_t len = sizeof a;
  if (getsockname(l.sock.fd(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw SysError("getsockname");
  l.port = ntohs(a.sin_port);
  return l;
}

Socket tcp_accept(const Listener& l, std::chrono::milliseconds timeout) {
  if (!wait_fd(l.sock.fd(), POLLIN, timeout))
    throw Error("no state connection arrived within " + std::to_string(timeout.count()) + " ms");
  Socket s(accept4(l.sock.fd(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!s) throw SysError("accept");
  tune(s.fd());
  return s;
}

Socket tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (rc != 0) throw Error("cannot resolve " + host + ": " + gai_strerror(rc));
  Socket s(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!s) {
    freeaddrinfo(res);
    throw SysError("socket");
  }
  rc = connect(s.fd(), res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc != 0 && errno != EINPROGRESS) throw SysError("connect " + host + ":" + std::to_string(port));
  if (rc != 0) {
    if (!wait_fd(s.fd(), POLLOUT, timeout))
      throw Error("connect " + host + ":" + std::to_string(port) + " timed out");
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) throw SysError("connect " + host + ":" + std::to_string(port), err);
  }
  int flags = fcntl(s.fd(), F_GETFL);
  fcntl(s.fd(), F_SETFL, flags & ~O_NONBLOCK);
  tune(s.fd());
  return s;
}

std::string local_address() {
  char hn[256] = {};
  gethostname(hn, sizeof hn - 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* res = nullptr;
  if (getaddrinfo(hn, nullptr, &hints, &res) != 0 || !res) return "127.0.0.1";
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof buf);
  freeaddrinfo(res);
  return buf;
}

}  // namespace snow
