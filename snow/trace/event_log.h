// The event log of `snow trace record`: one event per line, plain text,
// written as records arrive and read back by `snow trace render`.
//
//   TIME SRC HOST ARCH NAME PHASE ITEM...
//
//   TIME   seconds.microseconds of the record's time stamp
//   SRC    the real tid the record came from (decimal)
//   HOST   ARCH  the sender's host and PVM architecture as the collector saw
//          them ("?" when not known)
//   NAME   libpvm's event name (send, recv, mcast, exit, ...) or the user
//          event's name (snow_process_start, snow_commit, ...)
//   PHASE  entry | exit | none | user
//   ITEM   KEY=VALUE; KEY is the pvmtev.h data id's short name (TID, DST,
//          MC, SRC, MDL, ...; D<n> for others), U<i> for the i-th item of a
//          user-defined record; VALUE is a decimal integer, [a,b,...] for an
//          array, "text" for a string (with %XX for '%', '"', space and
//          bytes outside printable ASCII), or ? for an item of another type.
//
// Lines starting with '#' are comments.  Every tid is decimal.
#pragma once

#include "snow/trace/event.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace snow::cli::trace {

std::string format_event(const Event& e);  // one line, without the newline

// Reads a whole log.  Throws snow::Error naming the line of the first
// malformed one (or when the log exceeds limits.h).
std::vector<Event> read_event_log(std::istream& in, const std::string& what);

std::string percent_escape(const std::string& s);
std::string percent_unescape(const std::string& s);  // throws snow::Error on a bad escape

}  // namespace snow::cli::trace
