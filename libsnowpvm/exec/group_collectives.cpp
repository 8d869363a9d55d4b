// pvm_bcast, pvm_reduce, pvm_gather and pvm_scatter for SNOW tasks, on top
// of SNOW's own send and receive (so they reach members wherever they
// run), with the member list from the scheduler, the caller's tag and the
// application's context, and PVM 3.4's semantics (its man pages).
//
// Safe under a migration of any member:
//  * a root that collects (reduce, gather) waits until every expected
//    message is in its received-message list without taking any, and may
//    migrate while it waits (they move with it); then it takes them all
//    with no migration point in between;
//  * a root that sends several messages (bcast, scatter) has no migration
//    point between its sends, so nothing is sent twice after a restore;
//  * a member that only sends does so once, in one call with no migration
//    point.
// Without a scheduler they are libgpvm3's.
#include "libsnowpvm/exec/group_calls.h"
#include "libsnowpvm/exec/snow_exec.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

#include <cstring>

namespace {

using snow::comm::Runtime;
using snow::wire::GroupOp;
using namespace snow::exec::groups;

using ReduceFn = void (*)(int*, void*, void*, int*, int*);

// Bytes of one element of `datatype` (as PVM's group library counts them).
int element_size(int datatype) {
  switch (datatype) {
    case PVM_STR: case PVM_BYTE: return static_cast<int>(sizeof(char));
    case PVM_SHORT: return static_cast<int>(sizeof(short));
    case PVM_INT: return static_cast<int>(sizeof(int));
    case PVM_LONG: return static_cast<int>(sizeof(long));
    case PVM_FLOAT: return static_cast<int>(sizeof(float));
    case PVM_DOUBLE: return static_cast<int>(sizeof(double));
    case PVM_CPLX: return static_cast<int>(2 * sizeof(float));
    case PVM_DCPLX: return static_cast<int>(2 * sizeof(double));
    default: return PvmBadParam;
  }
}

int pack(int datatype, void* p, int n) {
  switch (datatype) {
    case PVM_STR: return pvm_pkstr(static_cast<char*>(p));
    case PVM_BYTE: return pvm_pkbyte(static_cast<char*>(p), n, 1);
    case PVM_SHORT: return pvm_pkshort(static_cast<short*>(p), n, 1);
    case PVM_INT: return pvm_pkint(static_cast<int*>(p), n, 1);
    case PVM_LONG: return pvm_pklong(static_cast<long*>(p), n, 1);
    case PVM_FLOAT: return pvm_pkfloat(static_cast<float*>(p), n, 1);
    case PVM_DOUBLE: return pvm_pkdouble(static_cast<double*>(p), n, 1);
    case PVM_CPLX: return pvm_pkcplx(static_cast<float*>(p), n, 1);
    case PVM_DCPLX: return pvm_pkdcplx(static_cast<double*>(p), n, 1);
    default: return PvmBadParam;
  }
}

int unpack(int datatype, void* p, int n) {
  switch (datatype) {
    case PVM_STR: return pvm_upkstr(static_cast<char*>(p));
    case PVM_BYTE: return pvm_upkbyte(static_cast<char*>(p), n, 1);
    case PVM_SHORT: return pvm_upkshort(static_cast<short*>(p), n, 1);
    case PVM_INT: return pvm_upkint(static_cast<int*>(p), n, 1);
    case PVM_LONG: return pvm_upklong(static_cast<long*>(p), n, 1);
    case PVM_FLOAT: return pvm_upkfloat(static_cast<float*>(p), n, 1);
    case PVM_DOUBLE: return pvm_upkdouble(static_cast<double*>(p), n, 1);
    case PVM_CPLX: return pvm_upkcplx(static_cast<float*>(p), n, 1);
    case PVM_DCPLX: return pvm_upkdcplx(static_cast<double*>(p), n, 1);
    default: return PvmBadParam;
  }
}

// The group's members by instance, and the caller's and the root's place.
struct Members {
  int rc = 0;
  std::vector<int> tids;
  int me = -1;
};

Members members(Runtime& rt, const char* group) {
  auto r = ask(rt, GroupOp::Members, group);
  Members m;
  m.rc = r.rc;
  if (r.rc < 0) return m;
  m.tids = r.tids;
  for (size_t i = 0; i < m.tids.size(); ++i)
    if (m.tids[i] == rt.id.vtid) m.me = static_cast<int>(i);
  return m;
}

// PVM's collectives need instances 0 .. gsize-1 with no holes.
int check_root(const Members& m, int rootinst) {
  if (m.me < 0) return PvmNotInGroup;
  for (int t : m.tids)
    if (t == 0) return PvmNoInst;
  if (rootinst < 0 || rootinst >= static_cast<int>(m.tids.size())) return PvmNoInst;
  return 0;
}

// Send `n` elements at `p` to `vtid` in a buffer of our own (the
// program's active send buffer is left alone).
int send_elements(Runtime& rt, int vtid, int tag, int datatype, void* p, int n) {
  int mine = pvm_mkbuf(PvmDataDefault);
  int app = pvm_setsbuf(mine);
  int rc = pack(datatype, p, n);
  if (rc >= 0) rc = rt.sender().send(vtid, tag);
  pvm_setsbuf(app);
  pvm_freebuf(mine);
  return rc < 0 ? rc : 0;
}

// Wait until a message with `tag` in the application's context from each
// of `from` is in the received-message list, taking none; a migration may
// happen meanwhile (the list moves with the process).
int wait_for_all(Runtime& rt, const std::vector<int>& from, int tag) {
  const int ctx = pvm_getcontext();
  for (size_t told = from.size() + 1;;) {
    size_t listed = 0;
    for (int v : from)
      if (rt.rml.find(v, tag, ctx)) ++listed;
    if (listed == from.size()) return 0;
    if (listed != told)
      spdlog::info("group: waiting for {} of {} messages with tag {}", from.size() - listed, from.size(), tag);
    told = listed;
    int m = service_migration(rt);
    if (m == SnowUnwinding) {
      spdlog::info("group: collective call interrupted by a migration; called again on the destination");
      return m;
    }
    if (m > 0) continue;
    rt.pump(snow::pvmio::Wait::block());
  }
}

// Take the first message from `vtid` with `tag` (it is listed: see
// wait_for_all) and unpack `n` elements into `p`.
int take_elements(Runtime& rt, int vtid, int tag, int datatype, void* p, int n) {
  auto e = rt.rml.take(vtid, tag, pvm_getcontext());
  if (!e) return PvmSysErr;
  int app = pvm_setrbuf(e->bufid);
  int rc = unpack(datatype, p, n);
  pvm_setrbuf(app);
  pvm_freebuf(e->bufid);
  return rc < 0 ? rc : 0;
}

bool scheduler_serves() {
  try {
    return served_by_scheduler(Runtime::get());
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

extern "C" {

// Not a migration point: the member list, then one send per member.
int snow_bcast(char* group, int msgtag) {
  if (!group || !*group) return PvmNullGroup;
  if (!scheduler_serves()) return pvm_bcast(group, msgtag);
  return guarded("snow_bcast", [&](Runtime& rt) {
    Members m = members(rt, group);
    if (m.rc < 0) return m.rc;
    spdlog::info("group: bcast '{}' tag {} to the {} other members", group, msgtag, m.rc - (m.me >= 0 ? 1 : 0));
    int first_error = 0;
    for (int t : m.tids) {
      if (t == 0 || t == rt.id.vtid) continue;  // as pvm_bcast: not to itself
      int rc = rt.sender().send(t, msgtag);
      if (rc < 0 && first_error == 0) first_error = rc;
    }
    return first_error;
  });
}

int snow_reduce(void (*func)(int*, void*, void*, int*, int*), void* data, int count, int datatype, int msgtag,
                char* group, int rootinst) {
  if (!group || !*group) return PvmNullGroup;
  if (!scheduler_serves()) return pvm_reduce(func, data, count, datatype, msgtag, group, rootinst);
  if (!data || count <= 0 || !func) return PvmBadParam;
  int size = element_size(datatype);
  if (size < 0 || datatype == PVM_STR) return PvmBadParam;
  return guarded("snow_reduce", [&](Runtime& rt) {
    Members m = members(rt, group);
    if (m.rc < 0) return m.rc;
    if (int bad = check_root(m, rootinst)) return bad;
    if (m.me != rootinst) return send_elements(rt, m.tids[static_cast<size_t>(rootinst)], msgtag, datatype, data, count);
    std::vector<int> from;
    for (int t : m.tids)
      if (t != rt.id.vtid) from.push_back(t);
    if (int rc = wait_for_all(rt, from, msgtag)) return rc;
    // All listed: combined in instance order, no migration point from here.
    std::vector<char> work(static_cast<size_t>(size) * static_cast<size_t>(count));
    int first_error = 0;
    for (int t : from) {
      int rc = take_elements(rt, t, msgtag, datatype, work.data(), count);
      if (rc < 0) {
        if (!first_error) first_error = rc;
        continue;
      }
      int dt = datatype, n = count, info = 0;
      snow_exec_inhibit_enter();  // the program's function runs inside ours: no unwinding through it
      func(&dt, data, work.data(), &n, &info);
      snow_exec_inhibit_leave();
      if (info < 0 && !first_error) first_error = info;
    }
    return first_error;
  });
}

int snow_gather(void* result, void* data, int count, int datatype, int msgtag, char* group, int rootinst) {
  if (!group || !*group) return PvmNullGroup;
  if (!scheduler_serves()) return pvm_gather(result, data, count, datatype, msgtag, group, rootinst);
  if (!data || count <= 0) return PvmBadParam;
  int size = element_size(datatype);
  if (size < 0) return PvmBadParam;
  return guarded("snow_gather", [&](Runtime& rt) {
    Members m = members(rt, group);
    if (m.rc < 0) return m.rc;
    if (int bad = check_root(m, rootinst)) return bad;
    if (m.me != rootinst) return send_elements(rt, m.tids[static_cast<size_t>(rootinst)], msgtag, datatype, data, count);
    if (!result) return PvmBadParam;
    std::vector<int> from;
    for (int t : m.tids)
      if (t != rt.id.vtid) from.push_back(t);
    if (int rc = wait_for_all(rt, from, msgtag)) return rc;
    const size_t stride = static_cast<size_t>(size) * static_cast<size_t>(count);
    int first_error = 0;
    for (size_t i = 0; i < m.tids.size(); ++i) {
      char* at = static_cast<char*>(result) + i * stride;
      if (static_cast<int>(i) == m.me) {
        std::memmove(at, data, stride);
        continue;
      }
      int rc = take_elements(rt, m.tids[i], msgtag, datatype, at, count);
      if (rc < 0 && !first_error) first_error = rc;
    }
    return first_error;
  });
}

int snow_scatter(void* result, void* data, int count, int datatype, int msgtag, char* group, int rootinst) {
  if (!group || !*group) return PvmNullGroup;
  if (!scheduler_serves()) return pvm_scatter(result, data, count, datatype, msgtag, group, rootinst);
  if (!result || count <= 0) return PvmBadParam;
  int size = element_size(datatype);
  if (size < 0) return PvmBadParam;
  return guarded("snow_scatter", [&](Runtime& rt) {
    Members m = members(rt, group);
    if (m.rc < 0) return m.rc;
    if (int bad = check_root(m, rootinst)) return bad;
    const int root = m.tids[static_cast<size_t>(rootinst)];
    if (m.me != rootinst) {
      if (int rc = wait_for_all(rt, {root}, msgtag)) return rc;
      return take_elements(rt, root, msgtag, datatype, result, count);
    }
    if (!data) return PvmBadParam;
    const size_t stride = static_cast<size_t>(size) * static_cast<size_t>(count);
    int first_error = 0;
    for (size_t i = 0; i < m.tids.size(); ++i) {  // no migration point between these sends
      char* part = static_cast<char*>(data) + i * stride;
      if (static_cast<int>(i) == m.me) {
        std::memmove(result, part, stride);
        continue;
      }
      int rc = send_elements(rt, m.tids[i], msgtag, datatype, part, count);
      if (rc < 0 && !first_error) first_error = rc;
    }
    return first_error;
  });
}

}  // extern "C"
