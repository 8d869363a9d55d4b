// The SNOW control protocol: every message exchanged by application tasks,
// daemon extensions, the scheduler and the operator tools that is not an
// application message.
//
// On the wire a control message is one PVM message in SNOW's reserved
// context kContext, its tag is the message kind, and its body is
//
//     int magic, int version, int kind, int body_length,
//     byte body[body_length]           (big-endian fields, see codec.h)
//     [ pvm_pkmesg()'d messages ]       (RmlTransfer and Redelivery only)
//
// Receivers check magic, version, kind and length before decoding the body
// into a fresh, poisoned struct, then validate it.  Anything that fails is
// a wire::Malformed error: logged with its source and dropped, never fatal.
#pragma once

#include "libsnowpvm/migrate/codec.h"
#include "libsnowpvm/util/tid.h"

#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace snow::wire {

// PVM message context reserved for SNOW.  pvmd allocates contexts as
// hostpart + n with a non-zero host part (src/task.c ccon_new), and the
// system contexts are 0x7fffb..0x7ffff (pvmproto.h), so a value below
// 0x40000 is never handed to an application by pvm_newcontext().
inline constexpr int kContext = 0x3f5a1;
inline constexpr int kMagic = 0x534e4f57;  // "SNOW"
inline constexpr int kVersion = 1;
// Tags of pvm_notify() messages the daemons ask pvmd for (in kContext).
inline constexpr int kTagTaskExit = 1001;
inline constexpr int kTagHostDelete = 1002;

inline constexpr int kPoison = std::numeric_limits<int>::min() + 0x5a5a;

inline bool is_task_tid(int t) {
  return t > 0 && (t & kTidHostMask) != 0 && (t & kTidLocalMask) != 0;
}

enum class Kind : int {
  // connection establishment (Fig. 3), routed through the extensions
  ConnReq = 1, ConnAck, ConnNack,
  // markers and transfers on the data channel (Figs. 5-7)
  PeerMigrating, EndOfMessages, RmlTransfer, Redelivery,
  // a migrating task and its extension (Fig. 5 line 4; abort)
  RejectConnReqs, RejectAck, AcceptConnReqs, AcceptAck,
  // scheduler -> extension: start the initialized process
  SpawnInit, SpawnResult,
  // task <-> scheduler
  Enroll, Exiting, Locate, LocateReply,
  InitReady, MigrateRequest, MigrationStart, StartReply, Refused, MigrateFailed,
  StateSent, RestoreComplete, Commit, Committed, MigrationCommit, Abort, Resumed,
  LocationNotice,
  // operator tools <-> scheduler
  MigrateCmd, MigrateResult, PsCmd, PsReply, HistoryCmd, HistoryReply,
  // checkpoints on request (snow checkpoint): operator -> scheduler -> task
  CheckpointCmd, CheckpointRequest, CheckpointDone, CheckpointResult,
  TaskIsSnow, HomeForward, HomeRelay, HomeHold, HomeHoldAck,  // plain PVM peers and home agents
  GroupCall, GroupReply,  // groups served by the scheduler (virtual tids)
  Last
};

const char* kind_name(Kind k);
inline bool kind_known(int k) { return k >= 1 && k < static_cast<int>(Kind::Last); }

// Why a connection request was refused.
// NotSnow: the target is a plain PVM task (doc/plain-peers.md).
enum class NackReason : int { Migrating = 1, Exited, HostGone, Stale, NotSnow };
const char* nack_reason_name(int r);

// What the scheduler knows about a task (Fig. 3 line 10).
enum class TaskStatus : int { Running = 1, Migrating, Terminated, Unknown };
const char* task_status_name(int s);

// ------------------------------------------------------------------ bodies
// Each message lists its members once; encode/decode/validate are generic.

struct PlEntry {
  int vtid = kPoison, real = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.real); }
};

struct ConnReq {  // Fig. 3 line 2: requester -> its ext -> target's ext -> target
  static constexpr Kind kind = Kind::ConnReq;
  int req_id = kPoison, from_vtid = kPoison, from_real = kPoison, to_vtid = kPoison,
      to_real = kPoison;
  template <class S> static auto members(S& s) {
    return std::tie(s.req_id, s.from_vtid, s.from_real, s.to_vtid, s.to_real);
  }
  bool valid() const { return req_id >= 0 && is_task_tid(from_real) && is_task_tid(to_real); }
};

