// Message handlers and the receive matcher as SNOW keeps them
// (libsnowpvm/exec/message_handlers.cpp): pvm_addmhf's refusal of
// registrations that could match the same messages, pvm_delmhf's answers,
// and how the matcher picks from the received-message list (pvm_recv's
// rules: < 0 error, 0 skip, 1 at once, > 1 the highest ranked).
#include "libsnowpvm/comm/user_matching.h"
#include "snowpvm.h"

#include <catch2/catch.hpp>

#include <pvm3.h>

#include <algorithm>
#include <iterator>
#include <optional>

using snow::comm::Rml;
using snow::comm::RmlEntry;
using snow::comm::user_matching;

namespace {

int handler_a(int) { return 0; }
int handler_b(int) { return 0; }

int g_rank[8];
int g_asked = 0;
int rank_of_buffer(int bufid, int, int) {
  ++g_asked;
  return g_rank[bufid];
}

// libpvm's error lines (PvmAutoErr) off while a test provokes errors.
struct QuietPvm {
  int old = pvm_setopt(PvmAutoErr, 0);
  ~QuietPvm() { pvm_setopt(PvmAutoErr, old); }
};

}  // namespace

TEST_CASE("pvm_addmhf refuses a handler that could match another's messages", "[handlers]") {
  QuietPvm quiet;
  const int src = 0x40001, other = 0x40002;
  int a = snow_addmhf(src, 5, 0, handler_a);
  REQUIRE(a >= 0);
  CHECK(snow_addmhf(src, 5, 0, handler_b) == PvmExists);
  CHECK(snow_addmhf(-1, 5, -1, handler_b) == PvmExists);   // wildcards in the new one
  CHECK(snow_addmhf(src, -1, 0, handler_b) == PvmExists);
  int b = snow_addmhf(other, 5, 0, handler_b);             // another source
  int c = snow_addmhf(src, 6, 0, handler_b);               // another tag
  int d = snow_addmhf(src, 5, 1, handler_b);               // another context
  REQUIRE(b >= 0);
  REQUIRE(c >= 0);
  REQUIRE(d >= 0);
  CHECK(a != b);
  CHECK(snow_addmhf(-1, -1, -1, handler_b) == PvmExists);  // wildcards in the old ones
  CHECK(snow_delmhf(a) == PvmOk);
  CHECK(snow_delmhf(a) == PvmNotFound);
  CHECK(snow_delmhf(-1) == PvmBadParam);
  CHECK(snow_delmhf(100000) == PvmNotFound);
  int again = snow_addmhf(-1, 5, 0, handler_a);  // what `a` blocked, now free except b's
  CHECK(again == PvmExists);                      // b: (other, 5, 0)
  for (int id : {b, c, d}) CHECK(snow_delmhf(id) == PvmOk);
  again = snow_addmhf(-1, 5, 0, handler_a);
  CHECK(again >= 0);
  CHECK(snow_delmhf(again) == PvmOk);
}

TEST_CASE("the receive matcher picks as pvm_recv does", "[handlers]") {
  REQUIRE(user_matching.pick != nullptr);
  Rml rml;
  for (int buf = 1; buf <= 4; ++buf) rml.push_back(RmlEntry{buf, 0x40001, 7, 0});
  std::optional<RmlEntry> picked;
  int status = 0;
  CHECK_FALSE(user_matching.pick(rml, -1, -1, picked, status));  // no matcher: the default applies

  CHECK(snow_recvf(rank_of_buffer) == nullptr);  // the default was in force
  auto pick = [&]() {
    picked.reset();
    status = 0;
    g_asked = 0;
    REQUIRE(user_matching.pick(rml, -1, -1, picked, status));
  };
  std::fill(std::begin(g_rank), std::end(g_rank), 0);
  pick();
  CHECK_FALSE(picked);
  CHECK(status == 0);
  CHECK(g_asked == 4);

  // The highest rank, after looking at all.
  g_rank[2] = 2;
  g_rank[3] = 5;
  g_rank[4] = 3;
  pick();
  REQUIRE(picked);
  CHECK(picked->bufid == 3);
  CHECK(g_asked == 4);

  g_rank[2] = 1;  // 1 takes it at once
  pick();
  REQUIRE(picked);
  CHECK(picked->bufid == 2);
  CHECK(g_asked == 2);

  g_rank[1] = -33;  // an error ends the receive
  pick();
  CHECK_FALSE(picked);
  CHECK(status == -33);

  CHECK(snow_recvf(nullptr) == rank_of_buffer);  // back to the default
  CHECK_FALSE(user_matching.pick(rml, -1, -1, picked, status));
}
