#include "msr_harness.h"

#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/log.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

namespace harness {
namespace {

void write_all(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0) throw snow::SysError("write to peer");
    p += k;
    n -= static_cast<size_t>(k);
  }
}

void read_all(int fd, void* data, size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t k = ::read(fd, p, n);
    if (k < 0) throw snow::SysError("read from peer");
    if (k == 0) throw snow::Error("the peer closed the connection");
    p += k;
    n -= static_cast<size_t>(k);
  }
}

void send_u32(int fd, uint32_t v) {
  unsigned char b[4] = {static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16),
                        static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
  write_all(fd, b, 4);
}

uint32_t recv_u32(int fd) {
  unsigned char b[4];
  read_all(fd, b, 4);
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
}

}  // namespace

snow::Listener listen_published(const std::string& portfile) {
  auto l = snow::tcp_listen();
  std::string tmp = portfile + ".tmp";
  {
    std::ofstream out(tmp);
    out << l.port << "\n";
    if (!out) throw snow::Error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), portfile.c_str()) != 0) throw snow::SysError("rename " + tmp);
  return l;
}

snow::Socket accept_source(const snow::Listener& l, int timeout_s) {
  return snow::tcp_accept(l, std::chrono::seconds(timeout_s));
}

snow::Socket connect_destination(const std::string& host, int port, int timeout_s) {
  return snow::tcp_connect(host, port, std::chrono::seconds(timeout_s));
}

std::string peer_address(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return "?";
  char buf[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
  return std::string(buf) + ":" + std::to_string(ntohs(a.sin_port));
}

void send_platform(int fd, const snow::Platform& p) {
  auto blob = p.encode();
  send_u32(fd, static_cast<uint32_t>(blob.size()));
  write_all(fd, blob.data(), blob.size());
}

snow::Platform recv_platform(int fd) {
  uint32_t n = recv_u32(fd);
  if (n > 256) throw snow::Error("platform description of " + std::to_string(n) + " bytes");
  std::vector<uint8_t> blob(n);
  read_all(fd, blob.data(), n);
  return snow::Platform::decode(blob.data(), blob.size());
}

void send_byte(int fd, char c) { write_all(fd, &c, 1); }

char recv_byte(int fd) {
  char c;
  read_all(fd, &c, 1);
  return c;
}

void send_text(int fd, const std::string& s) {
  send_u32(fd, static_cast<uint32_t>(s.size()));
  write_all(fd, s.data(), s.size());
}

std::string recv_text(int fd) {
  uint32_t n = recv_u32(fd);
  if (n > 65536) throw snow::Error("text of " + std::to_string(n) + " bytes");
  std::string s(n, '\0');
  read_all(fd, s.data(), n);
  return s;
}

int guarded_main(const char* program, int (*body)(int, char**), int argc, char** argv) {
  snow::log::init(program);
  try {
    return body(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace harness
