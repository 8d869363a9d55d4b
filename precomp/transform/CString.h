// A C string literal for generated code: "text" with quotes and
// backslashes escaped (names of types, fields and variables).
#pragma once

#include <string>

namespace snow::precomp {

inline std::string c_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace snow::precomp
