// How long the process behind a task of this host has existed: its pid
// from pvm_tasks, its start time from /proc/<pid>/stat (field 22, clock
// ticks since boot) against /proc/uptime.  Nothing when it cannot be told.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace snow::ext {

std::optional<std::chrono::milliseconds> process_age(int tid);
// The parsing, apart (unit-tested): a /proc/<pid>/stat line and
// /proc/uptime's first field, with the clock tick rate.
std::optional<std::chrono::milliseconds> process_age_from(const std::string& stat, double uptime_s,
                                                          long ticks_per_s);

}  // namespace snow::ext
