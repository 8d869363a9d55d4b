#include "libsnowpvm/comm/pvm_io.h"

#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <string>

namespace snow::pvmio {
namespace {

// pvmproto.h: SYSCTX_FIRST 0x7ffff, five system contexts below it.
constexpr int kSysCtxFirst = 0x7ffff;
constexpr int kSysCtxCount = 5;
constexpr int kMaxBody = 16 << 20;

int accept_user_messages(int mid, int tid, int tag) {
  struct pvmminfo info {};
  if (pvm_getminfo(mid, &info) < 0) return 0;
  (void)tid;
  (void)tag;
  return is_system_context(info.ctx) ? 0 : 1;
}

// Installs accept_user_messages as libpvm's match function.
class MatcherGuard {
 public:
  // pvm3.h declares pvm_recvf's result with the wrong parameter list
  // (it is the previous match function, of the same type as its argument).
  MatcherGuard()
      : old_(reinterpret_cast<Match>(reinterpret_cast<void (*)()>(pvm_recvf(accept_user_messages)))) {}
  ~MatcherGuard() { pvm_recvf(old_); }
  MatcherGuard(const MatcherGuard&) = delete;
  MatcherGuard& operator=(const MatcherGuard&) = delete;

 private:
  using Match = int (*)(int, int, int);
  Match old_;
};

}  // namespace

bool is_system_context(int ctx) { return ctx <= kSysCtxFirst && ctx > kSysCtxFirst - kSysCtxCount; }

BufferGuard::BufferGuard() : sbuf_(pvm_getsbuf()), rbuf_(pvm_getrbuf()) {}

BufferGuard::~BufferGuard() {
  // pvm_setsbuf/pvm_setrbuf on the same buffer do not reset its position
  // (enc_init/dec_init are guarded by MM_PACK/MM_UPACK, src/pmsg.c).
  pvm_setsbuf(sbuf_);
  pvm_setrbuf(rbuf_);
}

ContextGuard::ContextGuard(int ctx) : old_(pvm_setcontext(ctx)) {}
ContextGuard::~ContextGuard() { pvm_setcontext(old_); }

QuietGuard::QuietGuard() : old_(pvm_setopt(PvmAutoErr, 0)) {}
QuietGuard::~QuietGuard() { pvm_setopt(PvmAutoErr, old_); }

std::optional<Incoming> take(Wait how) {
  // (No QuietGuard on this hot path: pvm_recv fails only when the pvmd is
  // gone, and then libpvm's own message is welcome.)
  // pvm_recv frees the active receive buffer first: keep the
  // application's out of its reach.
  int app_rbuf = pvm_setrbuf(0);
  int rc;
  {
    MatcherGuard match;
    switch (how.mode) {
      case Wait::Block:
        rc = pvm_recv(-1, -1);
        break;
      case Wait::Poll:
        rc = pvm_nrecv(-1, -1);
        break;
      default: {
        auto us = how.timeout.count();
        if (us < 0) us = 0;
        struct timeval tv = {static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
        rc = pvm_trecv(-1, -1, &tv);
      }
    }
  }
  int got = pvm_setrbuf(app_rbuf);
  if (rc < 0) throw PvmError("pvm_recv (SNOW runtime)", rc);
  if (rc == 0 || got <= 0) return std::nullopt;
  Incoming in;
  in.bufid = got;
  struct pvmminfo info {};
  pvm_getminfo(got, &info);
  in.src = info.src;
  in.tag = info.tag;
  in.ctx = info.ctx;
  in.len = info.len;
  in.wid = info.wid;
  return in;
}

int send_control(int tid, const wire::Message& m, const std::function<int()>& extra, int seq) {
  BufferGuard keep;
  QuietGuard quiet;
  int buf = pvm_mkbuf(PvmDataDefault);
  if (buf < 0) return buf;
  pvm_setsbuf(buf);
  auto body = wire::encode_body(m);
  int head[4] = {wire::kMagic, wire::kVersion, static_cast<int>(wire::kind_of(m)),
                 static_cast<int>(body.size())};
  int rc = pvm_pkint(head, 4, 1);
  if (rc >= 0 && !body.empty())
    rc = pvm_pkbyte(reinterpret_cast<char*>(body.data()), static_cast<int>(body.size()), 1);
  if (rc >= 0 && extra) rc = extra();
  if (rc >= 0 && seq != 0) {
    struct pvmminfo info {};
    pvm_getminfo(buf, &info);
    info.wid = seq;
    pvm_setminfo(buf, &info);
  }
  if (rc >= 0) {
    ContextGuard ctx(wire::kContext);
    rc = pvm_send(tid, static_cast<int>(wire::kind_of(m)));
  }
  pvm_freebuf(buf);
  return rc;
}

ControlMessage::ControlMessage(const Incoming& in)
    : bufid_(in.bufid), saved_rbuf_(pvm_setrbuf(in.bufid)), src_(in.src) {
  try {
    open(in);
  } catch (...) {
    pvm_setrbuf(saved_rbuf_);
    pvm_freebuf(bufid_);
    throw;
  }
}

void ControlMessage::open(const Incoming& in) {
  QuietGuard quiet;
  int head[4] = {0, 0, 0, 0};
  if (pvm_upkint(head, 4, 1) < 0) throw wire::Malformed("control message without an envelope");
  if (head[0] != wire::kMagic) throw wire::Malformed("control message with a bad magic number");
  if (head[1] != wire::kVersion)
    throw wire::Malformed("control protocol version " + std::to_string(head[1]) +
                          " is not supported (want " + std::to_string(wire::kVersion) + ")");
  if (!wire::kind_known(head[2]) || head[2] != in.tag)
    throw wire::Malformed("control message of unknown kind " + std::to_string(head[2]));
  if (head[3] < 0 || head[3] > kMaxBody || head[3] > in.len)
    throw wire::Malformed("control message with an impossible length " + std::to_string(head[3]));
  std::vector<uint8_t> body(static_cast<size_t>(head[3]));
  if (!body.empty() &&
      pvm_upkbyte(reinterpret_cast<char*>(body.data()), head[3], 1) < 0)
    throw wire::Malformed("control message shorter than its length field");
  kind_ = static_cast<wire::Kind>(head[2]);
  msg_ = wire::decode_body(kind_, body.data(), body.size());
}

ControlMessage::~ControlMessage() {
  pvm_setrbuf(saved_rbuf_);
  pvm_freebuf(bufid_);
}

std::vector<int> ControlMessage::unpack_messages(int n) {
  QuietGuard quiet;
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    int mid = unpack_message();
    if (mid <= 0) {
      for (int b : out) pvm_freebuf(b);
      throw wire::Malformed("carried message " + std::to_string(i) + " of " + std::to_string(n) +
                            " is missing");
    }
    out.push_back(mid);
  }
  return out;
}

// libpvm's pvm_pkmesg writes every fragment of a message, also an empty
// one, but pvm_upkmesg reads fragments only while the message's length
// says more bytes follow: a message of no bytes (pvm_initsend and send, a
// "ready" or "stop" signal) leaves its empty fragment unread, and every
// message after it in the same buffer comes out garbled.  So an empty
// message travels as its envelope only, behind a flag.
namespace {
constexpr int kCarriedWhole = 0;  // pvm_pkmesg'd
constexpr int kCarriedEmpty = 1;  // ctx, tag, wid, src, dst
}  // namespace

int pack_message(int bufid) {
  struct pvmminfo info {};
  int rc = pvm_getminfo(bufid, &info);
  if (rc < 0) return rc;
  int how = info.len == 0 ? kCarriedEmpty : kCarriedWhole;
  if ((rc = pvm_pkint(&how, 1, 1)) < 0) return rc;
  if (how == kCarriedWhole) return pvm_pkmesg(bufid);
  int envelope[5] = {info.ctx, info.tag, info.wid, info.src, info.dst};
  return pvm_pkint(envelope, 5, 1);
}

int unpack_message() {
  int how = -1;
  if (pvm_upkint(&how, 1, 1) < 0) return PvmNoData;
  if (how == kCarriedWhole) return pvm_upkmesg();
  if (how != kCarriedEmpty) return PvmBadMsg;
  int envelope[5];
  if (pvm_upkint(envelope, 5, 1) < 0) return PvmNoData;
  int mid = pvm_mkbuf(PvmDataDefault);
  if (mid <= 0) return mid < 0 ? mid : PvmNoMem;
  struct pvmminfo info {};
  pvm_getminfo(mid, &info);
  info.ctx = envelope[0];
  info.tag = envelope[1];
  info.wid = envelope[2];
  info.src = envelope[3];
  info.dst = envelope[4];
  if (pvm_setminfo(mid, &info) < 0) {
    pvm_freebuf(mid);
    return PvmBadMsg;
  }
  return mid;
}

void log_unexpected_control(wire::Kind kind, int src) {
  spdlog::warn("unexpected-control: kind={} from={} (dropped)", wire::kind_name(kind), tid_str(src));
}

void log_malformed_control(const Incoming& in, const std::exception& e) {
  spdlog::warn("malformed-control: from={} tag={} bytes={}: {} (dropped)", tid_str(in.src), in.tag, in.len,
               e.what());
}

}  // namespace snow::pvmio