struct ConnAck {  // target -> its ext -> requester's ext -> requester
  static constexpr Kind kind = Kind::ConnAck;
  int req_id = kPoison, target_vtid = kPoison, target_real = kPoison, requester = kPoison;
  template <class S> static auto members(S& s) {
    return std::tie(s.req_id, s.target_vtid, s.target_real, s.requester);
  }
  bool valid() const { return req_id >= 0 && is_task_tid(target_real) && is_task_tid(requester); }
};

struct ConnNack {  // target (migrating) or an extension -> requester
  static constexpr Kind kind = Kind::ConnNack;
  int req_id = kPoison, reason = kPoison, target_real = kPoison, requester = kPoison;
  template <class S> static auto members(S& s) {
    return std::tie(s.req_id, s.reason, s.target_real, s.requester);
  }
  bool valid() const {
    return req_id >= 0 && reason >= 1 && reason <= static_cast<int>(NackReason::NotSnow) && is_task_tid(requester);
  }
};

struct PeerMigrating {  // Fig. 5 line 5: last message of the migrating peer
  static constexpr Kind kind = Kind::PeerMigrating;
  int vtid = kPoison, real = kPoison;
  int next_req_id = kPoison;  // its conn_reqs numbered below this are stale
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.real, s.next_req_id); }
  bool valid() const { return is_task_tid(real) && next_req_id >= 0; }
};

struct EndOfMessages {  // Fig. 6: last message to the migrating peer
  static constexpr Kind kind = Kind::EndOfMessages;
  int vtid = kPoison, real = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.real); }
  bool valid() const { return is_task_tid(real); }
};

// Fig. 5 line 8 / Fig. 7 line 2 (+ nmsgs pvm_pkmesg'd messages).  With
// sbuf = 1 the last of them is not a received message but the program's
// active send buffer: programs such as PVM's timing_slave pack a reply once
// and send it in every iteration, so it must move with the process.
struct RmlTransfer {
  static constexpr Kind kind = Kind::RmlTransfer;
  int mig = kPoison, vtid = kPoison, parent = kPoison, app_ctx = kPoison, nmsgs = kPoison, sbuf = 0;
  std::vector<int> siblings;
  std::vector<PlEntry> pl;
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.vtid, s.parent, s.app_ctx, s.nmsgs, s.sbuf, s.siblings, s.pl);
  }
  bool valid() const { return mig > 0 && is_task_tid(vtid) && nmsgs >= 0 && (sbuf == 0 || (sbuf == 1 && nmsgs >= 1)); }
};

struct Redelivery {  // abort: copies of messages sent to a dead provisional process
  static constexpr Kind kind = Kind::Redelivery;
  int mig = kPoison, from_vtid = kPoison, nmsgs = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.from_vtid, s.nmsgs); }
  bool valid() const { return mig > 0 && nmsgs >= 0; }
};

struct RejectConnReqs {  // Fig. 5 line 4
  static constexpr Kind kind = Kind::RejectConnReqs;
  int real = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.real, s.mig); }
  bool valid() const { return is_task_tid(real); }
};
struct RejectAck {
  static constexpr Kind kind = Kind::RejectAck;
  int real = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.real, s.mig); }
};
struct AcceptConnReqs {  // abort: take requests again
  static constexpr Kind kind = Kind::AcceptConnReqs;
  int real = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.real, s.mig); }
  bool valid() const { return is_task_tid(real); }
};
struct AcceptAck {
  static constexpr Kind kind = Kind::AcceptAck;
  int real = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.real, s.mig); }
};

// The environment variables a task hands to the processes that continue
// it after a migration (the original's environment is not theirs: the
// destination's extension starts them): periodic checkpoints and the test
// suite's injected faults (comm/fault.h), and where the task's PVM trace
// events go (comm/trace_events.h).  Nothing else is ever set.
inline constexpr const char* kCarriedEnv[] = {"SNOW_CHECKPOINT_EVERY", "SNOW_CHECKPOINT_FILE", "SNOW_FAULT",
                                              "SNOW_TRACE"};
