// The program as a whole: registration of pre-compiled units, the start of
// main() (fresh or restored), and the end of unwinding in main().
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/exec/signal_handlers.h"
#include "libsnowpvm/util/log.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

// Filled by constructors before main(): a plain pointer, no C++ static
// initialisation involved.
snow_exec_unit* g_units = nullptr;

void register_units() {
  // Frame records are heap blocks of the generated `struct __snow_frame_*`
  // types, reached only through `struct snow_frame *`: the memory-state
  // runtime finds their native layout by name, so every descriptor of
  // every unit is made known before snow_start() restores anything.
  const snow_type* header[] = {&snow_exec_frame_type};
  if (snow_register_types(header, 1) != 0) spdlog::warn("exec: cannot register the frame header type");
  for (snow_exec_unit* u = g_units; u; u = u->next) {
    if (u->ntypes && snow_register_types(u->types, u->ntypes) != 0)
      spdlog::warn("exec: cannot register the types of {}", u->file);
    for (size_t i = 0; i < u->nglobals; ++i) {
      const snow_exec_global& g = u->globals[i];
      if (snow_track(g.addr, g.type, g.name) < 0)
        spdlog::warn("exec: cannot register global {} of {}", g.name, u->file);
    }
    for (size_t i = 0; i < u->nfunctions; ++i)
      snow_register_function(u->functions[i].fn, u->functions[i].name);
    spdlog::debug("exec: unit registered: file={} globals={} functions={} types={}", u->file, u->nglobals,
                  u->nfunctions, u->ntypes);
  }
}

// argv points into memory the process got from the kernel; copied into
// memory blocks, it migrates like any other data.
void copy_argv(int* argc, char*** argv) {
  if (!argc || !argv || !*argv) return;
  int n = *argc;
  auto** copy = static_cast<char**>(snow_calloc(static_cast<size_t>(n) + 1, sizeof(char*), &snow_type_string));
  if (!copy) return;
  for (int i = 0; i < n; ++i) copy[i] = (*argv)[i] ? snow_strdup((*argv)[i]) : nullptr;
  *argv = copy;
}

// A program that calls libpvm, or runs with SNOW_TASK=1 (set by `snow
// run`), or was started to receive a migrated process, is a SNOW task.
bool uses_pvm() {
  for (snow_exec_unit* u = g_units; u; u = u->next)
    if (u->uses_pvm) return true;
  return false;
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::strcmp(v, "0") != 0;
}

// Whether libpvm can find a pvmd to enrol with, asked without libpvm: when
// there is none, pvm_mytid() prints its own complaints on standard error,
// and as root without PVM_ALLOW_ROOT it ends the process.  A task spawned
// by pvmd has PVMSOCK; otherwise the daemon's address file must exist
// (PVM_TMP or /tmp, "pvmd.<uid>[.<PVM_VMID>]", as libpvm names it).
bool daemon_reachable(std::string& why) {
  if (::getuid() == 0 && !std::getenv("PVM_ALLOW_ROOT")) {
    why = "running as root without PVM_ALLOW_ROOT";
    return false;
  }
  if (env_set("PVMSOCK")) return true;
  const char* tmp = std::getenv("PVM_TMP");
  std::string file = std::string(tmp && *tmp ? tmp : "/tmp") + "/pvmd." + std::to_string(::getuid());
  if (const char* vmid = std::getenv("PVM_VMID"); vmid && *vmid) file += std::string(".") + vmid;
  if (::access(file.c_str(), F_OK) != 0) {
    why = "no " + file;
    return false;
  }
  return true;
}

}  // namespace

extern "C" {

void snow_exec_add_unit(snow_exec_unit* unit) {
  unit->next = g_units;
  g_units = unit;
}

void snow_exec_for_each_type(void (*fn)(const snow_type* type, void* arg), void* arg) {
  fn(&snow_exec_frame_type, arg);
  for (snow_exec_unit* u = g_units; u; u = u->next)
    for (size_t i = 0; i < u->ntypes; ++i) fn(u->types[i], arg);
}

void snow_exec_main_enter(int* argc, char*** argv) {
  if (snow::exec::precompiled()) return;  // main() called again by the program
  snow::exec::set_precompiled();
  // Never on standard output: that is the program's.  The communication
  // runtime moves the log to the task's log file when it enrols.
  snow::log::init("task", {}, spdlog::level::info);
  register_units();
  snow::exec::track_chain();
  // main() may not take argv (K&R `main()`): ask the C library.
  std::string program = program_invocation_short_name ? program_invocation_short_name : "";
  copy_argv(argc, argv);
  // A migration request met inside a blocking message call makes it
  // return SnowUnwinding (the call unwinds) instead of migrating from there.
  // Selecting the model also enrols the task (pvm_mytid and the scheduler),
  // which moves the log to the task's log file.
  const bool restoring = env_set("SNOW_RESTORE");
  const bool task = uses_pvm() || env_set("SNOW_TASK") || restoring;
  bool enrolled = false;
  std::string unreachable;
  if (task && !uses_pvm() && !restoring && !daemon_reachable(unreachable)) {
    spdlog::warn("snow: SNOW_TASK is set but no PVM daemon is reachable ({}); running without migration",
                 unreachable);
  } else if (task) {
    snow::comm::set_exec_model(snow::comm::ExecModel::Precompiled);
    int st = snow::comm::Runtime::get().start_status();
    enrolled = st >= 0;
    snow::exec::set_enrolled(enrolled);
    if (!enrolled && restoring) {
      spdlog::critical("exec: this process was started to receive a migrated process, but it cannot "
                       "reach its PVM daemon: {}", snow_strerror(st));
      std::exit(1);
    }
    if (!enrolled)
      spdlog::warn("snow: no PVM daemon reachable ({}); running without migration", snow_strerror(st));
  }
  // After enrolling: the hooks log, and a spawned task's standard error is
  // caught with its output.
  snow::exec::init_hooks(program);
  snow::exec::init_periodic_checkpoints();
  // A task that is not enrolled (no PVM use, no SNOW_TASK, or no daemon)
  // only honours a checkpoint restart (`snow restart` without a VM).
  int restored = enrolled ? snow_start() : snow_restart_if_requested();
  if (restored == 1) {
    snow_exec_state = SNOW_EXEC_RESTORING;
    snow::exec::reinstall_signal_handlers();
    spdlog::info("exec: restoring: frames={}", snow::exec::chain_length());
  } else if (restored < 0) {
    spdlog::critical("exec: restoring the state of this process failed: {}", snow_strerror(restored));
    std::exit(1);
  }
}

void snow_exec_main_unwound(void) {
  std::size_t frames = snow::exec::chain_length();
  if (snow::exec::rehearsing()) {
    spdlog::info("exec: rehearsal: unwound frames={}; re-entering", frames);
    snow_exec_state = SNOW_EXEC_RESTORING;
    return;
  }
  if (snow::exec::checkpointing()) {
    spdlog::info("exec: unwound: frames={}; writing the checkpoint", frames);
    snow::exec::finish_checkpoint();  // does not return after --stop
    snow_exec_state = SNOW_EXEC_RESTORING;
    return;
  }
  spdlog::info("exec: unwound: frames={}; handing over the state", frames);
  int rc = snow_migrate_finish();
  // Only a failure before the destination committed comes back here: the
  // state collected is still ours, re-enter it and carry on on this host.
  spdlog::error("exec: migration failed after unwinding: status={} ({}); resuming here", rc,
                snow_strerror(rc));
  snow_exec_state = SNOW_EXEC_RESTORING;
}

}  // extern "C"
