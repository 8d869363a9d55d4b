// PVM trace events with the application's view (issue 11 item 3).
//
// libpvm traces every pvm_* call it makes, including SNOW's own control
// traffic, under the process's real tid.  So a SNOW task keeps libpvm's
// self-tracing off and emits the standard PVM 3.4 trace event records
// itself, for the application's calls only, under the task's virtual tid,
// to the trace destination (tid, context, code) the task was given.  The
// records are what PVM's `tracer` and XPVM read: pvmtev.h markers, an event
// descriptor the first time a process sends an event kind, raw records
// after that.
//
// The settings move with the task: they are put in SNOW_TRACE, one of the
// environment entries carried to the task's continuations (wire.h
// kCarriedEnv).  See doc/tracing.md.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace snow::comm::trace {

// Where a task's trace events go, as libpvm keeps them (pvmtrc).
struct Settings {
  int tid = 0;    // the collector; <= 0: not traced
  int ctx = 0;    // message context of the records
  int tag = 0;    // message tag of the records
  int buffer = 0; // libpvm's trace buffer size (records are sent unbuffered here)
  int options = 0;  // PvmTraceFull / Time / Count
  std::string mask;  // libpvm's printable mask (pvm_gettmask)
  bool active() const;       // full tracing: a record per call
  bool summarizing() const;  // PvmTraceTime / PvmTraceCount: counted (trace_summary.h)
  std::string encode() const;                          // the SNOW_TRACE value
  static bool decode(std::string_view text, Settings& out);  // false: malformed
};

// Limits, named in one place.
inline constexpr std::size_t kMaxMaskLength = 64;  // pvmtev.h TEV_MASK_LENGTH is 36
inline constexpr const char* kEnvName = "SNOW_TRACE";

// At start-up, right after pvm_mytid: take the settings libpvm was given
// (first process) or those carried in SNOW_TRACE (a continuation), turn
// libpvm's own self-tracing off, and export SNOW_TRACE for continuations.
void start(bool restoring, int vtid);

// The settings in use (tests, logs).
const Settings& settings();

// Whether events of this kind (pvmtev.h TEV_*) are to be emitted.
bool wanted(int kind);

// The application's pvm_settmask(PvmTaskSelf, mask) (snow_settmask): the
// task's mask from now on, also for its continuations (SNOW_TRACE, handed
// to the scheduler again).  libpvm's own self mask stays empty.
void set_mask(const std::string& mask);

// While one lives, the snow_* calls the runtime makes itself (e.g. its
// snow_mytid) leave no record: they are not the application's.
class Untraced {
 public:
  Untraced();
  ~Untraced();
  Untraced(const Untraced&) = delete;
  Untraced& operator=(const Untraced&) = delete;
};

// One event record.  Build it when wanted(kind), add the data items in
// libpvm's order, then send().
class Event {
 public:
  Event(int kind, int entry_exit);
  Event& i(int did, int value);
  Event& ints(int did, const std::vector<int>& values);
  Event& s(int did, const std::string& value);
  void send();

 private:
  struct Item {
    int did;
    int type;  // TEV_DATA_INT / TEV_DATA_STRING, | TEV_DATA_ARRAY
    std::vector<int> values;
    std::string text;
  };
  int kind_;
  int entry_exit_;
  std::chrono::steady_clock::time_point made_ = std::chrono::steady_clock::now();  // PvmTraceTime
  std::vector<Item> items_;
};

}  // namespace snow::comm::trace

// The records libpvm emits for these calls, with the application's tids.
namespace snow::comm::trace::calls {
void send_entry(int tid, int tag);
void mcast_entry(const int* tids, int ntask, int tag);
void cc_exit(int kind, int cc);  // send, mcast, exit: TEV_DID_CC
void recv_entry(int kind, int tid, int tag);  // recv, nrecv, trecv
void recv_exit(int kind, int bufid);
void mytid(int vtid);
void exit_entry();
}  // namespace snow::comm::trace::calls