inline bool carried_env_entry(const std::string& entry) {
  for (const char* name : kCarriedEnv) {
    std::string prefix = std::string(name) + "=";
    if (entry.compare(0, prefix.size(), prefix) == 0) return entry.find('\0') == std::string::npos;
  }
  return false;
}

struct SpawnInit {  // scheduler -> extension of the destination host
  static constexpr Kind kind = Kind::SpawnInit;
  int mig = kPoison, vtid = kPoison, app_ctx = kPoison;
  int out_tid = kPoison, out_ctx = kPoison, out_tag = kPoison;
  std::string program;  // basename, searched in the host's ep= path
  std::string same_arch_path;  // absolute path to try when not found there
  std::vector<std::string> args;
  std::vector<std::string> env;  // NAME=VALUE for the initialized process (carried_env_entry)
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.vtid, s.app_ctx, s.out_tid, s.out_ctx, s.out_tag, s.program, s.same_arch_path,
                    s.args, s.env);
  }
  bool valid() const {
    return mig > 0 && !program.empty() && program.find('/') == std::string::npos;
  }
};
struct SpawnResult {
  static constexpr Kind kind = Kind::SpawnResult;
  int mig = kPoison, tid = kPoison;  // tid < 0: PVM error code
  std::string error;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.tid, s.error); }
};

struct Enroll {  // a SNOW task introduces itself to the scheduler
  static constexpr Kind kind = Kind::Enroll;
  int vtid = kPoison, real = kPoison, parent = kPoison, app_ctx = kPoison;
  int out_tid = kPoison, out_ctx = kPoison, out_tag = kPoison;
  std::string host, arch, program;
  std::string path;  // absolute path of the executable
  std::vector<std::string> args;
  std::vector<std::string> env;  // NAME=VALUE (carried_env_entry) for its continuations
  template <class S> static auto members(S& s) {
    return std::tie(s.vtid, s.real, s.parent, s.app_ctx, s.out_tid, s.out_ctx, s.out_tag, s.host,
                    s.arch, s.program, s.path, s.args, s.env);
  }
  bool valid() const { return is_task_tid(vtid) && is_task_tid(real) && !program.empty(); }
};
struct Exiting {
  static constexpr Kind kind = Kind::Exiting;
  int vtid = kPoison, real = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.real); }
};

struct Locate {  // Fig. 3 line 10: after a conn_nack
  static constexpr Kind kind = Kind::Locate;
  int req = kPoison, vtid = kPoison, nacked_real = kPoison, reason = kPoison;
  template <class S> static auto members(S& s) {
    return std::tie(s.req, s.vtid, s.nacked_real, s.reason);
  }
  bool valid() const { return req >= 0 && vtid > 0; }
};
struct LocateReply {
  static constexpr Kind kind = Kind::LocateReply;
  int req = kPoison, vtid = kPoison, status = kPoison, real = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) {
    return std::tie(s.req, s.vtid, s.status, s.real, s.mig);
  }
  bool valid() const { return status >= 1 && status <= 4; }
};

