#include "libsnowpvm/migrate/wire.h"

#include <concepts>
#include <type_traits>

namespace snow::wire {
namespace {

template <class T>
concept Record = requires(T& t) { T::members(t); };

template <class T>
concept Validated = requires(const T& t) { { t.valid() } -> std::convertible_to<bool>; };

// ---- encode
void put(Writer& w, int v) { w.i32(v); }
void put(Writer& w, uint64_t v) { w.u64(v); }
void put(Writer& w, bool v) { w.boolean(v); }
void put(Writer& w, const std::string& v) { w.str(v); }
void put(Writer& w, const std::vector<int>& v) { w.ints(v); }
void put(Writer& w, const std::vector<std::string>& v) { w.strs(v); }
template <Record R> void put(Writer& w, const R& r);
template <Record R> void put(Writer& w, const std::vector<R>& v) {
  w.u32(static_cast<uint32_t>(v.size()));
  for (const auto& r : v) put(w, r);
}
template <Record R> void put(Writer& w, const R& r) {
  std::apply([&](const auto&... f) { (put(w, f), ...); }, R::members(r));
}

// ---- decode
void get(Reader& r, int& v, const char* what) { v = r.i32(what); }
void get(Reader& r, uint64_t& v, const char* what) { v = r.u64(what); }
void get(Reader& r, bool& v, const char* what) { v = r.boolean(what); }
void get(Reader& r, std::string& v, const char* what) { v = r.str(what); }
void get(Reader& r, std::vector<int>& v, const char* what) { v = r.ints(what); }
void get(Reader& r, std::vector<std::string>& v, const char* what) { v = r.strs(what); }
template <Record R> void get(Reader& r, R& rec, const char* what);
template <Record R> void get(Reader& r, std::vector<R>& v, const char* what) {
  uint32_t k = r.u32(what);
  if (k > Reader::kMaxList) throw Malformed(std::string("list '") + what + "' is too long");
  v.clear();
  for (uint32_t i = 0; i < k; ++i) {
    R rec;
    get(r, rec, what);
    v.push_back(std::move(rec));
  }
}
template <Record R> void get(Reader& r, R& rec, const char* what) {
  std::apply([&](auto&... f) { (get(r, f, what), ...); }, R::members(rec));
}

template <class M> Message decode_as(const uint8_t* data, size_t n) {
  M m;  // fresh and poisoned (see the defaults in wire.h)
  Reader r(data, n);
  get(r, m, kind_name(M::kind));
  r.expect_end();
  if constexpr (Validated<M>) {
    if (!m.valid()) throw Malformed(std::string("invalid ") + kind_name(M::kind) + " message");
  }
  return m;
}

template <size_t I = 0> Message decode_index(Kind k, const uint8_t* data, size_t n) {
  if constexpr (I == std::variant_size_v<Message>) {
    throw Malformed("unknown control message kind " + std::to_string(static_cast<int>(k)));
  } else {
    using M = std::variant_alternative_t<I, Message>;
    if (M::kind == k) return decode_as<M>(data, n);
    return decode_index<I + 1>(k, data, n);
  }
}

}  // namespace

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::ConnReq: return "conn_req";
    case Kind::ConnAck: return "conn_ack";
    case Kind::ConnNack: return "conn_nack";
    case Kind::PeerMigrating: return "peer_migrating";
    case Kind::EndOfMessages: return "end_of_messages";
    case Kind::RmlTransfer: return "rml_transfer";
    case Kind::Redelivery: return "redelivery";
    case Kind::RejectConnReqs: return "reject_conn_reqs";
    case Kind::RejectAck: return "reject_ack";
    case Kind::AcceptConnReqs: return "accept_conn_reqs";
    case Kind::AcceptAck: return "accept_ack";
    case Kind::SpawnInit: return "spawn_init";
    case Kind::SpawnResult: return "spawn_result";
    case Kind::Enroll: return "enroll";
    case Kind::Exiting: return "exiting";
    case Kind::Locate: return "locate";
    case Kind::LocateReply: return "locate_reply";
    case Kind::InitReady: return "init_ready";
    case Kind::MigrateRequest: return "migrate_request";
    case Kind::MigrationStart: return "migration_start";
    case Kind::StartReply: return "start_reply";
    case Kind::Refused: return "refused";
    case Kind::MigrateFailed: return "migrate_failed";
    case Kind::StateSent: return "state_sent";
    case Kind::RestoreComplete: return "restore_complete";
    case Kind::Commit: return "commit";
    case Kind::Committed: return "committed";
    case Kind::MigrationCommit: return "migration_commit";
    case Kind::Abort: return "abort";
    case Kind::Resumed: return "resumed";
    case Kind::LocationNotice: return "location_notice";
    case Kind::MigrateCmd: return "migrate_cmd";
    case Kind::MigrateResult: return "migrate_result";
    case Kind::PsCmd: return "ps_cmd";
    case Kind::PsReply: return "ps_reply";
    case Kind::HistoryCmd: return "history_cmd";
    case Kind::HistoryReply: return "history_reply";
    case Kind::CheckpointCmd: return "checkpoint_cmd";
    case Kind::CheckpointRequest: return "checkpoint_request";
    case Kind::CheckpointDone: return "checkpoint_done";
    case Kind::CheckpointResult: return "checkpoint_result";
    case Kind::TaskIsSnow: return "task_is_snow";
    case Kind::HomeForward: return "home_forward";
    case Kind::HomeRelay: return "home_relay";
    case Kind::HomeHold: return "home_hold";
    case Kind::HomeHoldAck: return "home_hold_ack";
    case Kind::GroupCall: return "group_call";
    case Kind::GroupReply: return "group_reply";
    case Kind::Last: break;
  }
  return "unknown";
}

const char* nack_reason_name(int r) {
  switch (static_cast<NackReason>(r)) {
    case NackReason::Migrating: return "migrating";
    case NackReason::Exited: return "exited";
    case NackReason::HostGone: return "host-gone";
    case NackReason::Stale: return "stale";
    case NackReason::NotSnow: return "not-snow";
  }
  return "unknown";
}

const char* task_status_name(int s) {
  switch (static_cast<TaskStatus>(s)) {
    case TaskStatus::Running: return "running";
    case TaskStatus::Migrating: return "migrating";
    case TaskStatus::Terminated: return "terminated";
    case TaskStatus::Unknown: return "unknown";
  }
  return "?";
}

std::vector<uint8_t> encode_body(const Message& m) {
  Writer w;
  std::visit([&](const auto& msg) { put(w, msg); }, m);
  return w.bytes();
}

Kind kind_of(const Message& m) {
  return std::visit([](const auto& msg) { return std::decay_t<decltype(msg)>::kind; }, m);
}

Message decode_body(Kind k, const uint8_t* data, size_t n) { return decode_index(k, data, n); }

}  // namespace snow::wire
