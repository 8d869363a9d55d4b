// The program as a whole: registration of pre-compiled units, the start of
// main() (fresh or restored), and the end of unwinding in main().
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/util/log.h"

#include <cstring>

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
  // This also enrols the task, which moves the log to the task's log file.
  // A program none of whose units calls libpvm is no PVM task: it does not
  // enrol (and cannot be asked to migrate), only a checkpoint restart applies.
  bool uses_pvm = false;
  for (snow_exec_unit* u = g_units; u; u = u->next) uses_pvm = uses_pvm || u->uses_pvm;
  if (uses_pvm) snow::comm::set_exec_model(snow::comm::ExecModel::Precompiled);
  // After enrolling: the hooks log, and a spawned task's standard error is
  // caught with its output.
  snow::exec::init_hooks(program);
  int restored = uses_pvm ? snow_start() : snow_restart_if_requested();
  if (restored == 1) {
    snow_exec_state = SNOW_EXEC_RESTORING;
    spdlog::info("exec: restoring: frames={}", snow::exec::chain_length());
  } else if (restored < 0) {
    spdlog::critical("exec: this process was started to receive a migrated process, but restoring "
                     "its state failed: {}", snow_strerror(restored));
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
  spdlog::info("exec: unwound: frames={}; handing over the state", frames);
  int rc = snow_migrate_finish();
  // Only a failure before the destination committed comes back here: the
  // state collected is still ours, re-enter it and carry on on this host.
  spdlog::error("exec: migration failed after unwinding: status={} ({}); resuming here", rc,
                snow_strerror(rc));
  snow_exec_state = SNOW_EXEC_RESTORING;
}

}  // extern "C"