struct InitReady {  // Fig. 7: the initialized process waits for the state
  static constexpr Kind kind = Kind::InitReady;
  int mig = kPoison, vtid = kPoison, real = kPoison, port = kPoison;
  std::string addr;
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.vtid, s.real, s.port, s.addr);
  }
  bool valid() const { return mig > 0 && port > 0 && port < 65536 && !addr.empty(); }
};
struct MigrateRequest {  // with SIGUSR1 (Fig. 5 line 1)
  static constexpr Kind kind = Kind::MigrateRequest;
  int mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig); }
  bool valid() const { return mig > 0; }
};
struct MigrationStart {  // Fig. 5 line 2
  static constexpr Kind kind = Kind::MigrationStart;
  int mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig); }
};
struct StartReply {  // Fig. 5 line 3: the new vmid
  static constexpr Kind kind = Kind::StartReply;
  int mig = kPoison, new_real = kPoison, port = kPoison;
  bool go = false;
  std::string addr, reason;
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.new_real, s.port, s.go, s.addr, s.reason);
  }
  bool valid() const { return !go || (is_task_tid(new_real) && port > 0 && !addr.empty()); }
};
struct Refused {  // pre-flight said no; nothing was touched
  static constexpr Kind kind = Kind::Refused;
  int mig = kPoison;
  std::string reason;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.reason); }
};
struct MigrateFailed {  // the source could not complete; asks for an abort
  static constexpr Kind kind = Kind::MigrateFailed;
  int mig = kPoison;
  std::string reason;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.reason); }
};
struct StateSent {  // the source's timings (Fig. 5 lines 2-10)
  static constexpr Kind kind = Kind::StateSent;
  int mig = kPoison, rml_msgs = kPoison, peers = kPoison;
  uint64_t coord_us = 0, collect_us = 0, transfer_us = 0, state_bytes = 0;
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.rml_msgs, s.peers, s.coord_us, s.collect_us, s.transfer_us,
                    s.state_bytes);
  }
};
struct RestoreComplete {  // Fig. 7 line 5
  static constexpr Kind kind = Kind::RestoreComplete;
  int mig = kPoison;
  uint64_t restore_us = 0;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.restore_us); }
};
struct Commit {  // Fig. 7 line 6: the old vmid; the scheduler has committed
  static constexpr Kind kind = Kind::Commit;
  int mig = kPoison, vtid = kPoison, old_real = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.vtid, s.old_real); }
};
struct Committed {  // to the source: exit (Fig. 5 line 11)
  static constexpr Kind kind = Kind::Committed;
  int mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig); }
};
struct MigrationCommit {  // Fig. 7 line 7
  static constexpr Kind kind = Kind::MigrationCommit;
  int mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig); }
};
struct Abort {  // to the source: the migration is off, carry on
  static constexpr Kind kind = Kind::Abort;
  int mig = kPoison;
  std::string reason;
  template <class S> static auto members(S& s) { return std::tie(s.mig, s.reason); }
};
struct Resumed {  // the source runs again and takes connection requests
  static constexpr Kind kind = Kind::Resumed;
  int mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.mig); }
};
struct LocationNotice {  // to the tasks that looked the migrating task up
  static constexpr Kind kind = Kind::LocationNotice;
  int mig = kPoison, vtid = kPoison, real = kPoison, provisional_real = kPoison;
  bool aborted = false;  // false: provisional_real is final (== real)
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.vtid, s.real, s.provisional_real, s.aborted);
  }
  bool valid() const { return mig > 0 && is_task_tid(real); }
};

struct MigrateCmd {
  static constexpr Kind kind = Kind::MigrateCmd;
  int req = kPoison, vtid = kPoison;
  std::string host;
  template <class S> static auto members(S& s) { return std::tie(s.req, s.vtid, s.host); }
};
struct Timings {
  uint64_t coord_us = 0, collect_us = 0, transfer_us = 0, restore_us = 0, total_us = 0,
           state_bytes = 0;
  int rml_msgs = 0, peers = 0;
  template <class S> static auto members(S& s) {
    return std::tie(s.coord_us, s.collect_us, s.transfer_us, s.restore_us, s.total_us,
                    s.state_bytes, s.rml_msgs, s.peers);
  }
};
struct MigrateResult {
  static constexpr Kind kind = Kind::MigrateResult;
  int req = kPoison, mig = kPoison, vtid = kPoison, old_real = kPoison, new_real = kPoison;
  bool ok = false;
  std::string text, from_host, to_host, from_arch, to_arch;
  Timings t;
  template <class S> static auto members(S& s) {
    return std::tie(s.req, s.mig, s.vtid, s.old_real, s.new_real, s.ok, s.text, s.from_host,
                    s.to_host, s.from_arch, s.to_arch, s.t);
  }
};
struct PsCmd {
  static constexpr Kind kind = Kind::PsCmd;
  int req = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.req); }
};
struct PsRow {
  int vtid = kPoison, real = kPoison, parent = kPoison, status = kPoison, migrations = kPoison;
  std::string host, arch, program;
  template <class S> static auto members(S& s) {
    return std::tie(s.vtid, s.real, s.parent, s.status, s.migrations, s.host, s.arch, s.program);
  }
};
struct PsReply {
  static constexpr Kind kind = Kind::PsReply;
  int req = kPoison;
  std::vector<PsRow> rows;
  template <class S> static auto members(S& s) { return std::tie(s.req, s.rows); }
};
struct HistoryCmd {
  static constexpr Kind kind = Kind::HistoryCmd;
  int req = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.req); }
};
struct HistoryRow {
  int mig = kPoison, vtid = kPoison, old_real = kPoison, new_real = kPoison;
  uint64_t started_ms = 0;  // Unix time
  std::string from_host, to_host, outcome;
  Timings t;
  template <class S> static auto members(S& s) {
    return std::tie(s.mig, s.vtid, s.old_real, s.new_real, s.started_ms, s.from_host, s.to_host,
                    s.outcome, s.t);
  }
};
struct HistoryReply {
  static constexpr Kind kind = Kind::HistoryReply;
  int req = kPoison;
  std::vector<HistoryRow> rows;
  template <class S> static auto members(S& s) { return std::tie(s.req, s.rows); }
};

