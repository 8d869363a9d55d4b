#include "snow/args.h"

#include "libsnowpvm/util/error.h"

namespace snow::cli {

std::optional<std::string> Args::option(const std::string& name) {
  std::optional<std::string> value;
  for (size_t i = 0; i < words_.size(); ++i) {
    const auto& w = words_[i];
    if (w == "--") break;
    if (w == name) {
      if (i + 1 >= words_.size()) throw Error("option " + name + " needs a value");
      value = words_[i + 1];
      words_.erase(words_.begin() + static_cast<long>(i), words_.begin() + static_cast<long>(i) + 2);
      --i;
    } else if (w.rfind(name + "=", 0) == 0) {
      value = w.substr(name.size() + 1);
      words_.erase(words_.begin() + static_cast<long>(i));
      --i;
    }
  }
  return value;
}

std::vector<std::string> Args::options(const std::string& name) {
  std::vector<std::string> v;
  for (size_t i = 0; i < words_.size(); ++i) {
    const auto& w = words_[i];
    if (w == "--") break;
    if (w == name) {
      if (i + 1 >= words_.size()) throw Error("option " + name + " needs a value");
      v.push_back(words_[i + 1]);
      words_.erase(words_.begin() + static_cast<long>(i), words_.begin() + static_cast<long>(i) + 2);
      --i;
    } else if (w.rfind(name + "=", 0) == 0) {
      v.push_back(w.substr(name.size() + 1));
      words_.erase(words_.begin() + static_cast<long>(i));
      --i;
    }
  }
  return v;
}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (size_t i = 0; i < words_.size(); ++i) {
    if (words_[i] == "--") break;
    if (words_[i] == name) {
      words_.erase(words_.begin() + static_cast<long>(i));
      --i;
      found = true;
    }
  }
  return found;
}

std::vector<std::string> Args::positionals() {
  std::vector<std::string> v;
  bool literal = false;
  for (const auto& w : words_) {
    if (!literal && w == "--") {
      literal = true;
      continue;
    }
    if (!literal && w.size() > 1 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9'))
      throw Error("unknown option " + w);
    v.push_back(w);
  }
  words_.clear();
  return v;
}

std::vector<std::string> Args::command_line() {
  std::vector<std::string> v;
  size_t i = 0;
  for (; i < words_.size(); ++i) {
    const auto& w = words_[i];
    if (w == "--") {
      ++i;
      break;
    }
    if (w.size() > 1 && w[0] == '-') throw Error("unknown option " + w);
    break;
  }
  v.assign(words_.begin() + static_cast<long>(i), words_.end());
  words_.clear();
  return v;
}

std::vector<std::string> Args::take_words() {
  std::vector<std::string> v = std::move(words_);
  words_.clear();
  return v;
}

}  // namespace snow::cli
