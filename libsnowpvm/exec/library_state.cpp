// State owned by libraries rather than by the program: memory libpvm
// returns (copied into memory blocks so it can migrate).  Open files are
// in open_files.cpp, PVM groups in groups.cpp.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/comm/trace_events.h"
#include "libsnowpvm/comm/virtual_tids.h"
#include "libsnowpvm/exec/descriptors.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/util/log.h"

#include <string>

namespace {

const snow_field kHostFields[] = {
    snow::exec::field("hi_tid", &snow_type_int, offsetof(pvmhostinfo, hi_tid)),
    snow::exec::field("hi_name", &snow_type_string, offsetof(pvmhostinfo, hi_name)),
    snow::exec::field("hi_arch", &snow_type_string, offsetof(pvmhostinfo, hi_arch)),
    snow::exec::field("hi_speed", &snow_type_int, offsetof(pvmhostinfo, hi_speed)),
    snow::exec::field("hi_dsig", &snow_type_int, offsetof(pvmhostinfo, hi_dsig)),
};
const snow_type kHostType =
    snow::exec::record("struct pvmhostinfo", sizeof(pvmhostinfo), alignof(pvmhostinfo), 5, kHostFields);

const snow_field kTaskFields[] = {
    snow::exec::field("ti_tid", &snow_type_int, offsetof(pvmtaskinfo, ti_tid)),
    snow::exec::field("ti_ptid", &snow_type_int, offsetof(pvmtaskinfo, ti_ptid)),
    snow::exec::field("ti_host", &snow_type_int, offsetof(pvmtaskinfo, ti_host)),
    snow::exec::field("ti_flag", &snow_type_int, offsetof(pvmtaskinfo, ti_flag)),
    snow::exec::field("ti_a_out", &snow_type_string, offsetof(pvmtaskinfo, ti_a_out)),
    snow::exec::field("ti_pid", &snow_type_int, offsetof(pvmtaskinfo, ti_pid)),
};
const snow_type kTaskType =
    snow::exec::record("struct pvmtaskinfo", sizeof(pvmtaskinfo), alignof(pvmtaskinfo), 6, kTaskFields);

// The copies handed out last; PVM's own memory is valid until the next call.
pvmhostinfo* g_hosts = nullptr;
int g_nhosts = 0;
pvmtaskinfo* g_tasks = nullptr;
int g_ntasks = 0;
int* g_siblings = nullptr;

void free_hosts() {
  for (int i = 0; i < g_nhosts; ++i) {
    snow_free(g_hosts[i].hi_name);
    snow_free(g_hosts[i].hi_arch);
  }
  snow_free(g_hosts);
  g_hosts = nullptr;
  g_nhosts = 0;
}

void free_tasks() {
  for (int i = 0; i < g_ntasks; ++i) snow_free(g_tasks[i].ti_a_out);
  snow_free(g_tasks);
  g_tasks = nullptr;
  g_ntasks = 0;
}

char* dup_or_null(const char* s) { return s ? snow_strdup(s) : nullptr; }

}  // namespace

extern "C" {

int snow_exec_config(int* nhost, int* narch, pvmhostinfo** hostp) {
  int n = 0, a = 0;
  pvmhostinfo* lib = nullptr;
  int rc = pvm_config(&n, &a, &lib);
  if (nhost) *nhost = n;
  if (narch) *narch = a;
  if (rc < 0) return rc;
  free_hosts();
  g_hosts = static_cast<pvmhostinfo*>(snow_calloc(static_cast<size_t>(n > 0 ? n : 1), sizeof(pvmhostinfo), &kHostType));
  for (int i = 0; i < n; ++i) {
    g_hosts[i] = lib[i];
    g_hosts[i].hi_name = dup_or_null(lib[i].hi_name);
    g_hosts[i].hi_arch = dup_or_null(lib[i].hi_arch);
  }
  g_nhosts = n;
  if (hostp) *hostp = g_hosts;
  return rc;
}

int snow_exec_tasks(int where, int* ntask, pvmtaskinfo** taskp) {
  int n = 0;
  pvmtaskinfo* lib = nullptr;
  // One task, named by its virtual tid: the process that holds it now.
  int asked = where;
  snow::comm::trace::Untraced own_call;  // the runtime's snow_mytid, not the application's
  if (snow::wire::is_task_tid(where) && snow_mytid() > 0) {
    where = snow::comm::current_real_of(snow::comm::Runtime::get(), where);
    if (where < 0) {
      if (ntask) *ntask = 0;
      return where;
    }
  }
  int rc = pvm_tasks(where, &n, &lib);
  if (ntask) *ntask = n;
  if (rc < 0) return rc;
  free_tasks();
  g_tasks = static_cast<pvmtaskinfo*>(snow_calloc(static_cast<size_t>(n > 0 ? n : 1), sizeof(pvmtaskinfo), &kTaskType));
  for (int i = 0; i < n; ++i) {
    g_tasks[i] = lib[i];
    // The tids the application uses: virtual where this process knows the
    // task (itself, its peers); a task it never heard of that has moved is
    // listed with its current real tid (doc/precomp.md).
    g_tasks[i].ti_tid = lib[i].ti_tid == where && asked != where ? asked : snow::comm::virtual_tid_of(lib[i].ti_tid);
    g_tasks[i].ti_ptid = snow::comm::virtual_tid_of(lib[i].ti_ptid);
    g_tasks[i].ti_a_out = dup_or_null(lib[i].ti_a_out);
  }
  g_ntasks = n;
  if (taskp) *taskp = g_tasks;
  return rc;
}

int snow_exec_siblings(int** tids) {
  int* lib = nullptr;
  int n = snow_siblings(&lib);
  if (n < 0) return n;
  snow_free(g_siblings);
  g_siblings = static_cast<int*>(snow_calloc(static_cast<size_t>(n > 0 ? n : 1), sizeof(int), &snow_type_int));
  for (int i = 0; i < n; ++i) g_siblings[i] = lib[i];
  if (tids) *tids = g_siblings;
  return n;
}

}  // extern "C"
