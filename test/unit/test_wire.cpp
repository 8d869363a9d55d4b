#include "libsnowpvm/migrate/wire.h"

#include <catch2/catch.hpp>

using namespace snow::wire;

TEST_CASE("control messages round-trip through their body encoding", "[wire]") {
  RmlTransfer t;
  t.mig = 7;
  t.vtid = 0x40003;
  t.parent = 0;
  t.app_ctx = -5;  // negative values survive (no pvm_pklong sign-extension trap)
  t.nmsgs = 3;
  t.siblings = {0x40003, 0x80002};
  t.pl = {{0x40003, 0xc0001}, {0x80002, 0x80002}};
  auto bytes = encode_body(t);
  auto back = std::get<RmlTransfer>(decode_body(Kind::RmlTransfer, bytes.data(), bytes.size()));
  CHECK(back.mig == 7);
  CHECK(back.app_ctx == -5);
  CHECK(back.siblings == t.siblings);
  REQUIRE(back.pl.size() == 2);
  CHECK(back.pl[0].real == 0xc0001);

  MigrateResult r;
  r.req = 1, r.mig = 2, r.vtid = 0x40003, r.old_real = 0x40003, r.new_real = 0xc0002, r.ok = true;
  r.text = "migrated";
  r.t.coord_us = 1ull << 40;  // 64-bit fields keep their high half
  auto rb = encode_body(r);
  auto r2 = std::get<MigrateResult>(decode_body(Kind::MigrateResult, rb.data(), rb.size()));
  CHECK(r2.t.coord_us == (1ull << 40));
  CHECK(r2.text == "migrated");
}

TEST_CASE("truncated, padded or invalid bodies are malformed, not accepted", "[wire]") {
  ConnReq q;
  q.req_id = 1, q.from_vtid = 0x40003, q.from_real = 0x40003, q.to_vtid = 0x80002, q.to_real = 0x80002;
  auto b = encode_body(q);
  CHECK_NOTHROW(decode_body(Kind::ConnReq, b.data(), b.size()));
  CHECK_THROWS_WITH(decode_body(Kind::ConnReq, b.data(), b.size() - 1), Catch::Contains("truncated"));
  auto padded = b;
  padded.push_back(0);
  CHECK_THROWS_WITH(decode_body(Kind::ConnReq, padded.data(), padded.size()), Catch::Contains("trailing"));
  q.to_real = 0;  // not a task id
  auto bad = encode_body(q);
  CHECK_THROWS_WITH(decode_body(Kind::ConnReq, bad.data(), bad.size()), Catch::Contains("invalid conn_req"));
  CHECK_THROWS_AS(decode_body(static_cast<Kind>(999), b.data(), b.size()), Malformed);
}

TEST_CASE("an absurd length inside a body is refused before allocating", "[wire]") {
  Writer w;
  w.i32(1);           // req
  w.u32(0xffffffff);  // rows: 4 billion
  auto b = w.bytes();
  CHECK_THROWS_WITH(decode_body(Kind::PsReply, b.data(), b.size()), Catch::Contains("too long"));
}

TEST_CASE("every kind has a name", "[wire]") {
  for (int k = 1; k < static_cast<int>(Kind::Last); ++k)
    CHECK(std::string(kind_name(static_cast<Kind>(k))) != "unknown");
}
