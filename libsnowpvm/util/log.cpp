#include "libsnowpvm/util/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>
#include <memory>

namespace snow::log {
namespace {

spdlog::level::level_enum level_from_env(spdlog::level::level_enum fallback) {
  const char* v = std::getenv("SNOW_LOG_LEVEL");
  if (v == nullptr || *v == '\0') return fallback;
  auto lvl = spdlog::level::from_str(v);
  // from_str() maps unknown names to "off"; only accept an explicit "off".
  if (lvl == spdlog::level::off && std::string_view(v) != "off") return fallback;
  return lvl;
}

std::shared_ptr<spdlog::sinks::sink> g_sink;

}  // namespace

const char* pattern() { return "%Y-%m-%d %H:%M:%S.%e %n[%P] %l: %v"; }

void init(std::string_view component, const std::string& file,
          spdlog::level::level_enum default_level) {
  if (!file.empty()) {
    g_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file, /*truncate=*/false);
  } else {
    g_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>(std::string(component), g_sink);
  logger->set_pattern(pattern());
  logger->set_level(level_from_env(default_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void rename(std::string_view component) {
  auto old = spdlog::default_logger();
  auto sinks = old->sinks();
  auto logger = std::make_shared<spdlog::logger>(std::string(component), sinks.begin(), sinks.end());
  logger->set_pattern(pattern());
  logger->set_level(old->level());
  logger->flush_on(old->flush_level());
  spdlog::set_default_logger(logger);
}

}  // namespace snow::log
