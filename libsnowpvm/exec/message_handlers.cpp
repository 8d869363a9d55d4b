// Message handlers (pvm_addmhf, pvm_delmhf) and the receive matcher
// (pvm_recvf), kept where they migrate.
//
// libpvm would keep them in its own tables and apply them to its own
// message queue, but the SNOW runtime empties that queue into the
// received-message list (libsnowpvm/comm/runtime.cpp), and libpvm's
// tables stay behind when the task moves.  So the registrations are held
// here, in a table tracked as a root of the memory state (function
// pointers travel by name through the function table the pre-compiler
// builds), and the communication runtime consults them through the hooks
// of comm/user_matching.h, with PVM 3.4's semantics (src/lpvmgen.c
// mesg_input, pvm_recv, pvm_addmhf):
//   * A handler runs for each incoming message whose source, tag and
//     context match its registration (-1 matches anything), instead of the
//     message being received; it runs inside the receive and send calls,
//     where SNOW takes messages in, with the message as the active receive buffer, an
//     empty send buffer and the message's context, all three put back (and
//     the buffers it leaves freed) when it returns.  A registration that
//     could match the same message as an existing one is refused
//     (PvmExists), so at most one handler matches any message.  Unlike
//     libpvm, which decides when it reads a message in, a handler also
//     takes listed messages that came before it was registered.
//   * The matcher, when set, decides for pvm_recv, pvm_nrecv, pvm_trecv,
//     pvm_probe and pvm_precv which listed message is taken: < 0 returns
//     that error, 0 skips, 1 takes the message at once, > 1 takes the
//     highest ranked one after looking at all.  pvm_recvf returns the
//     previous matcher, 0 for the default (as the man page says), and
//     pvm_recvf(0) restores the default.
// Handler ids are this table's indices, not libpvm's (which counts its own
// internal handlers first); programs cannot rely on either.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/user_matching.h"
#include "libsnowpvm/exec/descriptors.h"
#include "libsnowpvm/exec/snow_exec.h"
#include "libsnowpvm/util/log.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

// libpvm's error code of the last call (defined in libpvm, not in pvm3.h).
extern "C" int pvm_errno;

