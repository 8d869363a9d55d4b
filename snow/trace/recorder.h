// The collector side of `snow trace record`: trace settings for the tasks
// the program starts (PVM's usual inheritance), receiving and decoding the
// records, the event log, and waiting for the stragglers at the end.
#pragma once

#include "snow/trace/decoder.h"
#include "snow/trace/event.h"

#include <chrono>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace snow::cli::trace {

// The events a record mask holds by default: the message calls (psend and
// precv too), spawn,
// exit, mytid, user-defined (SNOW's own events) and pvmd's task records.
inline constexpr const char* kDefaultMask =
    "send,mcast,recv,nrecv,trecv,psend,precv,spawn,exit,mytid,user_defined,newtask,spntask,endtask";
inline constexpr int kTraceTag = 0x5e7ace;  // the message tag of the records sent to us
inline constexpr int kTracerOutputTag = 0x5e7acf;  // pvmd's output of tasks, to a registered tracer (dropped)

// "send,recv,..." -> libpvm's printable mask; throws snow::Error naming an
// unknown event.
std::string mask_from_names(const std::string& names);

class Recorder {
 public:
  explicit Recorder(std::ostream& log) : log_(log) {}

  // Registers this process (tid `me`) as the collector for its children:
  // a fresh context, our tag, the mask for PvmTaskChild.
  void install(int me, const std::string& mask);
  // Or, against a running VM: registers as the virtual machine's tracer
  // (pvm_reg_tracer, as PVM's tracer does), so that every task started from
  // now on, by anyone, is traced to us.  Throws snow::Error when another
  // tracer is registered.  detach() unregisters.
  void attach(const std::string& mask);
  void detach();
  // Waits for records at most limits::kDrainPoll, takes what came.
  void wait_some();
  void expect(int task) { expected_.insert(task); }
  // Takes every record that has arrived (no waiting).
  void poll();
  // After the program has ended: until every task seen has exited, then a
  // short grace; or until no record came for a while (limits.h).
  void drain();

  const std::vector<Event>& events() const { return events_; }
  std::size_t errors() const { return errors_; }
  std::vector<int> tasks_without_exit() const;

 private:
  void take(int bufid);
  std::pair<std::string, std::string> host_of(int tid);

  std::ostream& log_;
  int ctx_ = 0;
  bool installed_ = false;
  bool registered_ = false;
  Decoder decoder_;
  std::vector<Event> events_;
  std::set<int> expected_, seen_, exited_;
  std::map<int, std::pair<std::string, std::string>> hosts_;  // pvmd tid -> host, arch
  std::size_t errors_ = 0;
  std::chrono::steady_clock::time_point last_record_{};
};

}  // namespace snow::cli::trace
