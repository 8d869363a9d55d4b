// The unfinished line of stdout that travels with a migrating process
// (libsnowpvm/migrate/unfinished_line.h).
#include "libsnowpvm/migrate/unfinished_line.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <string>

using snow::migrate::put_back_unfinished_line;
using snow::migrate::take_unfinished_line;

namespace {

// A fully buffered stream over a temporary file, like a task's stdout pipe.
struct Buffered {
  std::FILE* f = std::tmpfile();
  char buf[4096];
  Buffered() {
    REQUIRE(f);
    std::setvbuf(f, buf, _IOFBF, sizeof buf);
  }
  ~Buffered() { std::fclose(f); }
  std::string written() {  // what reached the file so far
    char tmp[8192];
    ssize_t n = pread(fileno(f), tmp, sizeof tmp, 0);
    return n > 0 ? std::string(tmp, static_cast<size_t>(n)) : std::string();
  }
};

}  // namespace

TEST_CASE("complete lines are written, the unfinished one is handed over", "[unfinished-line]") {
  Buffered out;
  std::fputs("Pass a token\n524295 -> 524296 -> ", out.f);
  REQUIRE(out.written().empty());  // still buffered
  std::string tail = take_unfinished_line(out.f);
#ifdef __GLIBC__
  CHECK(tail == "524295 -> 524296 -> ");
  CHECK(out.written() == "Pass a token\n");
  // The new process puts it back and goes on printing: one whole line.
  put_back_unfinished_line(out.f, tail);
  std::fputs("524292\n", out.f);
  std::fflush(out.f);
  CHECK(out.written() == "Pass a token\n524295 -> 524296 -> 524292\n");
#else
  CHECK(tail.empty());
  CHECK(out.written() == "Pass a token\n524295 -> 524296 -> ");
#endif
}

TEST_CASE("nothing unfinished: everything is written", "[unfinished-line]") {
  Buffered out;
  std::fputs("a\nb\n", out.f);
  CHECK(take_unfinished_line(out.f).empty());
  CHECK(out.written() == "a\nb\n");
  CHECK(take_unfinished_line(out.f).empty());  // an empty buffer
  CHECK(out.written() == "a\nb\n");
}

TEST_CASE("a line with no newline at all stays whole", "[unfinished-line]") {
  Buffered out;
  std::fputs("no newline yet", out.f);
  std::string tail = take_unfinished_line(out.f);
#ifdef __GLIBC__
  CHECK(tail == "no newline yet");
  CHECK(out.written().empty());
  // An abandoned migration puts it back where it was.
  put_back_unfinished_line(out.f, tail);
  std::fflush(out.f);
  CHECK(out.written() == "no newline yet");
#endif
}
