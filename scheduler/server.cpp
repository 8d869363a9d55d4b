#include "scheduler/server.h"

#include "libsnowpvm/comm/daemon_input.h"
#include "libsnowpvm/util/overloaded.h"
#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::sched {
namespace {


}  // namespace

void Server::handle(const pvmio::Incoming& in) {
  auto screened = pvmio::screen_daemon_input(in);
  if (screened.kind == pvmio::DaemonInput::Dropped) return;
  if (screened.kind == pvmio::DaemonInput::TaskExit) return sched_.on_task_exit(screened.tid);
  if (screened.kind == pvmio::DaemonInput::HostDelete) return sched_.on_host_delete(screened.tid);
  handle_control(in);
}

void Server::handle_control(const pvmio::Incoming& in) {
  try {
    pvmio::ControlMessage cm(in);
    int src = cm.src();
    std::visit(Overloaded{
                   [&](const wire::Enroll& m) { sched_.enroll(src, m); },
                   [&](const wire::Exiting& m) { sched_.exiting(src, m); },
                   [&](const wire::Locate& m) { sched_.locate(src, m); },
                   [&](const wire::MigrateCmd& m) { sched_.migrate(src, m); },
                   [&](const wire::PsCmd& m) { env_.send(src, sched_.ps(m.req)); },
                   [&](const wire::HistoryCmd& m) { env_.send(src, sched_.history(m.req)); },
                   [&](const wire::CheckpointCmd& m) { sched_.checkpoint(src, m); },
                   [&](const wire::CheckpointDone& m) { sched_.on_checkpoint_done(src, m); },
                   [&](const wire::SpawnResult& m) { sched_.on_spawn_result(src, m); },
                   [&](const wire::InitReady& m) { sched_.on_init_ready(src, m); },
                   [&](const wire::MigrationStart& m) { sched_.on_migration_start(src, m); },
                   [&](const wire::Refused& m) { sched_.on_refused(src, m); },
                   [&](const wire::MigrateFailed& m) { sched_.on_failed(src, m); },
                   [&](const wire::StateSent& m) { sched_.on_state_sent(src, m); },
                   [&](const wire::RestoreComplete& m) { sched_.on_restore_complete(src, m); },
                   [&](const wire::MigrationCommit& m) { sched_.on_migration_commit(src, m); },
                   [&](const wire::Resumed& m) { sched_.on_resumed(src, m); },
                   [&](const wire::GroupCall& m) { sched_.group_call(src, m); },
                   [&](const auto& m) { pvmio::log_unexpected_control(std::decay_t<decltype(m)>::kind, src); },
               },
               cm.message());
  } catch (const wire::Malformed& e) {
    pvmio::log_malformed_control(in, e);
  }
}

}  // namespace snow::sched