// `snow checkpoint`: the operator asks the scheduler, which forwards the
// request to the task (message + SIGUSR1); at its next poll-point the task
// writes the checkpoint and reports to the scheduler, which answers the
// operator.  `file` is an absolute path every host sees.
struct CheckpointCmd {
  static constexpr Kind kind = Kind::CheckpointCmd;
  int req = kPoison, vtid = kPoison;
  bool stop = false;  // the task exits once the checkpoint is written
  std::string file;
  template <class S> static auto members(S& s) { return std::tie(s.req, s.vtid, s.stop, s.file); }
  bool valid() const { return !file.empty() && file[0] == '/'; }
};
struct CheckpointRequest {  // scheduler -> task
  static constexpr Kind kind = Kind::CheckpointRequest;
  int ck = kPoison;
  bool stop = false;
  std::string file;
  template <class S> static auto members(S& s) { return std::tie(s.ck, s.stop, s.file); }
  bool valid() const { return ck > 0 && !file.empty() && file[0] == '/'; }
};
struct CheckpointDone {  // task -> scheduler
  static constexpr Kind kind = Kind::CheckpointDone;
  int ck = kPoison;
  bool ok = false;
  uint64_t bytes = 0;
  std::string text;  // the error, when !ok
  template <class S> static auto members(S& s) { return std::tie(s.ck, s.ok, s.bytes, s.text); }
};
struct CheckpointResult {  // scheduler -> operator
  static constexpr Kind kind = Kind::CheckpointResult;
  int req = kPoison, vtid = kPoison;
  bool ok = false, stopped = false;
  uint64_t bytes = 0;
  std::string text, host, arch, program;
  template <class S> static auto members(S& s) {
    return std::tie(s.req, s.vtid, s.ok, s.stopped, s.bytes, s.text, s.host, s.arch, s.program);
  }
};

// Plain PVM peers and home agents (doc/plain-peers.md).
struct TaskIsSnow {  // a SNOW runtime -> its host's extension, as it starts
  static constexpr Kind kind = Kind::TaskIsSnow;
  int real = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.real); }
  bool valid() const { return is_task_tid(real); }
};
// Home agent -> current incarnation: a message a plain task sent to the
// virtual tid (+ 1 pvm_pkmesg'd message, labelled src/tag/ctx).
struct HomeForward {
  static constexpr Kind kind = Kind::HomeForward;
  int vtid = kPoison, src = kPoison, tag = kPoison, ctx = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.src, s.tag, s.ctx); }
  bool valid() const { return is_task_tid(vtid) && src != 0; }  // also a pvmd (notifications)
};
// A later incarnation -> its home agent: send this message (+ 1
// pvm_pkmesg'd message) to the plain task `to` as tag/ctx, from the vtid.
struct HomeRelay {
  static constexpr Kind kind = Kind::HomeRelay;
  int vtid = kPoison, to = kPoison, tag = kPoison, ctx = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.to, s.tag, s.ctx); }
  bool valid() const { return is_task_tid(vtid) && is_task_tid(to) && tag >= 0; }
};
// A later incarnation that is migrating -> its home agent: hold the
// messages for the task (hold) or pass them on to it again (an abort).
// The agent answers a hold with home_hold_ack after everything it passed
// on before, so that all of it is in the received-message list shipped.
struct HomeHold {
  static constexpr Kind kind = Kind::HomeHold;
  int vtid = kPoison, real = kPoison, mig = kPoison;
  bool hold = false;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.real, s.mig, s.hold); }
  bool valid() const { return is_task_tid(vtid) && is_task_tid(real) && mig > 0; }
};
struct HomeHoldAck {
  static constexpr Kind kind = Kind::HomeHoldAck;
  int vtid = kPoison, mig = kPoison;
  template <class S> static auto members(S& s) { return std::tie(s.vtid, s.mig); }
  bool valid() const { return is_task_tid(vtid) && mig > 0; }
};

