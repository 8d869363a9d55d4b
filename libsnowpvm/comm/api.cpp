// The C API of snowpvm.h for communication: drop-in twins of the pvm_*
// task and message calls.  Each one follows the wrapper discipline: enrol
// on first use, run the safe point (pending SIGUSR2 work) on entry, call
// into the protocol roles, never let an exception or a stray errno escape.
#include "libsnowpvm/comm/exit_report.h"
#include "libsnowpvm/comm/guarded_call.h"
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/spawner_env.h"
#include "libsnowpvm/comm/trace_calls.h"
#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/virtual_tids.h"
#include "libsnowpvm/comm/user_matching.h"
#include "libsnowpvm/util/error.h"
#include "snowpvm.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <pvmtev.h>

#include <cerrno>
#include <vector>

namespace {

using snow::comm::Runtime;

template <class F>
int guarded(const char* call, F&& body) {
  return snow::comm::guarded_call(call, std::forward<F>(body));
}

// Bytes of `len` items of PVM data type `dt` (as pvm_psend).
int psend_bytes(int len, int dt) {
  switch (dt) {
    case PVM_BYTE: return len;
    case PVM_SHORT: case PVM_USHORT: return len * static_cast<int>(sizeof(short));
    case PVM_INT: case PVM_UINT: return len * static_cast<int>(sizeof(int));
    case PVM_LONG: case PVM_ULONG: return len * static_cast<int>(sizeof(long));
    case PVM_FLOAT: return len * static_cast<int>(sizeof(float));
    case PVM_CPLX: return len * static_cast<int>(2 * sizeof(float));
    case PVM_DOUBLE: return len * static_cast<int>(sizeof(double));
    case PVM_DCPLX: return len * static_cast<int>(2 * sizeof(double));
    case PVM_STR: return PvmNotImpl;
    default: return PvmBadParam;
  }
}

// libpvm runs message handlers in its sends too (they read its socket):
// after a send, the program's handlers take what has come in for them.
int after_send(Runtime& rt, int rc) {
  if (rc >= 0 && snow::comm::user_matching.after_send) snow::comm::user_matching.after_send(rt);
  return rc;
}

int located_real(Runtime& rt, int vtid) { return snow::comm::current_real_of(rt, vtid); }

}  // namespace

