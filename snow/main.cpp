// snow -- the SNOW-PVM operator tool.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"

#include <array>
#include <iostream>
#include <string>
#include <vector>

namespace snow::cli {
namespace {

constexpr std::array kCommands{
    Command{"vm", "up|down|status [--vm NAME] [--hosts ARCH,...] [--ep DIR]... [--single]",
            "bring a virtual machine of virtual hosts up or down", cmd_vm},
    Command{"hosts", "[--vm NAME]", "list the hosts: name, architecture, data format, daemon tid",
            cmd_hosts},
    Command{"run", "[--vm NAME] [--host HOST] [--checkpoint-every SECONDS FILE] PROGRAM [ARGS...]",
            "run a program on a virtual host like a shell there; a SNOW program runs as a PVM task: its "
            "output and exit status reach snow run wherever it migrates",
            cmd_run},
    Command{"console", "[--vm NAME] [--host HOST]",
            "the stock pvm console, on a virtual host (with `migrate TASK HOST`)", cmd_console},
    Command{"ps", "[--vm NAME] [--all]", "SNOW tasks: virtual tid, current tid, host, architecture, state",
            cmd_ps},
    Command{"migrate", "[--vm NAME] [--timeout S] TASK HOST",
            "move a running task to another host; waits and reports the time breakdown", cmd_migrate},
    Command{"history", "[--vm NAME]", "every migration of the virtual machine, with outcome and timings",
            cmd_history},
    Command{"trace",
            "record [--vm NAME] [--host HOST] [-o FILE.svg] [--events FILE.log] [--mask EVENTS] -- PROGRAM "
            "[ARGS...]\n        record --attach [--duration S] [--vm NAME] [-o FILE.svg] [--events FILE.log]\n"
            "        render EVENTS.log [-o FILE.svg]",
            "run a program as `snow run` does while collecting its PVM trace events (and SNOW's), then draw "
            "the space-time diagram as SVG; or draw it again from the event log",
            cmd_trace},
    Command{"checkpoint", "[--vm NAME] [--timeout S] TASK FILE [--stop]",
            "a running task writes a portable checkpoint at its next poll-point, then carries on (or "
            "exits with --stop)",
            cmd_checkpoint},
    Command{"restart", "[--vm NAME --host HOST] FILE [-- PROGRAM [ARGS...]]",
            "resume a checkpoint on any architecture, standalone or on a virtual host (the program is "
            "found by the name it records)",
            cmd_restart},
    Command{"bench",
            "state [--quick] [--json FILE] [--workload KIND:SIZE]... [--reps N] [--helper ARCH=PATH]... "
            "[--skip-arch ARCH]...\n"
            "        comm [--vm NAME] [--json FILE] [--quick]\n"
            "        overhead [--runs N] [--quick] [--keep DIR]\n"
            "        paper [--quick] [--reps N] [--json FILE] [--markdown FILE] [--keep]\n"
            "        migrate [--quick] [--reps N] [--sizes LIST] [--json FILE] [--keep]",
            "memory-state throughput beside memcpy and TCP; communication overhead against raw PVM "
            "and migration coordination time; execution overhead of pre-compiled programs; the "
            "papers' tables (linpack, bitonic, parallel MG migrated) beside the papers' figures; "
            "whole migrations (1 KB to over 4 GiB of state) beside plain TCP of the same bytes",
            cmd_bench},
};

void usage(std::ostream& os) {
  os << "usage: snow COMMAND [OPTIONS]\n\nCommands:\n";
  for (const auto& c : kCommands) {
    os << "  snow " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
  }
  os << "\nThe virtual machine defaults to $SNOW_VM, else \"snow\".  See README.md.\n";
}

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace snow::cli

int main(int argc, char** argv) {
  using namespace snow::cli;
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    usage(words.empty() ? std::cerr : std::cout);
    return words.empty() ? 2 : 0;
  }
  std::string name = words[0];
  words.erase(words.begin());
  for (const auto& c : commands()) {
    if (c.name != name) continue;
    try {
      Args args(words);
      return c.run(args);
    } catch (const snow::Error& e) {
      std::cerr << "snow " << name << ": " << e.what() << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "snow " << name << ": BUG: unexpected " << e.what() << "\n";
      return 70;
    }
  }
  std::cerr << "snow: unknown command '" << name << "'\n";
  usage(std::cerr);
  return 2;
}
