#include "snow/args.h"

#include "libsnowpvm/util/error.h"

#include <catch2/catch.hpp>

using snow::cli::Args;

TEST_CASE("options are taken by name in both spellings", "[args]") {
  Args a({"--vm", "x", "--hosts=i386,s390x", "pos"});
  CHECK(a.option("--vm") == "x");
  CHECK(a.option("--hosts") == "i386,s390x");
  CHECK(a.option("--missing") == std::nullopt);
  CHECK(a.positionals() == std::vector<std::string>{"pos"});
}

TEST_CASE("an option without its value is an error", "[args]") {
  Args a({"--vm"});
  CHECK_THROWS_AS(a.option("--vm"), snow::Error);
}

TEST_CASE("unknown options are rejected, negative numbers are not", "[args]") {
  Args a({"--bogus"});
  CHECK_THROWS_WITH(a.positionals(), Catch::Contains("unknown option --bogus"));
  Args b({"-5"});
  CHECK(b.positionals() == std::vector<std::string>{"-5"});
}

TEST_CASE("repeatable options keep their order", "[args]") {
  Args a({"--ep", "a", "--ep", "b", "--ep=c"});
  CHECK(a.options("--ep") == std::vector<std::string>{"a", "b", "c"});
  CHECK(a.empty());
}

TEST_CASE("command_line stops at the program name", "[args]") {
  Args a({"--host", "vh2", "prog", "--its-own-flag", "x"});
  CHECK(a.option("--host") == "vh2");
  CHECK(a.command_line() == std::vector<std::string>{"prog", "--its-own-flag", "x"});
  Args b({"--", "--weird-name"});
  CHECK(b.command_line() == std::vector<std::string>{"--weird-name"});
}

TEST_CASE("flags are removed wherever they are", "[args]") {
  Args a({"x", "--single", "y"});
  CHECK(a.flag("--single"));
  CHECK_FALSE(a.flag("--single"));
  CHECK(a.positionals() == std::vector<std::string>{"x", "y"});
}
