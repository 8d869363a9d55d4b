#include "libsnowpvm/comm/spawner_env.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace snow::comm;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "<unset>";
}

}  // namespace

TEST_CASE("spawner env: PVM_EXPORT items and the <real>:<vtid> syntax", "[comm][spawner]") {
  CHECK(spawner_env::without_item("A:SNOW_SPAWNER:B", "SNOW_SPAWNER") == "A:B");
  CHECK(spawner_env::without_item("SNOW_SPAWNER", "SNOW_SPAWNER").empty());
  CHECK(spawner_env::without_item("A::B", "X") == "A:B");
  auto s = spawner_env::parse("c0004:40003");
  REQUIRE(s);
  CHECK(s->real == 0xc0004);
  CHECK(s->vtid == 0x40003);
  CHECK_FALSE(spawner_env::parse("c0004"));
  CHECK_FALSE(spawner_env::parse("c0004:40003junk"));
  CHECK_FALSE(spawner_env::parse("0:40003"));        // not a task tid
  CHECK_FALSE(spawner_env::parse("c0004:80000000"));  // a pvmd's
  CHECK_FALSE(spawner_env::parse(nullptr));
}

TEST_CASE("spawner env: exported for one spawn, then put back", "[comm][spawner]") {
  setenv("PVM_EXPORT", "DISPLAY:SNOW_EXEC_TRIGGER", 1);
  unsetenv("SNOW_SPAWNER");
  {
    spawner_env::Export e(0xc0004, 0x40003);
    CHECK(env("SNOW_SPAWNER") == "c0004:40003");
    CHECK(env("PVM_EXPORT") == "DISPLAY:SNOW_EXEC_TRIGGER:SNOW_SPAWNER");
  }
  CHECK(env("SNOW_SPAWNER") == "<unset>");
  CHECK(env("PVM_EXPORT") == "DISPLAY:SNOW_EXEC_TRIGGER");
  unsetenv("PVM_EXPORT");
  {
    spawner_env::Export e(0x80002, 0x80002);
    CHECK(env("PVM_EXPORT") == "SNOW_SPAWNER");
  }
  CHECK(env("PVM_EXPORT") == "<unset>");
}

TEST_CASE("spawner env: a child believes it only from its own spawner", "[comm][spawner]") {
  SECTION("the spawner moved: its virtual tid") {
    setenv("SNOW_SPAWNER", "c0004:40003", 1);
    setenv("PVM_EXPORT", "SNOW_SPAWNER:DISPLAY", 1);
    CHECK(spawner_env::take_parent_vtid(0xc0004) == 0x40003);
    CHECK(env("SNOW_SPAWNER") == "<unset>");  // not passed on to its own children
    CHECK(env("PVM_EXPORT") == "DISPLAY");
  }
  SECTION("inherited through a plain task: stale, ignored") {
    setenv("SNOW_SPAWNER", "c0004:40003", 1);
    CHECK(spawner_env::take_parent_vtid(0x80007) == 0x80007);
  }
  SECTION("malformed: ignored") {
    setenv("SNOW_SPAWNER", "garbage", 1);
    CHECK(spawner_env::take_parent_vtid(0x80007) == 0x80007);
  }
  SECTION("none: the real parent") {
    unsetenv("SNOW_SPAWNER");
    CHECK(spawner_env::take_parent_vtid(0x80007) == 0x80007);
  }
  unsetenv("PVM_EXPORT");
  unsetenv("SNOW_SPAWNER");
}
