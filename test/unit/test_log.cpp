#include "libsnowpvm/util/log.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

TEST_CASE("every component logs in the one shared format", "[log]") {
  char tmpl[] = "/tmp/snow-log-XXXXXX";
  int fd = mkstemp(tmpl);
  close(fd);
  unsetenv("SNOW_LOG_LEVEL");
  snow::log::init("ext@vh2", tmpl);
  spdlog::info("conn_req: from={} to={}", "t40003", "tc0001");
  spdlog::debug("not shown at the default level");
  spdlog::default_logger()->flush();
  std::ifstream f(tmpl);
  std::stringstream ss;
  ss << f.rdbuf();
  std::filesystem::remove(tmpl);
  auto text = ss.str();
  std::regex line(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ext@vh2\[\d+\] info: conn_req: from=t40003 to=tc0001\n$)");
  CHECK(std::regex_match(text, line));
}

TEST_CASE("SNOW_LOG_LEVEL selects the level", "[log]") {
  char tmpl[] = "/tmp/snow-log-XXXXXX";
  int fd = mkstemp(tmpl);
  close(fd);
  setenv("SNOW_LOG_LEVEL", "debug", 1);
  snow::log::init("sched", tmpl);
  spdlog::debug("lookup: vtid=t40003");
  spdlog::default_logger()->flush();
  unsetenv("SNOW_LOG_LEVEL");
  std::ifstream f(tmpl);
  std::stringstream ss;
  ss << f.rdbuf();
  std::filesystem::remove(tmpl);
  CHECK(ss.str().find("sched[") != std::string::npos);
  CHECK(ss.str().find("debug: lookup: vtid=t40003") != std::string::npos);
}
