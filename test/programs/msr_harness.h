// A small state-transfer harness for the memory-state system tests: the
// destination listens and publishes its port, the source connects; the
// destination sends its Platform (as the migration protocol does before
// the source commits), the source answers 'S' and streams its state, or
// 'R' and the reason it refused; the destination answers 'K' or 'F'.
#pragma once

#include "libsnowpvm/util/platform.h"
#include "libsnowpvm/util/tcp_stream.h"

#include <string>

namespace harness {

// Listen and write the port to `portfile` (atomically, so a waiting
// script never reads half a number).
snow::Listener listen_published(const std::string& portfile);
snow::Socket accept_source(const snow::Listener& l, int timeout_s = 120);
snow::Socket connect_destination(const std::string& host, int port, int timeout_s = 60);
// "10.77.0.3:40123": where a connected socket leads (for the test's log).
std::string peer_address(int fd);

void send_platform(int fd, const snow::Platform& p);
snow::Platform recv_platform(int fd);
void send_byte(int fd, char c);
char recv_byte(int fd);
void send_text(int fd, const std::string& s);
std::string recv_text(int fd);

// Runs `body`, printing any exception as "PROGRAM: error: ..."; returns
// its exit status (2 on an exception).
int guarded_main(const char* program, int (*body)(int, char**), int argc, char** argv);

}  // namespace harness
