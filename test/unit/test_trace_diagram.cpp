// snow trace (snow/trace/): the decoder of PVM trace messages against
// hostile input, the event log, message matching and the SVG renderer.
#include "snow/trace/decoder.h"
#include "snow/trace/event_log.h"
#include "snow/trace/limits.h"
#include "snow/trace/model.h"
#include "snow/trace/svg.h"

#include <catch2/catch.hpp>
#include <pvmtev.h>

#include <sstream>
#include <string>
#include <vector>

namespace tr = snow::cli::trace;

namespace {

// A message as a list of packed ints and strings.
class VectorUnpacker : public tr::Unpacker {
 public:
  struct Token {
    Token(int v) : i(v) {}  // NOLINT: implicit, for brace lists
    Token(std::string v) : is_string(true), s(std::move(v)) {}  // NOLINT
    bool is_string = false;
    int i = 0;
    std::string s;
  };
  explicit VectorUnpacker(std::vector<Token> t) : t_(std::move(t)) {}
  bool get_int(int& out) override {
    if (k_ >= t_.size() || t_[k_].is_string) return false;
    out = t_[k_++].i;
    return true;
  }
  bool get_string(std::string& out, std::size_t max) override {
    if (k_ >= t_.size() || !t_[k_].is_string) return false;
    if (t_[k_].s.size() > max) return false;
    out = t_[k_++].s;
    return true;
  }
  bool skip(int, std::size_t count) override {
    if (count > t_.size() - k_) return false;
    k_ += count;
    return true;
  }

 private:
  std::vector<Token> t_;
  std::size_t k_ = 0;
};
using Tokens = std::vector<VectorUnpacker::Token>;

constexpr int I = TEV_DATA_INT, S = TEV_DATA_STRING, A = TEV_DATA_ARRAY;

// The descriptor of a send entry, as the runtime emits it (trace_events.cpp).
Tokens send_desc(int sec, int usec, int tid, int dst, int tag) {
  return {TEV_MARK_EVENT_DESC, TEV_SEND | TEV_EVENT_ENTRY, std::string("send"),
          TEV_DID_TS, I, sec, TEV_DID_TU, I, usec, TEV_DID_TID, I, tid,
          TEV_DID_MNB, I, 8, TEV_DID_DST, I, dst, TEV_DID_MC, I, tag, TEV_DID_MCX, I, 0,
          TEV_MARK_EVENT_DESC_END};
}
Tokens send_raw(int sec, int usec, int tid, int dst, int tag) {
  return {TEV_MARK_EVENT_RECORD, TEV_SEND | TEV_EVENT_ENTRY, sec, usec, tid, 8, dst, tag, 0, TEV_MARK_EVENT_RECORD_END};
}

tr::DecodeResult decode(tr::Decoder& d, int src, Tokens t) {
  VectorUnpacker u(std::move(t));
  return d.decode(src, u);
}

tr::Event ev(double t, int src, const std::string& name, tr::Phase ph, std::vector<std::pair<int, int>> items,
             const std::string& host = "h", const std::string& arch = "LINUX64") {
  tr::Event e;
  e.sec = static_cast<int>(t);
  e.usec = static_cast<int>((t - e.sec) * 1e6 + 0.5);
  e.src = src;
  e.name = name;
  e.phase = ph;
  e.host = host;
  e.arch = arch;
  for (auto [did, v] : items) {
    tr::Item it;
    it.did = did;
    it.ints = {v};
    e.items.push_back(it);
  }
  return e;
}

tr::Event snow_ev(double t, const std::string& name, int vtid, int real, int mig, const std::string& host,
                  const std::string& arch, const std::string& detail = "") {
  tr::Event e = ev(t, real, name, tr::Phase::User, {}, host, arch);
  for (int v : {vtid, real, mig, 0}) {
    tr::Item it;
    it.ints = {v};
    e.items.push_back(it);
  }
  for (const std::string& s : {host, arch, detail}) {
    tr::Item it;
    it.is_string = true;
    it.text = s;
    e.items.push_back(it);
  }
  return e;
}

}  // namespace

