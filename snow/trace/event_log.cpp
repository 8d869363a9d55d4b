#include "snow/trace/event_log.h"

#include "libsnowpvm/util/error.h"
#include "snow/trace/decoder.h"
#include "snow/trace/limits.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <sstream>

namespace snow::cli::trace {
namespace {

const char* phase_word(Phase p) {
  switch (p) {
    case Phase::Entry: return "entry";
    case Phase::Exit: return "exit";
    case Phase::User: return "user";
    case Phase::None: break;
  }
  return "none";
}

std::string field(const std::string& s) { return s.empty() ? "?" : percent_escape(s); }

int parse_int(const std::string& s) {
  if (s.empty() || s.size() > 12) throw Error("'" + s + "' is not an integer");
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || v < INT_MIN || v > INT_MAX) throw Error("'" + s + "' is not an integer");
  return static_cast<int>(v);
}

std::vector<std::string> split_spaces(const std::string& line) {
  std::vector<std::string> w;
  std::istringstream is(line);
  std::string s;
  while (is >> s) w.push_back(s);
  return w;
}

Event parse_line(const std::string& line) {
  auto w = split_spaces(line);
  if (w.size() < 6) throw Error("fewer than 6 fields");
  Event e;
  auto dot = w[0].find('.');
  if (dot == std::string::npos || w[0].size() - dot != 7) throw Error("time '" + w[0] + "' is not SECONDS.MICROSECONDS");
  e.sec = parse_int(w[0].substr(0, dot));
  e.usec = parse_int(w[0].substr(dot + 1));
  e.src = parse_int(w[1]);
  e.host = w[2] == "?" ? "" : percent_unescape(w[2]);
  e.arch = w[3] == "?" ? "" : percent_unescape(w[3]);
  e.name = percent_unescape(w[4]);
  const std::string& ph = w[5];
  if (ph == "entry") e.phase = Phase::Entry;
  else if (ph == "exit") e.phase = Phase::Exit;
  else if (ph == "user") e.phase = Phase::User;
  else if (ph == "none") e.phase = Phase::None;
  else throw Error("phase '" + ph + "' is none of entry, exit, none, user");
  if (w.size() - 6 > limits::kMaxItems) throw Error("more than " + std::to_string(limits::kMaxItems) + " items");
  for (std::size_t k = 6; k < w.size(); ++k) {
    auto eq = w[k].find('=');
    if (eq == std::string::npos || eq == 0) throw Error("item '" + w[k] + "' is not KEY=VALUE");
    std::string key = w[k].substr(0, eq), val = w[k].substr(eq + 1);
    Item it;
    if (key[0] == 'U' && e.phase == Phase::User) {
      it.did = -1;
    } else {
      auto did = did_from_name(key);
      if (!did) throw Error("unknown item name '" + key + "'");
      it.did = *did;
    }
    if (val == "?") {
      it.skipped = true;
    } else if (!val.empty() && val[0] == '"') {
      if (val.size() < 2 || val.back() != '"') throw Error("unterminated string in '" + w[k] + "'");
      it.is_string = true;
      it.text = percent_unescape(val.substr(1, val.size() - 2));
    } else if (!val.empty() && val[0] == '[') {
      if (val.back() != ']') throw Error("unterminated array in '" + w[k] + "'");
      it.array = true;
      std::string body = val.substr(1, val.size() - 2);
      std::size_t pos = 0;
      while (!body.empty() && pos <= body.size()) {
        auto comma = body.find(',', pos);
        if (comma == std::string::npos) comma = body.size();
        it.ints.push_back(parse_int(body.substr(pos, comma - pos)));
        if (it.ints.size() > limits::kMaxArray) throw Error("array longer than " + std::to_string(limits::kMaxArray));
        pos = comma + 1;
      }
    } else {
      it.ints.push_back(parse_int(val));
    }
    e.items.push_back(std::move(it));
  }
  // The kind is not written: the model goes by name.
  return e;
}

}  // namespace

std::string percent_escape(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (c <= ' ' || c >= 0x7f || c == '%' || c == '"' || c == '?') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      o += buf;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o;
}

std::string percent_unescape(const std::string& s) {
  std::string o;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s[k] != '%') {
      o += s[k];
      continue;
    }
    auto hex = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      throw Error("bad %-escape in '" + s + "'");
    };
    if (k + 2 >= s.size()) throw Error("bad %-escape in '" + s + "'");
    o += static_cast<char>(hex(s[k + 1]) * 16 + hex(s[k + 2]));
    k += 2;
  }
  return o;
}

std::string format_event(const Event& e) {
  char t[32];
  std::snprintf(t, sizeof t, "%d.%06d", e.sec, e.usec < 0 || e.usec > 999999 ? 0 : e.usec);
  std::ostringstream o;
  o << t << ' ' << e.src << ' ' << field(e.host) << ' ' << field(e.arch) << ' ' << field(e.name) << ' '
    << phase_word(e.phase);
  int pos = 0;
  for (const Item& it : e.items) {
    o << ' ' << (it.did < 0 ? "U" + std::to_string(pos) : did_name(it.did)) << '=';
    ++pos;
    if (it.skipped) o << '?';
    else if (it.is_string) o << '"' << percent_escape(it.text) << '"';
    else if (it.array) {
      o << '[';
      for (std::size_t k = 0; k < it.ints.size(); ++k) o << (k ? "," : "") << it.ints[k];
      o << ']';
    } else if (!it.ints.empty()) o << it.ints[0];
    else o << '?';
  }
  return o.str();
}

std::vector<Event> read_event_log(std::istream& in, const std::string& what) {
  std::vector<Event> events;
  std::string line;
  std::size_t n = 0;
  char c;
  while (true) {
    line.clear();
    bool got = false;
    while (in.get(c)) {
      got = true;
      if (c == '\n') break;
      if (line.size() >= limits::kMaxLogLine)
        throw Error(what + ":" + std::to_string(n + 1) + ": line longer than " + std::to_string(limits::kMaxLogLine) +
                    " bytes");
      line += c;
    }
    if (!got) break;
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (events.size() >= limits::kMaxLogEvents)
      throw Error(what + ": more than " + std::to_string(limits::kMaxLogEvents) + " events");
    try {
      events.push_back(parse_line(line));
    } catch (const Error& e) {
      throw Error(what + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return events;
}

}  // namespace snow::cli::trace
