// The thin layer between SNOW and libpvm: taking messages off libpvm's
// queue without disturbing the application's buffers, and sending and
// opening control messages (migrate/wire.h).
//
// libpvm keeps one active send buffer, one active receive buffer and one
// message context per task; the application owns all three.  Everything
// here saves and restores them (libpvm's own idiom, see pvm_psend), so a
// snow_* call never moves the application's pack or unpack position.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <vector>

namespace snow::pvmio {

// Saves the active send and receive buffers; restores them on scope exit.
class BufferGuard {
 public:
  BufferGuard();
  ~BufferGuard();
  BufferGuard(const BufferGuard&) = delete;
  BufferGuard& operator=(const BufferGuard&) = delete;

 private:
  int sbuf_, rbuf_;
};

// Switches the message context; restores it on scope exit.
class ContextGuard {
 public:
  explicit ContextGuard(int ctx);
  ~ContextGuard();
  ContextGuard(const ContextGuard&) = delete;
  ContextGuard& operator=(const ContextGuard&) = delete;

 private:
  int old_;
};

// Turns libpvm's own error printing off (PvmAutoErr) for a scope.
class QuietGuard {
 public:
  QuietGuard();
  ~QuietGuard();
  QuietGuard(const QuietGuard&) = delete;
  QuietGuard& operator=(const QuietGuard&) = delete;

 private:
  int old_;
};

// A message taken off libpvm's queue; the buffer is detached (owned by
// the caller, not libpvm's active receive buffer).
struct Incoming {
  int bufid = 0;
  int src = 0;
  int tag = 0;
  int ctx = 0;
  int len = 0;
  int wid = 0;  // channel sequence number (channel_order.h), 0 if none
};

// How long take() may wait.
struct Wait {
  enum Mode { Block, Poll, Timeout } mode = Block;
  std::chrono::microseconds timeout{0};
  static Wait block() { return {Block, {}}; }
  static Wait poll() { return {Poll, {}}; }
  static Wait upto(std::chrono::microseconds t) { return {Timeout, t}; }
};

// Take the oldest message that is not one of libpvm's system messages,
// data and control alike, in arrival order.  SNOW's match function is
// installed with pvm_recvf only for the duration of this call.  Returns
// nothing when `how` expired; throws PvmError when the pvmd is gone.
std::optional<Incoming> take(Wait how);

// Is `ctx` one of libpvm's system contexts (pvmproto.h SYSCTX_*)?
bool is_system_context(int ctx);

// Send a control message to `tid`.  `extra`, when given, packs more into
// the same message after the body (pvm_pkmesg'd messages).  Returns the
// PVM status of pvm_send.
// `seq` numbers the message on its channel (channel_order.h); 0: none.
int send_control(int tid, const wire::Message& m, const std::function<int()>& extra = {}, int seq = 0);

// The one log line for a well-formed control message nobody here expects,
// and for one that does not decode (both are dropped).
void log_unexpected_control(wire::Kind kind, int src);
void log_malformed_control(const Incoming& in, const std::exception& e);

// Opens a control message: makes `bufid` the active receive buffer for
// its lifetime, checks the envelope and decodes the body.  What follows
// the body (pvm_pkmesg'd messages) can then be unpacked.  Frees the
// buffer and restores the previous receive buffer on destruction.
class ControlMessage {
 public:
  explicit ControlMessage(const Incoming& in);  // throws wire::Malformed
  ~ControlMessage();
  ControlMessage(const ControlMessage&) = delete;
  ControlMessage& operator=(const ControlMessage&) = delete;

  const wire::Message& message() const { return msg_; }
  wire::Kind kind() const { return kind_; }
  int src() const { return src_; }
  // pvm_upkmesg() `n` messages that follow the body; returns their buffers
  // (detached).  Throws wire::Malformed.
  std::vector<int> unpack_messages(int n);

 private:
  void open(const Incoming& in);
  int bufid_, saved_rbuf_, src_;
  wire::Kind kind_{};
  wire::Message msg_;
};

// Pack a copy of message `bufid` (header and body) into the active send
// buffer (pvm_pkmesg; an empty message as its envelope).
int pack_message(int bufid);
// Unpack one message pack_message packed from the active receive buffer:
// a new detached buffer, or a PVM error code.
int unpack_message();

}  // namespace snow::pvmio
