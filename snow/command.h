// The `snow` operator tool: one file per subcommand, one table that both
// dispatches and generates the help text.
#pragma once

#include "snow/args.h"

#include <span>
#include <string_view>

namespace snow::cli {

struct Command {
  std::string_view name;
  std::string_view usage;    // after "snow NAME"
  std::string_view summary;  // one line
  int (*run)(Args& args);
};

// All subcommands, in help order (defined in main.cpp).
std::span<const Command> commands();

// The subcommands.
int cmd_vm(Args& args);
int cmd_hosts(Args& args);
int cmd_run(Args& args);
int cmd_console(Args& args);
int cmd_restart(Args& args);
int cmd_checkpoint(Args& args);
int cmd_ps(Args& args);
int cmd_migrate(Args& args);
int cmd_history(Args& args);
int cmd_trace(Args& args);
int cmd_bench(Args& args);
int cmd_bench_comm(Args& args);  // `snow bench comm`, dispatched by cmd_bench
int cmd_bench_overhead(Args& args);  // `snow bench overhead`, dispatched by cmd_bench
int cmd_bench_paper(Args& args);     // `snow bench paper`, dispatched by cmd_bench
int cmd_bench_migrate(Args& args);   // `snow bench migrate`, dispatched by cmd_bench

}  // namespace snow::cli
