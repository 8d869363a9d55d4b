// One log format for every SNOW-PVM process (daemons, scheduler, tools and
// the runtime inside application tasks):
//
//   2026-11-22 05:20:12.345 ext@vh2[4711] info: conn_req: from=t40003 to=tc0001
//
// Messages follow "event: key=value ..." so they can be grepped and parsed.
// The level comes from SNOW_LOG_LEVEL (trace, debug, info, warn, error, off).
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace snow::log {

// Configure the default logger for this process.  `component` names the
// process in every line ("ext@vh2", "sched", "task t40003").  When `file` is
// non-empty the log is appended there, otherwise it goes to stderr.
// `default_level` applies when SNOW_LOG_LEVEL is unset or unknown.
void init(std::string_view component, const std::string& file = {},
          spdlog::level::level_enum default_level = spdlog::level::info);

// Rename the component after the fact (e.g. once a task knows its tid).
void rename(std::string_view component);

// The pattern shared by every logger, exposed for tests.
const char* pattern();

}  // namespace snow::log
