// The C API of snowpvm.h for poll-points and migration: snow_start,
// snow_poll, snow_migrate_begin, snow_migrate_finish.
#include "libsnowpvm/comm/runtime.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/migrate/initialize.h"
#include "libsnowpvm/migrate/migrate.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <spdlog/spdlog.h>

namespace {

using snow::comm::Runtime;

template <class F>
int guarded(const char* call, F&& body) {
  try {
    Runtime& rt = Runtime::get();
    if (rt.start_status() < 0) return rt.start_status();
    return body(rt);
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", call, e.what());
    return SnowMigrateFail;
  }
}

}  // namespace

extern "C" {

int snow_start(void) {
  // A process started by `snow restart FILE` (a checkpoint, seed 002's
  // "migration to disk") restores its memory state first; then it joins
  // the virtual machine as a fresh task.
  int restarted = snow_restart_if_requested();
  if (restarted < 0) return restarted;
  return guarded("snow_start", [restarted](Runtime& rt) {
    if (!rt.restoring()) return restarted;
    return snow::migrate::Initializer(rt).run();  // Fig. 7
  });
}

int snow_poll(void) {
  if (!snow_poll_pending) return 0;  // the common case: one load
  return guarded("snow_poll", [](Runtime& rt) {
    rt.safe_point();
    if (rt.checkpoint_request && rt.exec_model == snow::comm::ExecModel::HandWritten) {
      // The tracked state is the whole state of a hand-written program.
      snow::exec::set_enrolled(true);
      if (snow::exec::checkpoint_due()) snow::exec::finish_checkpoint();  // exits after --stop
    }
    if (!rt.migration_requested()) return 0;
    return snow::migrate::migrate_and_exit(rt, rt.take_migration_request());  // Fig. 5
  });
}

int snow_migrate_begin(void) {
  return guarded("snow_migrate_begin", [](Runtime& rt) {
    rt.safe_point();
    if (!rt.migration_requested()) return SnowMigrateFail;
    return snow::migrate::migrate_begin(rt, rt.take_migration_request());
  });
}

int snow_migrate_finish(void) {
  return guarded("snow_migrate_finish", [](Runtime& rt) { return snow::migrate::migrate_finish(rt); });
}

}  // extern "C"
