#include "test/checker/trace_checker.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using snow::check::TraceChecker;

namespace {

// Two workers a=40001, b=80002 exchanging n messages each way, in order.
std::vector<std::string> clean(int n) {
  std::vector<std::string> v{"100 B 40001 2", "100 B 80002 2"};
  for (int i = 0; i < n; ++i) {
    v.push_back("200 S 40001 80002 " + std::to_string(i));
    v.push_back("210 R 80002 40001 " + std::to_string(i));
    v.push_back("220 S 80002 40001 " + std::to_string(i));
    v.push_back("230 R 40001 80002 " + std::to_string(i));
  }
  v.push_back("900 E 40001");
  v.push_back("900 E 80002");
  return v;
}

TraceChecker load(const std::vector<std::string>& lines) {
  TraceChecker c;
  int n = 0;
  for (const auto& l : lines) c.add_line("t", ++n, l);
  return c;
}

bool mentions(const snow::check::Report& r, const std::string& what) {
  for (const auto& p : r.problems)
    if (p.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a clean exchange passes", "[checker]") {
  auto r = load(clean(5)).check(1000);
  CHECK(r.ok());
  CHECK(r.messages == 10);
  CHECK(r.pairs == 2);
  CHECK(r.workers == 2);
}

TEST_CASE("a reordered pair of deliveries fails as out of order", "[checker]") {
  auto v = clean(5);
  // swap the receptions of messages 2 and 3 from 40001 at 80002
  std::swap(v[2 + 4 * 2 + 1], v[2 + 4 * 3 + 1]);
  auto r = load(v).check();
  CHECK_FALSE(r.ok());
  CHECK(mentions(r, "t40001->t80002: out of order: message 3 arrived when 2 was due"));
}

TEST_CASE("a lost message fails", "[checker]") {
  auto v = clean(3);
  v.erase(v.begin() + 2 + 4 * 1 + 1);  // 80002 never received message 1
  auto r = load(v).check();
  CHECK(mentions(r, "t40001->t80002: message 1 was lost"));
}

TEST_CASE("a duplicated message fails", "[checker]") {
  auto v = clean(3);
  v.push_back("240 R 80002 40001 2");
  auto r = load(v).check();
  CHECK(mentions(r, "message 2 was received twice"));
}

TEST_CASE("a message never sent fails", "[checker]") {
  auto v = clean(2);
  v.push_back("240 R 80002 40001 7");
  auto r = load(v).check();
  CHECK(mentions(r, "message 7 was received but never sent"));
}

TEST_CASE("damage, an unfinished worker and a slow run fail", "[checker]") {
  auto v = clean(2);
  v.push_back("250 X 40001 80002 1");
  v.erase(std::find(v.begin(), v.end(), "900 E 80002"));
  v.push_back("5000 E 80002");
  auto r = load(v).check(1000);
  CHECK(mentions(r, "arrived damaged"));
  CHECK(mentions(r, "more than the bound"));
  v.pop_back();
  CHECK(mentions(load(v).check(), "worker t80002 began but never finished"));
}

TEST_CASE("garbage lines are reported, not ignored", "[checker]") {
  auto v = clean(1);
  v.push_back("hello");
  CHECK(mentions(load(v).check(), "unreadable trace line 'hello'"));
}