TEST_CASE("trace decoder: a descriptor, then raw records of the same sender", "[trace]") {
  tr::Decoder d;
  auto r1 = decode(d, 0x40001, send_desc(100, 5, 0x40001, 0x80001, 7));
  REQUIRE(r1.error.empty());
  REQUIRE(r1.events.size() == 1);
  CHECK(r1.events[0].name == "send");
  CHECK(r1.events[0].phase == tr::Phase::Entry);
  CHECK(r1.events[0].sec == 100);
  CHECK(r1.events[0].usec == 5);
  CHECK(r1.events[0].int_item(TEV_DID_DST) == 0x80001);
  auto r2 = decode(d, 0x40001, send_raw(101, 6, 0x40001, 0x80002, 9));
  REQUIRE(r2.error.empty());
  REQUIRE(r2.events.size() == 1);
  CHECK(r2.events[0].int_item(TEV_DID_DST) == 0x80002);
  CHECK(r2.events[0].int_item(TEV_DID_MC) == 9);
  // Another sender has not described it.
  auto r3 = decode(d, 0x40002, send_raw(101, 6, 0x40002, 0x80002, 9));
  CHECK(r3.events.empty());
  CHECK_THAT(r3.error, Catch::Contains("never described"));
}

TEST_CASE("trace decoder: buffered records and user-defined records", "[trace]") {
  tr::Decoder d;
  Tokens t{TEV_MARK_EVENT_BUFFER};
  for (auto x : send_desc(1, 0, 5, 6, 1)) t.push_back(x);
  for (auto x : send_raw(2, 0, 5, 6, 1)) t.push_back(x);
  Tokens user{TEV_MARK_USER_EVENT_RECORD, TEV_USER_DEFINED, std::string("snow_commit"), 3, 0,
              I, 5, I, 9, I, 1, I, 0, S, std::string("h3"), S, std::string("LINUXS390"), S, std::string(""),
              TEV_MARK_USER_EVENT_RECORD_END};
  for (auto x : user) t.push_back(x);
  t.push_back(TEV_MARK_EVENT_BUFFER_END);
  auto r = decode(d, 9, t);
  REQUIRE(r.error.empty());
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[2].phase == tr::Phase::User);
  CHECK(r.events[2].name == "snow_commit");
  REQUIRE(r.events[2].items.size() == 7);
  CHECK(r.events[2].items[4].text == "h3");
}

TEST_CASE("trace decoder: hostile messages give an error, never a crash", "[trace]") {
  tr::Decoder d;
  SECTION("empty") { CHECK_FALSE(decode(d, 1, {}).error.empty()); }
  SECTION("unknown marker") { CHECK_THAT(decode(d, 1, {-77}).error, Catch::Contains("unknown record marker")); }
  SECTION("PVM 3.3 record") { CHECK_THAT(decode(d, 1, {12, 0, 1, 2}).error, Catch::Contains("3.3")); }
  SECTION("every truncation of a descriptor") {
    Tokens full = send_desc(1, 2, 3, 4, 5);
    for (std::size_t n = 0; n < full.size(); ++n) {
      tr::Decoder fresh;
      auto r = decode(fresh, 1, Tokens(full.begin(), full.begin() + static_cast<long>(n)));
      CHECK_FALSE(r.error.empty());
      CHECK(r.events.empty());
    }
  }
  SECTION("huge array count") {
    auto r = decode(d, 1, {TEV_MARK_EVENT_DESC, TEV_MCAST | TEV_EVENT_ENTRY, std::string("mcast"), TEV_DID_MDL, I | A,
                           1 << 30, TEV_MARK_EVENT_DESC_END});
    CHECK_THAT(r.error, Catch::Contains("array count"));
  }
  SECTION("negative array count") {
    auto r = decode(d, 1, {TEV_MARK_EVENT_DESC, TEV_MCAST, std::string("mcast"), TEV_DID_MDL, I | A, -1, 0});
    CHECK_THAT(r.error, Catch::Contains("array count"));
  }
  SECTION("over-long string") {
    auto r = decode(d, 1, {TEV_MARK_EVENT_DESC, TEV_SEND, std::string(tr::limits::kMaxString + 1, 'x')});
    CHECK_THAT(r.error, Catch::Contains("longer than"));
  }
  SECTION("unknown data type") {
    auto r = decode(d, 1, {TEV_MARK_EVENT_DESC, TEV_SEND, std::string("send"), TEV_DID_TS, 99, 1});
    CHECK_THAT(r.error, Catch::Contains("unknown data type"));
  }
  SECTION("too many items") {
    Tokens t{TEV_MARK_EVENT_DESC, TEV_SEND, std::string("send")};
    for (std::size_t k = 0; k <= tr::limits::kMaxItems; ++k) {
      t.push_back(TEV_DID_MC);
      t.push_back(I);
      t.push_back(1);
    }
    t.push_back(TEV_MARK_EVENT_DESC_END);
    CHECK_THAT(decode(d, 1, t).error, Catch::Contains("more than"));
  }
  SECTION("buffers nested without end") {
    Tokens t(20, TEV_MARK_EVENT_BUFFER);
    CHECK_THAT(decode(d, 1, t).error, Catch::Contains("nested"));
  }
  SECTION("a buffer end alone") { CHECK_THAT(decode(d, 1, {TEV_MARK_EVENT_BUFFER_END}).error, Catch::Contains("without")); }
  SECTION("raw record longer than its descriptor") {
    REQUIRE(decode(d, 1, send_desc(1, 0, 1, 2, 3)).error.empty());
    Tokens raw = send_raw(1, 0, 1, 2, 3);
    raw.insert(raw.end() - 1, 42);
    CHECK_THAT(decode(d, 1, raw).error, Catch::Contains("does not end"));
  }
  SECTION("unknown event id in a raw record") {
    CHECK_THAT(decode(d, 1, {TEV_MARK_EVENT_RECORD, 12345, TEV_MARK_EVENT_RECORD_END}).error,
               Catch::Contains("never described"));
  }
}

