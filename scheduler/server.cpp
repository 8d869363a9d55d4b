#include "scheduler/server.h"

#include "libsnowpvm/util/tid.h"

#include <pvm3.h>
#include <spdlog/spdlog.h>

namespace snow::sched {
namespace {

template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

bool from_pvmd(const pvmio::Incoming& in) { return (static_cast<unsigned>(in.src) & 0x80000000u) != 0; }

int notified_tid(const pvmio::Incoming& in) {
  int saved = pvm_setrbuf(in.bufid);
  int tid = 0;
  pvm_upkint(&tid, 1, 1);
  pvm_setrbuf(saved);
  pvm_freebuf(in.bufid);
  return tid;
}

}  // namespace

void Server::handle(const pvmio::Incoming& in) {
  if (in.ctx != wire::kContext) {
    spdlog::warn("unexpected message: src={} tag={} ctx={} bytes={} (dropped)", tid_str(in.src), in.tag, in.ctx,
                 in.len);
    pvm_freebuf(in.bufid);
    return;
  }
  if ((in.tag == wire::kTagTaskExit || in.tag == wire::kTagHostDelete) && !from_pvmd(in)) {
    spdlog::warn("unexpected-control: notification tag={} from task {} (dropped)", in.tag, tid_str(in.src));
    pvm_freebuf(in.bufid);
    return;
  }
  if (in.tag == wire::kTagTaskExit) return sched_.on_task_exit(notified_tid(in));
  if (in.tag == wire::kTagHostDelete) return sched_.on_host_delete(notified_tid(in));
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
                   [&](const wire::SpawnResult& m) { sched_.on_spawn_result(src, m); },
                   [&](const wire::InitReady& m) { sched_.on_init_ready(src, m); },
                   [&](const wire::MigrationStart& m) { sched_.on_migration_start(src, m); },
                   [&](const wire::Refused& m) { sched_.on_refused(src, m); },
                   [&](const wire::MigrateFailed& m) { sched_.on_failed(src, m); },
                   [&](const wire::StateSent& m) { sched_.on_state_sent(src, m); },
                   [&](const wire::RestoreComplete& m) { sched_.on_restore_complete(src, m); },
                   [&](const wire::MigrationCommit& m) { sched_.on_migration_commit(src, m); },
                   [&](const wire::Resumed& m) { sched_.on_resumed(src, m); },
                   [&](const auto& m) {
                     spdlog::warn("unexpected-control: kind={} from={} (dropped)",
                                  wire::kind_name(std::decay_t<decltype(m)>::kind), tid_str(src));
                   },
               },
               cm.message());
  } catch (const wire::Malformed& e) {
    spdlog::warn("malformed-control: from={} tag={} bytes={}: {} (dropped)", tid_str(in.src), in.tag, in.len,
                 e.what());
  }
}

}  // namespace snow::sched
