#include "libsnowpvm/comm/connections.h"
#include "libsnowpvm/comm/pl_table.h"
#include "libsnowpvm/comm/rml.h"

#include <catch2/catch.hpp>

using namespace snow::comm;

TEST_CASE("PL table: unknown tasks are where they started, old tids keep their label", "[comm]") {
  PlTable pl;
  CHECK(pl.find(0x40003).real == 0x40003);
  pl.set(0x40003, {0xc0002, false, 0});
  CHECK(pl.find(0x40003).real == 0xc0002);
  CHECK(pl.vtid_of(0xc0002) == 0x40003);
  pl.set(0x40003, {0x100004, true, 9});
  CHECK(pl.vtid_of(0xc0002) == 0x40003);  // a message still in flight from the old incarnation
  CHECK(pl.any_provisional());
  CHECK(pl.entries().empty());  // provisional locations are not passed on
  pl.merge_older({{0x40003, 0x1}, {0x80002, 0x80005}});
  CHECK(pl.find(0x40003).real == 0x100004);  // ours is newer
  CHECK(pl.find(0x80002).real == 0x80005);
}

TEST_CASE("RML: first match wins, the older list goes in front", "[comm]") {
  Rml rml;
  rml.push_back({11, 0x40003, 2, 0});
  rml.push_back({12, 0x80002, 2, 0});
  rml.push_back({13, 0x40003, 5, 0});
  CHECK(rml.find(-1, -1, 0)->bufid == 11);
  CHECK(rml.find(0x40003, 5, 0)->bufid == 13);
  CHECK_FALSE(rml.find(0x40003, 5, 1));  // another context
  CHECK(rml.take(-1, 2, 0)->bufid == 11);
  rml.prepend({{1, 0x80002, 2, 0}, {2, 0x80002, 2, 0}});
  CHECK(rml.take(0x80002, -1, -1)->bufid == 1);
  CHECK(rml.take(0x80002, -1, -1)->bufid == 2);
  CHECK(rml.take(0x80002, -1, -1)->bufid == 12);
  CHECK(rml.size() == 1);
}

TEST_CASE("Connections: requests, departed peers and stale requests", "[comm]") {
  Connections c;
  int r1 = c.new_request(0x80002, 0x80002);
  int r2 = c.new_request(0xc0003, 0xc0003);
  CHECK(r2 > r1);
  c.add(0x80002, 0x80002);
  CHECK(c.connected(0x80002));
  // 0x80002 announces its migration: its requests numbered below 5 are stale
  c.mark_departed(0x80002, 5);
  CHECK(c.is_stale_request(0x80002, 4));
  CHECK_FALSE(c.is_stale_request(0x80002, 5));  // after an abort it asks again
  CHECK(c.close_real(0x80002) == 0x80002);
  CHECK_FALSE(c.connected(0x80002));
  c.invalidate_requests_to(0xc0003);
  CHECK(c.request(r2)->invalidated);
  CHECK_FALSE(c.request(r1)->invalidated);
}

#include "libsnowpvm/comm/channel_order.h"

TEST_CASE("channel order: early messages wait for their predecessors, per sender", "[comm]") {
  ChannelOrder o;
  CHECK(o.next_out(0x80002) == 1);
  CHECK(o.next_out(0x80002) == 2);
  CHECK(o.next_out(0xc0003) == 1);
  auto msg = [](int src, int wid) {
    snow::pvmio::Incoming in;
    in.bufid = src * 100 + wid;
    in.src = src;
    in.wid = wid;
    return in;
  };
  CHECK(o.arrive(msg(0x80002, 2)).empty());  // overtook number 1 (crossed TC_CONREQ)
  CHECK(o.arrive(msg(0x80002, 3)).empty());
  CHECK(o.held() == 2);
  auto other = o.arrive(msg(0xc0003, 1));  // other senders are not held up
  REQUIRE(other.size() == 1);
  auto ready = o.arrive(msg(0x80002, 1));
  REQUIRE(ready.size() == 3);
  CHECK(ready[0].wid == 1);
  CHECK(ready[1].wid == 2);
  CHECK(ready[2].wid == 3);
  CHECK(o.held() == 0);
}
