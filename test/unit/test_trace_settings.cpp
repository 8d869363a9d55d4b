#include "libsnowpvm/comm/trace_events.h"

#include <catch2/catch.hpp>
#include <pvm3.h>

#include <string>

using snow::comm::trace::Settings;

TEST_CASE("trace settings: SNOW_TRACE round trip", "[comm][trace]") {
  Settings s;
  s.tid = 0x40008;
  s.ctx = 0;
  s.tag = 666;
  s.buffer = 0;
  s.options = PvmTraceFull;
  s.mask = "FH@@HMDC@@HNAAB@@@@@@C@@@@@A@@@@@@@";
  Settings back;
  REQUIRE(Settings::decode(s.encode(), back));
  CHECK(back.tid == s.tid);
  CHECK(back.ctx == s.ctx);
  CHECK(back.tag == s.tag);
  CHECK(back.options == PvmTraceFull);
  CHECK(back.mask == s.mask);
  CHECK(back.active());
}

TEST_CASE("trace settings: hostile SNOW_TRACE values are refused", "[comm][trace]") {
  Settings out;
  out.tid = 7;
  CHECK_FALSE(Settings::decode("", out));
  CHECK_FALSE(Settings::decode("1,2,3", out));
  CHECK_FALSE(Settings::decode("x,0,666,0,1,@@@", out));
  CHECK_FALSE(Settings::decode("1,,666,0,1,@@@", out));
  CHECK_FALSE(Settings::decode("99999999999999,0,666,0,1,@@@", out));
  CHECK_FALSE(Settings::decode("9999999999,0,666,0,1,@@@", out));  // beyond int
  CHECK_FALSE(Settings::decode("1,0,666,0,1,@@@zz", out));  // not libpvm's mask characters
  CHECK_FALSE(Settings::decode("1,0,666,0,1," + std::string(snow::comm::trace::kMaxMaskLength + 1, '@'), out));
  CHECK(out.tid == 7);  // untouched on failure
}

TEST_CASE("trace settings: no collector or an empty mask is not active", "[comm][trace]") {
  Settings s;
  s.options = PvmTraceFull;
  s.mask = "FH@@";
  CHECK_FALSE(s.active());  // no tid
  s.tid = 0x40008;
  CHECK(s.active());
  s.mask = std::string(35, '@');
  CHECK_FALSE(s.active());
  s.mask = "FH@@";
  s.options = PvmTraceCount;
  CHECK_FALSE(s.active());
}

TEST_CASE("trace settings: PvmTraceTime/Count are counted, not sent record by record", "[comm][trace]") {
  Settings s;
  s.tid = 0x40008;
  s.mask = "FH@@";
  for (int opt : {PvmTraceTime, PvmTraceCount}) {
    s.options = opt;
    CHECK(s.summarizing());
    CHECK_FALSE(s.active());
  }
  s.options = PvmTraceFull;
  CHECK_FALSE(s.summarizing());
  s.options = 7;  // none of libpvm's
  CHECK_FALSE(s.summarizing());
  CHECK_FALSE(s.active());
  s.options = PvmTraceCount;
  s.mask = std::string(35, '@');
  CHECK_FALSE(s.summarizing());
  s.mask = "FH@@";
  s.tid = 0;
  CHECK_FALSE(s.summarizing());
}