TEST_CASE("trace event log: a line round-trips, malformed lines are named", "[trace]") {
  tr::Event e = snow_ev(12.5, "snow_abort", 0x40003, 0x80004, 2, "host one", "LINUX", "peer \"gone\"%");
  std::string line = tr::format_event(e);
  CHECK(line.find('\n') == std::string::npos);
  std::istringstream in("# comment\n" + line + "\n");
  auto back = tr::read_event_log(in, "x.log");
  REQUIRE(back.size() == 1);
  CHECK(back[0].sec == 12);
  CHECK(back[0].usec == 500000);
  CHECK(back[0].host == "host one");
  REQUIRE(back[0].items.size() == 7);
  CHECK(back[0].items[6].text == "peer \"gone\"%");
  CHECK(back[0].items[0].ints[0] == 0x40003);

  for (std::string bad : {"1.000000 1 h a send", "x.000000 1 h a send entry", "1.000000 1 h a send sideways",
                          "1.000000 1 h a send entry DST=abc", "1.000000 1 h a send entry ZZZ=1",
                          "1.000000 1 h a send entry HN=\"%G1\"", "1.000000 1 h a send entry MDL=[1,2"}) {
    std::istringstream bin("\n" + bad + "\n");
    CHECK_THROWS_WITH(tr::read_event_log(bin, "bad.log"), Catch::StartsWith("bad.log:2:"));
  }
}

TEST_CASE("trace model: the k-th send matches the k-th receive; stubs; mcast per destination", "[trace]") {
  const int a = 0x40001, b = 0x80001, c = 0xc0001;
  std::vector<tr::Event> evs{
      ev(1.0, a, "send", tr::Phase::Entry, {{TEV_DID_TID, a}, {TEV_DID_DST, b}, {TEV_DID_MC, 1}}),
      ev(1.1, a, "send", tr::Phase::Entry, {{TEV_DID_TID, a}, {TEV_DID_DST, b}, {TEV_DID_MC, 1}}),
      ev(1.2, a, "send", tr::Phase::Entry, {{TEV_DID_TID, a}, {TEV_DID_DST, b}, {TEV_DID_MC, 2}}),
      ev(1.5, b, "recv", tr::Phase::Exit, {{TEV_DID_TID, b}, {TEV_DID_MB, 3}, {TEV_DID_MC, 2}, {TEV_DID_SRC, a}}),
      ev(1.6, b, "recv", tr::Phase::Exit, {{TEV_DID_TID, b}, {TEV_DID_MB, 3}, {TEV_DID_MC, 1}, {TEV_DID_SRC, a}}),
      ev(1.7, b, "nrecv", tr::Phase::Exit, {{TEV_DID_TID, b}, {TEV_DID_MB, 0}, {TEV_DID_MC, -1}, {TEV_DID_SRC, -1}}),
  };
  tr::Event mc = ev(2.0, c, "mcast", tr::Phase::Entry, {{TEV_DID_TID, c}, {TEV_DID_MC, 4}});
  tr::Item dl;
  dl.did = TEV_DID_MDL;
  dl.array = true;
  dl.ints = {a, b};
  mc.items.push_back(dl);
  evs.push_back(mc);
  evs.push_back(ev(2.5, a, "trecv", tr::Phase::Exit, {{TEV_DID_TID, a}, {TEV_DID_MB, 5}, {TEV_DID_MC, 4}, {TEV_DID_SRC, c}}));
  // psend/precv: matched like send/recv; a failed precv receives nothing.
  evs.push_back(ev(3.0, c, "psend", tr::Phase::Entry, {{TEV_DID_TID, c}, {TEV_DID_DST, b}, {TEV_DID_MC, 9}}));
  evs.push_back(ev(3.1, b, "precv", tr::Phase::Exit, {{TEV_DID_TID, b}, {TEV_DID_CC, -2}, {TEV_DID_MC, 9}, {TEV_DID_SRC, c}}));
  evs.push_back(ev(3.2, b, "precv", tr::Phase::Exit, {{TEV_DID_TID, b}, {TEV_DID_CC, 0}, {TEV_DID_MC, 9}, {TEV_DID_SRC, c}}));

  tr::Model m = tr::build_model(evs);
  REQUIRE(m.tasks.size() == 3);
  REQUIRE(m.messages.size() == 6);
  REQUIRE(m.messages[5].received);
  CHECK(*m.messages[5].received == Approx(3.2));
  // a->b tag 1: first send at 1.0 received at 1.6, second never; tag 2: 1.2 -> 1.5.
  CHECK(m.messages[0].sent == Approx(1.0));
  REQUIRE(m.messages[0].received);
  CHECK(*m.messages[0].received == Approx(1.6));
  CHECK_FALSE(m.messages[1].received);
  CHECK(*m.messages[2].received == Approx(1.5));
  // mcast: one per destination, the one to a received at 2.5, to b never.
  CHECK(m.unmatched_sends == 2);
  CHECK(m.unmatched_receives == 0);
  CHECK_FALSE(m.snow_events);
}