// Groups served by the scheduler (virtual tids), in place of PVM's group
// server, so that membership, instance numbers, sizes and barriers stay
// the same when a member moves (doc/groups.md).
enum class GroupOp : int { Join = 1, Leave, GetTid, GetInst, Size, Freeze, Barrier, Members };
inline constexpr int kGroupOpLast = static_cast<int>(GroupOp::Members);
inline constexpr size_t kMaxGroupName = 255;  // longer names are refused
struct GroupCall {  // task -> scheduler
  static constexpr Kind kind = Kind::GroupCall;
  // arg: GetTid the instance, GetInst the virtual tid asked about,
  // Freeze the size, Barrier the count.  seq: Barrier only, the caller's
  // number of this barrier in the group (it moves with the task, so a call
  // re-executed after a migration names the same barrier).
  int req = kPoison, op = kPoison, vtid = kPoison, arg = kPoison, seq = kPoison;
  std::string group;
  template <class S> static auto members(S& s) {
    return std::tie(s.req, s.op, s.vtid, s.arg, s.seq, s.group);
  }
  bool valid() const {
    return req > 0 && op >= 1 && op <= kGroupOpLast && is_task_tid(vtid) && !group.empty() &&
           group.size() <= kMaxGroupName && group.find('\0') == std::string::npos;
  }
};
struct GroupReply {  // scheduler -> task
  static constexpr Kind kind = Kind::GroupReply;
  // rc: the PVM call's result (instance, tid, size, 0) or a PVM error.
  // seq: Join, the group's last released barrier (the joiner's next is
  // seq + 1).  tids: Members, the members' virtual tids by instance.
  int req = kPoison, op = kPoison, rc = kPoison, seq = 0;
  std::vector<int> tids;
  template <class S> static auto members(S& s) { return std::tie(s.req, s.op, s.rc, s.seq, s.tids); }
  bool valid() const { return req > 0 && op >= 1 && op <= kGroupOpLast; }
};

using Message =
    std::variant<ConnReq, ConnAck, ConnNack, PeerMigrating, EndOfMessages, RmlTransfer, Redelivery,
                 RejectConnReqs, RejectAck, AcceptConnReqs, AcceptAck, SpawnInit, SpawnResult,
                 Enroll, Exiting, Locate, LocateReply, InitReady, MigrateRequest, MigrationStart,
                 StartReply, Refused, MigrateFailed, StateSent, RestoreComplete, Commit, Committed,
                 MigrationCommit, Abort, Resumed, LocationNotice, MigrateCmd, MigrateResult, PsCmd,
                 PsReply, HistoryCmd, HistoryReply, CheckpointCmd, CheckpointRequest, CheckpointDone,
                 CheckpointResult,
                 TaskIsSnow, HomeForward, HomeRelay, HomeHold, HomeHoldAck,  // plain PVM peers and home agents
                 GroupCall, GroupReply>;  // groups served by the scheduler

// ---------------------------------------------------------------- encoding

std::vector<uint8_t> encode_body(const Message& m);
Kind kind_of(const Message& m);
// Decode a body of kind `k`; throws Malformed (also when validation fails).
Message decode_body(Kind k, const uint8_t* data, size_t n);

}  // namespace snow::wire
