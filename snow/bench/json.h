// Just enough JSON for benchmark results: objects of numbers, strings and
// booleans, arrays of objects.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace snow::cli::bench {

class JsonObject {
 public:
  JsonObject& num(const std::string& k, double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.9g", v);
    return raw(k, b);
  }
  JsonObject& str(const std::string& k, const std::string& v) { return raw(k, quote(v)); }
  JsonObject& boolean(const std::string& k, bool v) { return raw(k, v ? "true" : "false"); }
  JsonObject& obj(const std::string& k, const JsonObject& o) { return raw(k, o.text()); }
  JsonObject& arr(const std::string& k, const std::vector<JsonObject>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ",\n    " : "\n    ") + v[i].text();
    return raw(k, s + "\n  ]");
  }
  std::string text() const { return "{" + body_ + "}"; }

  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", c);
        out += b;
        continue;
      }
      out += c;
    }
    return out + "\"";
  }

 private:
  JsonObject& raw(const std::string& k, const std::string& v) {
    body_ += (body_.empty() ? "" : ", ") + quote(k) + ": " + v;
    return *this;
  }
  std::string body_;
};

}  // namespace snow::cli::bench