TEST_CASE("trace model: segments per process, migration phases, scheduler marks", "[trace]") {
  const int v = 0x80001, r2 = 0xc0002, a = 0x40001;
  std::vector<tr::Event> evs{
      ev(1.0, v, "send", tr::Phase::Entry, {{TEV_DID_TID, v}, {TEV_DID_DST, a}, {TEV_DID_MC, 1}}, "h2", "LINUX"),
      ev(1.0, a, "mytid", tr::Phase::Exit, {{TEV_DID_TID, a}}, "h1", "LINUX64"),
      snow_ev(1.1, "snow_sched_request", v, 0x40099, 1, "h1", "LINUX64", "h3"),
      snow_ev(1.2, "snow_migrate_request", v, v, 1, "h2", "LINUX"),
      snow_ev(1.3, "snow_coord_start", v, v, 1, "h2", "LINUX"),
      snow_ev(1.4, "snow_coord_end", v, v, 1, "h2", "LINUX"),
      snow_ev(1.4, "snow_xfer_start", v, v, 1, "h2", "LINUX"),
      snow_ev(1.45, "snow_process_start", v, r2, 1, "h3", "LINUXS390"),
      snow_ev(1.6, "snow_xfer_end", v, r2, 1, "h3", "LINUXS390"),
      snow_ev(1.6, "snow_restore_start", v, r2, 1, "h3", "LINUXS390"),
      snow_ev(1.7, "snow_restore_end", v, r2, 1, "h3", "LINUXS390"),
      snow_ev(1.75, "snow_commit", v, r2, 1, "h3", "LINUXS390"),
      ev(2.0, r2, "send", tr::Phase::Entry, {{TEV_DID_TID, v}, {TEV_DID_DST, a}, {TEV_DID_MC, 1}}, "h3", "LINUXS390"),
      ev(2.1, r2, "exit", tr::Phase::Entry, {{TEV_DID_TID, v}}, "h3", "LINUXS390"),
  };
  tr::Model m = tr::build_model(evs);
  CHECK(m.snow_events);
  REQUIRE(m.tasks.size() == 2);  // the scheduler's real tid is no task
  const tr::TaskLine* t = m.task(v);
  REQUIRE(t);
  REQUIRE(t->segments.size() == 2);
  CHECK(t->segments[0].host == "h2");
  CHECK(t->segments[0].arch == "LINUX");
  CHECK(t->segments[1].host == "h3");
  CHECK(t->segments[1].arch == "LINUXS390");
  CHECK(t->segments[1].t0 == Approx(1.75));  // moved at the commit
  CHECK(t->segments[0].t1 == Approx(1.75));
  CHECK(t->exited);
  CHECK(m.migrations == 1);
  std::map<std::string, std::pair<double, double>> bands;
  for (const auto& b : m.bands) bands[b.phase] = {b.t0, b.t1};
  REQUIRE(bands.size() == 4);
  CHECK(bands["coordinate"].first == Approx(1.3));
  CHECK(bands["transfer"].second == Approx(1.6));
  CHECK(bands["restore"].first == Approx(1.6));
  REQUIRE(m.sched_marks.size() == 1);
  CHECK(m.sched_marks[0].about == v);
  REQUIRE(m.marks.size() == 1);
  CHECK(m.marks[0].what == "commit");

  std::string svg = tr::render_svg(m, {"run <of> \"x\" & y", 1200});
  CHECK(svg.find("<?xml") == 0);
  CHECK(svg.find("run &lt;of&gt; &quot;x&quot; &amp; y") != std::string::npos);
  CHECK(svg.find("t80001") != std::string::npos);
  CHECK(svg.find("h2 (i386)") != std::string::npos);
  CHECK(svg.find("h3 (s390x)") != std::string::npos);
  CHECK(svg.find("data-phase=\"transfer\"") != std::string::npos);
  CHECK(svg.find("scheduler") != std::string::npos);
  CHECK(svg.find("id=\"zoom-0\"") != std::string::npos);  // the migration again, zoomed
  CHECK(svg.find("id=\"zoom-1\"") == std::string::npos);
  // A tiny well-formedness check: every element opened is closed, in order.
  std::vector<std::string> stack;
  for (std::size_t p = svg.find('<'); p != std::string::npos; p = svg.find('<', p + 1)) {
    if (svg.compare(p, 2, "<?") == 0) continue;
    std::size_t end = svg.find('>', p);
    REQUIRE(end != std::string::npos);
    std::string tag = svg.substr(p + 1, end - p - 1);
    if (tag.back() == '/') continue;
    if (tag[0] == '/') {
      REQUIRE_FALSE(stack.empty());
      CHECK(stack.back() == tag.substr(1));
      stack.pop_back();
    } else {
      stack.push_back(tag.substr(0, tag.find(' ')));
    }
  }
  CHECK(stack.empty());
}

