// snow checkpoint TASK FILE [--stop]: ask a running task, through the
// scheduler, to write a portable checkpoint at its next poll-point; wait
// and report.  `snow restart FILE` resumes it on any architecture.
#include "libsnowpvm/util/error.h"
#include "libsnowpvm/util/tid.h"
#include "snow/command.h"
#include "snow/sched_client.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace snow::cli {
namespace {

// How long the command waits by default for the task to reach a poll-point
// and write the file (the scheduler gives up after its own limit, 180 s).
constexpr int kDefaultTimeoutSeconds = 200;

std::string absolute(const std::string& file) {
  if (!file.empty() && file[0] == '/') return file;
  char cwd[4096];
  if (!::getcwd(cwd, sizeof cwd)) throw SysError("getcwd");
  return std::string(cwd) + "/" + file;
}

int report(const wire::CheckpointResult& r, const std::string& file) {
  if (!r.ok) {
    std::fprintf(stderr, "snow checkpoint: no checkpoint of %s was written to %s: %s\n", tid_str(r.vtid).c_str(),
                 file.c_str(), r.text.c_str());
    return 1;
  }
  std::printf("checkpoint of %s (%s on %s, %s) written to %s: %llu bytes; %s\n", tid_str(r.vtid).c_str(),
              r.program.c_str(), r.host.c_str(), r.arch.c_str(), file.c_str(),
              static_cast<unsigned long long>(r.bytes),
              r.stopped ? "the task has stopped" : "the task carries on");
  std::fflush(stdout);
  return 0;
}

}  // namespace

int cmd_checkpoint(Args& args) {
  auto vm_name = args.option("--vm").value_or(testbed::default_vm_name());
  int timeout = std::stoi(args.option("--timeout").value_or(std::to_string(kDefaultTimeoutSeconds)));
  bool stop = args.flag("--stop");
  auto pos = args.positionals();
  if (pos.size() != 2) throw Error("usage: snow checkpoint [--vm NAME] [--timeout S] TASK FILE [--stop]");
  int vtid = parse_tid(pos[0]);
  const std::string file = absolute(pos[1]);
  // Each virtual host has its own /tmp: the task would write the file
  // where nobody else finds it.
  if (file.rfind("/tmp/", 0) == 0)
    throw Error("the checkpoint file " + file +
                " is under /tmp, which is private to each virtual host; choose a directory every host sees");
  auto body = [&] {
    try {
      testbed::PvmSession session;
      SchedulerClient sched;
      return report(sched.checkpoint(vtid, file, stop, std::chrono::seconds(timeout)), file);
    } catch (const Error& e) {
      std::fprintf(stderr, "snow checkpoint: %s\n", e.what());
      return 1;
    }
  };
  auto vm = testbed::VmState::require(vm_name);
  return testbed::in_host(vm, vm.master(), testbed::Layout::detect(), body);
}

}  // namespace snow::cli
