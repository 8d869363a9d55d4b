// The SNOW runtime inside one application process: its identity, its
// communication state (PL table, Connected, received-message list, copies
// kept for provisional peers) and the one place where messages enter.
//
// Every message, data or control, is taken off libpvm's queue by pump()
// and handed to dispatch(), in arrival order.  Data goes to the back of
// the received-message list (Fig. 4 lines 6-7); control messages go to the
// role that owns them: Receiver (Fig. 4: conn_req, peer_migrating),
// Sender (Fig. 3: conn_ack, conn_nack, lookups), or the migration steps
// (Figs. 5-7), which wait for theirs in the inbox.  Blocking waits always
// keep dispatching, so a process waiting for anything still grants
// connections, drains channels and answers markers (Theorem 1).
#pragma once

#include "libsnowpvm/comm/channel_order.h"
#include "libsnowpvm/comm/connections.h"
#include "libsnowpvm/comm/pl_table.h"
#include "libsnowpvm/comm/pvm_io.h"
#include "libsnowpvm/comm/receiver.h"
#include "libsnowpvm/comm/retention.h"
#include "libsnowpvm/comm/rml.h"
#include "libsnowpvm/comm/sender.h"
#include "libsnowpvm/comm/services.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace snow::migrate {
class Migration;
}

namespace snow::comm {

struct Identity {
  int vtid = 0;    // stable across migrations (the first real tid)
  int real = 0;    // this incarnation's PVM tid
  int parent = 0;  // virtual tid, 0 = none
  std::vector<int> siblings;
  int app_ctx = 0;  // the application's message context
  int out_tid = 0, out_ctx = 0, out_tag = 0;  // where its stdout goes
  std::string program;  // basename, found in each host's ep= path
  std::string path;     // absolute path of the executable (/proc/self/exe)
  std::vector<std::string> args;
};

enum class Phase {
  Normal,
  Initializing,  // Fig. 7: a provisional process waiting for the state
  Migrating,     // Fig. 5 after line 4: connection requests are rejected
};

// How the application captures its execution state (snowpvm.h).
enum class ExecModel {
  HandWritten,  // restartable loops; a migration inside snow_recv exits there
  Precompiled,  // unwinds its stack; snow_recv returns SnowUnwinding
};

// A control message a migration step waits for, with any messages it
// carried (pvm_upkmesg'd, detached buffers).
struct Delivered {
  int src = 0;
  wire::Message msg;
  std::vector<int> carried;
};

using Clock = std::chrono::steady_clock;

class Runtime {
 public:
  // The process's runtime; enrolled with PVM and the scheduler on first
  // use.  start_status() tells whether that worked.
  static Runtime& get();
  int start_status() const { return start_status_; }
  bool restoring() const { return restore_mig_ != 0; }
  int restore_mig() const { return restore_mig_; }

  Identity id;
  PlTable pl;
  Rml rml;
  Connections conns;
  Retention retained;
  Services services;
  Phase phase = Phase::Normal;
  ExecModel exec_model = ExecModel::HandWritten;
  int closed_conn = 0;              // Fig. 6 Closed_conn
  std::set<int> awaiting_marker;    // Fig. 5 line 6: real tids still to answer
  bool rml_shipped = false;         // Fig. 5 line 8 done (the source keeps a copy)
  std::unique_ptr<migrate::Migration> migration;  // between begin and finish
  // `snow checkpoint`: a request waiting for the next poll-point.
  std::optional<wire::CheckpointRequest> checkpoint_request;
  // The scheduler's answers to group calls (exec/groups.cpp takes them).
  std::vector<wire::GroupReply> group_replies;

  Sender& sender() { return sender_; }
  Receiver& receiver() { return receiver_; }

  // Take one message and dispatch it; false when `how` expired.
  bool pump(pvmio::Wait how);
  // Dispatch everything already queued, without blocking.
  void pump_available();
  // Dispatch until done() holds; false when `timeout` expired first.
  bool wait_until(const std::function<bool()>& done,
                  std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // Entry of every snow_* call: service a disconnection signal (Fig. 6)
  // and pick up a migration request.
  void safe_point();
  // A migration request is waiting to be serviced.
  bool migration_requested() const { return pending_mig_ != 0 && phase == Phase::Normal; }
  int take_migration_request();

  // Migration steps wait here for the scheduler's and the peers' answers.
  std::optional<Delivered> take_inbox(wire::Kind kind, int mig);
  void purge_inbox(int mig);
  // Increments whenever the scheduler is found gone.
  int scheduler_losses() const { return scheduler_losses_; }

  // Ask the scheduler about the task it is enrolled as (or a new one).
  void enroll();
  // Become another process's continuation (Fig. 7, after the commit).
  void adopt(const wire::RmlTransfer& t);

  // Ask pvmd to tell us when `tid` exits (an awaited peer that exits
  // answers no more).
  void watch_exit(int tid);

  // Send a control message to a service (extension, scheduler); logs
  // failures.  Returns the PVM status.
  int send_control(int tid, const wire::Message& m, const std::function<int()>& extra = {});
  // Send a control message to another task, on the channel to `real`
  // (numbered, so it stays in order with the data).
  int send_to_peer(int real, const wire::Message& m, const std::function<int()>& extra = {});
  // Send the active send buffer to another task's `real` tid (numbered).
  int send_data(int real, int tag);
  ChannelOrder order;

 private:
  Runtime();
  void start();
  void dispatch(const pvmio::Incoming& in);
  void dispatch_in_order(const pvmio::Incoming& in);
  void dispatch_control(const pvmio::Incoming& in);
  void on_service_exit(const pvmio::Incoming& in);
  void unexpected(int src, wire::Kind kind, int mig);
  void migration_step(int src, const wire::Message& m, int mig);

  Sender sender_;
  Receiver receiver_;
  std::vector<Delivered> inbox_;
  int start_status_ = 0;
  int restore_mig_ = 0;
  int pending_mig_ = 0;
  int scheduler_losses_ = 0;
  Clock::time_point migrate_signal_seen_{};
};

// The model the execution-state runtime (pre-compiled programs) selects.
void set_exec_model(ExecModel m);

}  // namespace snow::comm