TEST_CASE("trace svg: hostile names are escaped", "[trace]") {
  std::vector<tr::Event> evs{ev(1.0, 5, "mytid", tr::Phase::Exit, {{TEV_DID_TID, 5}}, "<script>&", "a\"b'")};
  std::string svg = tr::render_svg(tr::build_model(evs));
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;&amp;") != std::string::npos);
}

TEST_CASE("trace model: SNOW events named user_defined with the name as eighth item", "[trace]") {
  const int v = 0x80001, r2 = 0xc0002;
  auto named = [](tr::Event e) {
    tr::Item n;
    n.is_string = true;
    n.text = e.name;
    e.items.push_back(n);
    e.name = "user_defined";
    return e;
  };
  std::vector<tr::Event> evs{
      ev(1.0, v, "send", tr::Phase::Entry, {{TEV_DID_TID, v}, {TEV_DID_DST, 5}, {TEV_DID_MC, 1}}, "h2", "LINUX"),
      named(snow_ev(1.1, "snow_sched_request", v, 0x40099, 1, "h1", "LINUX64", "h3")),
      named(snow_ev(1.3, "snow_coord_start", v, v, 1, "h2", "LINUX")),
      named(snow_ev(1.4, "snow_coord_end", v, v, 1, "h2", "LINUX")),
      named(snow_ev(1.45, "snow_process_start", v, r2, 1, "h3", "LINUXS390")),
      named(snow_ev(1.75, "snow_commit", v, r2, 1, "h3", "LINUXS390")),
      // someone else's user-defined record: no task of its own
      named(snow_ev(1.8, "not_snow", 77, 77, 0, "h", "a")),
  };
  tr::Model m = tr::build_model(evs);
  CHECK(m.snow_events);
  REQUIRE(m.tasks.size() == 1);
  REQUIRE(m.tasks[0].segments.size() == 2);
  CHECK(m.tasks[0].segments[1].arch == "LINUXS390");
  REQUIRE(m.sched_marks.size() == 1);
  CHECK(m.sched_marks[0].what == "sched_request");
  REQUIRE(m.bands.size() == 1);
  CHECK(m.bands[0].phase == "coordinate");
  CHECK(m.migrations == 1);
}

TEST_CASE("trace svg: tick labels of a short run are distinct", "[trace]") {
  std::vector<tr::Event> evs{ev(1.0, 5, "mytid", tr::Phase::Exit, {{TEV_DID_TID, 5}}),
                             ev(1.0042, 5, "exit", tr::Phase::Entry, {{TEV_DID_TID, 5}})};
  std::string svg = tr::render_svg(tr::build_model(evs));
  CHECK(svg.find(">0.0005 s<") != std::string::npos);
  CHECK(svg.find(">0.0010 s<") != std::string::npos);
  CHECK(svg.find(">-0") == std::string::npos);
}