extern "C" {

int snow_mytid(void) {
  return guarded("snow_mytid", [](Runtime& rt) {
    snow::comm::trace::calls::mytid(rt.id.vtid);
    return rt.id.vtid;
  });
}

int snow_parent(void) {
  return guarded("snow_parent", [](Runtime& rt) {
    int cc = rt.id.parent ? rt.id.parent : PvmNoParent;
    snow::comm::trace::calls::parent(cc);
    return cc;
  });
}

int snow_siblings(int** tids) {
  return guarded("snow_siblings", [&](Runtime& rt) {
    if (tids) *tids = rt.id.siblings.data();
    return static_cast<int>(rt.id.siblings.size());
  });
}

int snow_exit(void) {
  return guarded("snow_exit", [](Runtime& rt) {
    // Copies of messages sent to a provisional process are ours to
    // redeliver if its migration is aborted: wait until it is resolved.
    if (!rt.wait_until([&] { return !rt.pl.any_provisional(); }, std::chrono::seconds(120)))
      spdlog::error("exit: a peer's migration is still unresolved; copies kept for it are dropped");
    if (int sched = rt.services.scheduler()) {
      snow::wire::Exiting m;
      m.vtid = rt.id.vtid;
      m.real = rt.id.real;
      rt.send_control(sched, m);
    }
    snow::comm::trace::calls::exit_entry();
    spdlog::info("exit: vtid={} rml_left={}", snow::tid_str(rt.id.vtid), rt.rml.size());
    spdlog::default_logger()->flush();
    // Started by `snow run`: the exit-status report still needs PVM.
    return snow::comm::exit_report::defers_pvm_exit() ? 0 : pvm_exit();
  });
}

int snow_spawn(char* file, char** argv, int flags, char* where, int ntask, int* tids) {
  // A child's first real tid is its virtual tid; it learns ours from
  // SNOW_SPAWNER (spawner_env.h).
  return guarded("snow_spawn", [&](Runtime& rt) {
    snow::comm::spawner_env::Export mine(rt.id.real, rt.id.vtid);
    snow::comm::trace::calls::spawn_entry(file, where, flags, ntask);
    int cc = pvm_spawn(file, argv, flags, where, ntask, tids);
    snow::comm::trace::calls::spawn_exit(cc, tids);
    return cc;
  });
}

int snow_kill(int tid) {
  return guarded("snow_kill", [&](Runtime& rt) {
    int real = located_real(rt, tid);
    return real < 0 ? real : pvm_kill(real);
  });
}

int snow_pstat(int tid) {
  return guarded("snow_pstat", [&](Runtime& rt) {
    int real = located_real(rt, tid);
    return real < 0 ? real : pvm_pstat(real);
  });
}

int snow_tidtohost(int tid) {
  return guarded("snow_tidtohost", [&](Runtime& rt) {
    int real = located_real(rt, tid);
    // A task that has ended: the host it was on, as pvm_tidtohost says.
    return pvm_tidtohost(real > 0 ? real : tid);
  });
}

int snow_sendsig(int tid, int signum) {
  return guarded("snow_sendsig", [&](Runtime& rt) {
    int real = located_real(rt, tid);
    return real < 0 ? real : pvm_sendsig(real, signum);
  });
}

int snow_send(int tid, int tag) {
  return guarded("snow_send", [&](Runtime& rt) {
    snow::comm::trace::calls::send_entry(tid, tag);
    int rc = after_send(rt, rt.sender().send(tid, tag));
    snow::comm::trace::calls::cc_exit(TEV_SEND, rc < 0 ? rc : 0);
    return rc;
  });
}

int snow_mcast(int* tids, int ntask, int tag) {
  if (ntask < 0 || (ntask > 0 && !tids)) return PvmBadParam;
  return guarded("snow_mcast", [&](Runtime& rt) {
    snow::comm::trace::calls::mcast_entry(tids, ntask, tag);
    int first_error = 0;
    for (int i = 0; i < ntask; ++i) {
      int rc = rt.sender().send(tids[i], tag);
      if (rc < 0 && first_error == 0) first_error = rc;
    }
    int rc = after_send(rt, first_error);
    snow::comm::trace::calls::cc_exit(TEV_MCAST, rc);
    return rc;
  });
}

int snow_psend(int tid, int tag, void* buf, int len, int datatype) {
  int bytes = psend_bytes(len, datatype);
  if (bytes < 0) return bytes;
  return guarded("snow_psend", [&](Runtime& rt) {
    snow::comm::trace::calls::psend_entry(tid, tag, len, datatype);
    // As libpvm's pvm_psend: the bytes, raw (unconverted), so that a
    // receiver may also take them with pvm_recv and pvm_upk<type>.
    int mine = pvm_mkbuf(PvmDataRaw);
    int app = pvm_setsbuf(mine);
    pvm_pkbyte(static_cast<char*>(buf), bytes, 1);
    int rc = rt.sender().send(tid, tag);
    pvm_setsbuf(app);
    pvm_freebuf(mine);
    rc = after_send(rt, rc);
    snow::comm::trace::calls::psend_exit(rc);
    return rc;
  });
}

int snow_recv(int tid, int tag) {
  return guarded("snow_recv", [&](Runtime& rt) {
    snow::comm::trace::calls::recv_entry(TEV_RECV, tid, tag);
    int bufid = rt.receiver().recv(tid, tag, snow::pvmio::Wait::block());
    snow::comm::trace::calls::recv_exit(TEV_RECV, bufid);
    return bufid;
  });
}

int snow_nrecv(int tid, int tag) {
  return guarded("snow_nrecv", [&](Runtime& rt) {
    snow::comm::trace::calls::recv_entry(TEV_NRECV, tid, tag);
    int bufid = rt.receiver().recv(tid, tag, snow::pvmio::Wait::poll());
    snow::comm::trace::calls::recv_exit(TEV_NRECV, bufid);
    return bufid;
  });
}

int snow_trecv(int tid, int tag, struct timeval* tmout) {
  return guarded("snow_trecv", [&](Runtime& rt) {
    auto how = snow::pvmio::Wait::block();
    if (tmout)
      how = snow::pvmio::Wait::upto(std::chrono::seconds(tmout->tv_sec) +
                                    std::chrono::microseconds(tmout->tv_usec));
    snow::comm::trace::calls::recv_entry(TEV_TRECV, tid, tag);
    int bufid = rt.receiver().recv(tid, tag, how);
    snow::comm::trace::calls::recv_exit(TEV_TRECV, bufid);
    return bufid;
  });
}

int snow_probe(int tid, int tag) {
  return guarded("snow_probe", [&](Runtime& rt) {
    snow::comm::trace::calls::probe_entry(tid, tag);
    int cc = rt.receiver().recv(tid, tag, snow::pvmio::Wait::poll(), /*remove=*/false);
    snow::comm::trace::calls::probe_exit(cc);
    return cc;
  });
}

int snow_precv(int tid, int tag, void* buf, int len, int datatype, int* rtid, int* rtag, int* rlen) {
  int want = psend_bytes(len, datatype);
  if (want < 0) return want;
  return guarded("snow_precv", [&](Runtime& rt) {
    snow::comm::trace::calls::precv_entry(tid, tag, len, datatype);
    int app = pvm_setrbuf(0);
    int bufid = rt.receiver().recv(tid, tag, snow::pvmio::Wait::block());
    int nb = 0, mc = 0, src = 0;
    if (bufid > 0) {
      pvm_bufinfo(bufid, &nb, &mc, &src);
      if (rlen) *rlen = nb;
      if (rtag) *rtag = mc;
      if (rtid) *rtid = src;
      pvm_upkbyte(static_cast<char*>(buf), nb < want ? nb : want, 1);
      pvm_freebuf(bufid);
    }
    pvm_setrbuf(app);
    snow::comm::trace::calls::precv_exit(bufid > 0 ? 0 : bufid, nb, mc, src);
    return bufid > 0 ? 0 : bufid;
  });
}

int snow_bufinfo(int bufid, int* bytes, int* msgtag, int* tid) {
  // Messages are labelled with their sender's virtual tid on arrival.
  return pvm_bufinfo(bufid, bytes, msgtag, tid);
}

const char* snow_strerror(int status) {
  switch (status) {
    case 0: return "ok";
    case SnowTerminated: return "the destination task has exited";
    case SnowNoScheduler: return "the SNOW services (scheduler or daemon extension) cannot be reached";
    case SnowProtocol: return "malformed or unexpected control message";
    case SnowMigrateFail: return "the migration could not complete; the process continues where it was";
    case SnowBadState: return "corrupt or incompatible state stream";
    case SnowNotMigratable: return "the state cannot be moved to the destination";
    case SnowUnwinding: return "interrupted by a migration: unwind to the caller";
    default: return status < 0 ? snow::pvm_error_name(status) : "ok";
  }
}

}  // extern "C"