namespace {

using snow::comm::Rml;
using snow::comm::RmlEntry;
using snow::comm::Runtime;

// How many message handlers may be registered at once (libpvm has no
// fixed bound; pvm_addmhf answers PvmNoMem beyond this one).
constexpr int kMaxMessageHandlers = 64;

using Handler = int (*)(int);
using Matcher = int (*)(int, int, int);

// Plain fields only: the table is described to the memory-state runtime.
struct HandlerSlot {
  int32_t used;
  int32_t src;  // virtual tid or -1
  int32_t tag;
  int32_t ctx;
  Handler fn;
};

HandlerSlot g_handlers[kMaxMessageHandlers];
Matcher g_matcher = nullptr;
bool g_running = false;  // a handler is running (they do not nest)

const snow_type kHandlerType = snow::exec::funcptr("int (*)(int)");
const snow_type kMatcherType = snow::exec::funcptr("int (*)(int, int, int)");
const snow_field kSlotFields[] = {
    snow::exec::field("used", &snow_type_int32, offsetof(HandlerSlot, used)),
    snow::exec::field("src", &snow_type_int32, offsetof(HandlerSlot, src)),
    snow::exec::field("tag", &snow_type_int32, offsetof(HandlerSlot, tag)),
    snow::exec::field("ctx", &snow_type_int32, offsetof(HandlerSlot, ctx)),
    snow::exec::field("fn", &kHandlerType, offsetof(HandlerSlot, fn)),
};
const snow_type kSlotType = snow::exec::record("struct snow_lib_message_handler", sizeof(HandlerSlot),
                                               alignof(HandlerSlot), 5, kSlotFields);

bool wild_or_equal(int want, int have) { return want == -1 || want == have; }

bool matches(const HandlerSlot& h, const RmlEntry& e) {
  return h.used && wild_or_equal(h.src, e.src) && wild_or_equal(h.tag, e.tag) && wild_or_equal(h.ctx, e.ctx);
}

// Two registrations that could both match one message (wildcards either way).
bool overlap(const HandlerSlot& h, int src, int tag, int ctx) {
  auto meet = [](int a, int b) { return a == -1 || b == -1 || a == b; };
  return h.used && meet(h.src, src) && meet(h.tag, tag) && meet(h.ctx, ctx);
}

// As libpvm reports a failed call when PvmAutoErr is on.
int lpvm_error(const char* call, int code) {
  pvm_errno = code;
  if (pvm_getopt(PvmAutoErr) > 0) {
    std::string where = std::string(call) + "()";
    pvm_perror(where.data());
    fflush(stderr);
  }
  return code;
}

void invoke(Handler fn, const RmlEntry& e) {
  spdlog::debug("mhf: handler for src={} tag={} ctx={} buf={}", snow::tid_str(e.src), e.tag, e.ctx, e.bufid);
  int saved_sbuf = pvm_setsbuf(0);
  int saved_rbuf = pvm_setrbuf(e.bufid);
  int saved_ctx = pvm_setcontext(e.ctx);
  fn(e.bufid);
  pvm_setcontext(saved_ctx);
  if (int left = pvm_setsbuf(saved_sbuf); left > 0) pvm_freebuf(left);
  if (int left = pvm_setrbuf(saved_rbuf); left > 0) pvm_freebuf(left);
}

void run_handlers(Runtime& rt) {
  if (g_running || rt.phase != snow::comm::Phase::Normal) return;
  g_running = true;
  struct Reset {
    ~Reset() { g_running = false; }
  } reset;
  for (;;) {
    // Look again from the front each time: a handler may receive more.
    Handler fn = nullptr;
    RmlEntry hit;
    for (const RmlEntry& e : rt.rml.entries()) {
      for (const HandlerSlot& h : g_handlers)
        if (matches(h, e)) {
          fn = h.fn;
          break;
        }
      if (fn) {
        hit = e;
        break;
      }
    }
    if (!fn) return;
    rt.rml.take_buffer(hit.bufid);
    invoke(fn, hit);
  }
}

void after_send(Runtime& rt) {
  bool any = false;
  for (const HandlerSlot& h : g_handlers) any = any || h.used;
  if (!any || g_running || rt.phase != snow::comm::Phase::Normal) return;
  rt.pump_available();
  run_handlers(rt);
}

bool pick(const Rml& rml, int tid, int tag, std::optional<RmlEntry>& picked, int& status) {
  if (!g_matcher) return false;
  Matcher match = g_matcher;
  picked.reset();
  status = 0;
  int best = 0;
  // By index: the matcher may call into PVM, which may list new messages.
  for (size_t i = 0; i < rml.size(); ++i) {
    RmlEntry e = rml.entries()[i];
    int cc = match(e.bufid, tid, tag);
    if (cc < 0) {
      picked.reset();
      status = cc;
      return true;
    }
    if (cc == 1) {
      picked = e;
      return true;
    }
    if (cc > best) {
      best = cc;
      picked = e;
    }
  }
  return true;
}

// Registered before main(), so that a destination knows these roots when
// the source's state names them (a restore refuses unknown ones).
__attribute__((constructor)) void track_message_handlers() {
  snow::comm::user_matching.run_handlers = run_handlers;
  snow::comm::user_matching.after_send = after_send;
  snow::comm::user_matching.pick = pick;
  if (snow_track(g_handlers, snow_array_of(&kSlotType, kMaxMessageHandlers), "libpvm:mhf.handlers") < 0 ||
      snow_track(&g_matcher, &kMatcherType, "libpvm:recvf.matcher") < 0)
    spdlog::warn("exec: cannot register the message handlers (pvm_addmhf, pvm_recvf)");
}

}  // namespace

extern "C" {

int snow_addmhf(int src, int tag, int ctx, int (*fn)(int)) {
  for (const HandlerSlot& h : g_handlers)
    if (overlap(h, src, tag, ctx)) return lpvm_error("pvm_addmhf", PvmExists);
  for (int i = 0; i < kMaxMessageHandlers; ++i) {
    HandlerSlot& h = g_handlers[i];
    if (h.used) continue;
    h = HandlerSlot{1, src, tag, ctx, fn};
    spdlog::debug("mhf: added {} src={} tag={} ctx={}", i, snow::tid_str(src), tag, ctx);
    return i;
  }
  return lpvm_error("pvm_addmhf", PvmNoMem);
}

int snow_delmhf(int mhid) {
  if (mhid < 0) return lpvm_error("pvm_delmhf", PvmBadParam);
  if (mhid >= kMaxMessageHandlers || !g_handlers[mhid].used) return lpvm_error("pvm_delmhf", PvmNotFound);
  g_handlers[mhid] = HandlerSlot{};
  spdlog::debug("mhf: deleted {}", mhid);
  return PvmOk;
}

int (*snow_recvf(int (*fn)(int, int, int)))(int, int, int) {
  Matcher old = g_matcher;
  g_matcher = fn;
  return old;
}

}  // extern "C"
