// Every limit and time `snow trace` keeps to, in one place.
//
// The decoder reads messages any task of the virtual machine may send to
// the collector (and the renderer reads event logs a user gives it): none
// of their counts or lengths is trusted beyond these.
#pragma once

#include <chrono>
#include <cstddef>

namespace snow::cli::trace::limits {
using namespace std::chrono_literals;

// Decoding one trace message (decoder.h).
inline constexpr std::size_t kMaxString = 4096;            // one string item, bytes
inline constexpr std::size_t kMaxArray = 4096;             // elements of one array item
inline constexpr std::size_t kMaxItems = 64;               // data items of one event
inline constexpr std::size_t kMaxRecordsPerMessage = 10000;  // records in one (buffered) message
inline constexpr int kMaxNesting = 4;                      // TEV_MARK_EVENT_BUFFER inside one another
inline constexpr std::size_t kMaxDescriptors = 20000;      // (sender, event id) descriptors kept in all
inline constexpr std::size_t kMaxMessageBytes = 16u << 20;  // one trace message

// Reading an event log (event_log.h).
inline constexpr std::size_t kMaxLogLine = 64u << 10;     // bytes of one line
inline constexpr std::size_t kMaxLogEvents = 2000000;    // events of one log

// Drawing (svg.h): beyond these the picture says what it left out.
inline constexpr std::size_t kMaxTasksDrawn = 256;
inline constexpr std::size_t kMaxMessagesDrawn = 200000;
inline constexpr std::size_t kMaxZoomPanels = 4;  // migrations drawn again, zoomed, under the run

// Recording (cmd_trace.cpp).
inline constexpr auto kDrainGrace = 1s;    // after every task has exited: records still on their way
inline constexpr auto kDrainQuiet = 3s;    // a task without an exit record: give up after this long without records
inline constexpr auto kDrainMax = 20s;     // after the program ended, at most this long in all
inline constexpr auto kDrainPoll = 100ms;  // one wait for a record while draining

}  // namespace snow::cli::trace::limits
