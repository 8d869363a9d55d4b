#include "libsnowpvm/comm/spawner_env.h"

#include "libsnowpvm/comm/fault.h"
#include "libsnowpvm/migrate/wire.h"
#include "libsnowpvm/util/tid.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace snow::comm::spawner_env {
namespace {

std::optional<std::string> get(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::optional<std::string>(v) : std::nullopt;
}

void put_back(const char* name, const std::optional<std::string>& v) {
  if (v) setenv(name, v->c_str(), 1);
  else unsetenv(name);
}

}  // namespace

std::string without_item(const std::string& list, const std::string& name) {
  std::string kept, item;
  std::stringstream in(list);
  while (std::getline(in, item, ':'))
    if (item != name && !item.empty()) kept += (kept.empty() ? "" : ":") + item;
  return kept;
}

std::optional<Spawner> parse(const char* text) {
  if (!text) return std::nullopt;
  unsigned r = 0, v = 0;
  char tail = 0;
  if (std::sscanf(text, "%x:%x%c", &r, &v, &tail) != 2) return std::nullopt;
  Spawner s{static_cast<int>(r), static_cast<int>(v)};
  if (!wire::is_task_tid(s.real) || !wire::is_task_tid(s.vtid)) return std::nullopt;
  return s;
}

Export::Export(int real, int vtid) : old_value_(get(kVariable)), old_export_(get("PVM_EXPORT")) {
  char text[32];
  std::snprintf(text, sizeof text, "%x:%x", static_cast<unsigned>(real), static_cast<unsigned>(vtid));
  setenv(kVariable, text, 1);
  std::string list = without_item(old_export_.value_or(""), kVariable);
  list += (list.empty() ? "" : ":") + std::string(kVariable);
  setenv("PVM_EXPORT", list.c_str(), 1);
}

Export::~Export() {
  put_back(kVariable, old_value_);
  put_back("PVM_EXPORT", old_export_);
}

int take_parent_vtid(int real_parent) {
  auto text = get(kVariable);
  if (!text) return real_parent;
  unsetenv(kVariable);
  if (auto ex = get("PVM_EXPORT")) setenv("PVM_EXPORT", without_item(*ex, kVariable).c_str(), 1);
  auto s = parse(text->c_str());
  if (!s) {
    spdlog::warn("start: malformed {}='{}' ignored; parent is {}", kVariable, *text, tid_str(real_parent));
    return real_parent;
  }
  if (s->real != real_parent) return real_parent;  // not from our spawner: stale
  if (fault_active(Fault::RealParent)) {
    spdlog::warn("fault: real_parent: parent is {}, not {}", tid_str(real_parent), tid_str(s->vtid));
    return real_parent;
  }
  return s->vtid;
}

}  // namespace snow::comm::spawner_env
