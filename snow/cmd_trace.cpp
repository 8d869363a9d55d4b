// snow trace: record a run's PVM trace events and draw its space-time
// diagram (issue 11 item 3; seed 001 Figs 10-13).
//
//   snow trace record [--vm NAME] [--host HOST] [-o FILE.svg] [--events FILE.log]
//                     [--mask EVENTS] [--title TEXT] -- PROGRAM [ARGS...]
//   snow trace record --attach [--duration SECONDS] [--vm NAME] [-o ...] [--events ...]
//                     [--mask EVENTS] [--title TEXT]
//   snow trace render EVENTS.log [-o FILE.svg] [--title TEXT]
//
// `record` becomes the program's trace collector, starts it the way `snow
// run` does (output passed through, exit status returned), collects the
// records of every task it and its children start until they have all
// exited, then writes the event log and the SVG.  With --attach it
// registers as the running VM's tracer instead and records every task
// started from then on, until interrupted (or --duration).  doc/tracing.md.
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/run_program.h"
#include "snow/run_task.h"
#include "snow/testbed/arch.h"
#include "snow/testbed/host_enter.h"
#include "snow/testbed/pvm_session.h"
#include "snow/trace/event_log.h"
#include "snow/trace/model.h"
#include "snow/trace/recorder.h"
#include "snow/trace/svg.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace snow::cli {
namespace {

constexpr const char* kRecordUsage =
    "usage: snow trace record [--vm NAME] [--host HOST] [-o FILE.svg] [--events FILE.log] [--mask EVENTS] "
    "[--title TEXT] -- PROGRAM [ARGS...]\n"
    "       snow trace record --attach [--duration SECONDS] [--vm NAME] [--host HOST] [-o FILE.svg] "
    "[--events FILE.log] [--mask EVENTS] [--title TEXT]";
constexpr const char* kRenderUsage = "usage: snow trace render EVENTS.log [-o FILE.svg] [--title TEXT]";

struct RecordOptions {
  std::optional<std::string> vm, host, title;
  std::string svg = "trace.svg";
  std::optional<std::string> events;
  std::string mask = trace::kDefaultMask;
  bool attach = false;
  std::optional<double> duration;
  std::vector<std::string> command;
};

RecordOptions parse_record(std::vector<std::string> w) {
  RecordOptions o;
  std::size_t i = 0;
  auto value = [&](const std::string& name) {
    if (i + 1 >= w.size()) throw Error("option " + name + " needs a value\n" + kRecordUsage);
    return w[++i];
  };
  for (; i < w.size(); ++i) {
    const std::string& s = w[i];
    if (s == "--") {
      ++i;
      break;
    }
    if (s == "--vm") o.vm = value(s);
    else if (s == "--host") o.host = value(s);
    else if (s == "-o" || s == "--output") o.svg = value(s);
    else if (s == "--events") o.events = value(s);
    else if (s == "--mask") o.mask = value(s);
    else if (s == "--title") o.title = value(s);
    else if (s == "--attach") o.attach = true;
    else if (s == "--duration") {
      const std::string v = value(s);
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(d > 0) || d > 1e7)
        throw Error("--duration: '" + v + "' is not a positive number of seconds");
      o.duration = d;
    } else if (s.size() > 1 && s[0] == '-') throw Error("unknown option " + s + "\n" + kRecordUsage);
    else break;
  }
  o.command.assign(w.begin() + static_cast<long>(std::min(i, w.size())), w.end());
  if (o.attach && !o.command.empty()) throw Error("--attach records the running VM: no PROGRAM\n" + std::string(kRecordUsage));
  if (o.duration && !o.attach) throw Error("--duration goes with --attach\n" + std::string(kRecordUsage));
  if (!o.attach && o.command.empty()) throw Error(kRecordUsage);
  return o;
}

std::string default_log(const std::string& svg) {
  std::filesystem::path p(svg);
  return p.replace_extension(".log").string();
}

std::ofstream open_out(const std::string& path) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) throw SysError("cannot write " + path);
  return f;
}

std::string joined(const std::vector<std::string>& w) {
  std::string s;
  for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
  return s;
}

void write_svg(std::ofstream& out, const std::string& path, const trace::Model& model, const std::string& title) {
  trace::SvgOptions so;
  so.title = title;
  out << trace::render_svg(model, so);
  out.flush();
  if (!out) throw SysError("cannot write " + path);
}

std::string summary(const trace::Model& m) {
  std::string s = std::to_string(m.tasks.size()) + " tasks, " + std::to_string(m.messages.size()) + " messages (" +
                  std::to_string(m.unmatched_sends) + " never received), " + std::to_string(m.migrations) +
                  " migrations";
  std::size_t moved = 0;
  for (const auto& t : m.tasks) moved += t.segments.size() > 1 ? 1 : 0;
  s += ", " + std::to_string(moved) + " tasks ran in more than one process";
  if (!m.snow_events) s += "; NO SNOW migration events in the trace (phases not drawn)";
  return s;
}

volatile sig_atomic_t g_stop = 0;
extern "C" void on_stop(int) { g_stop = 1; }

void write_results(const trace::Recorder& rec, std::ofstream& log, const std::string& log_path, std::ofstream& svg,
                   const RecordOptions& o, const std::string& title) {
  log.flush();
  if (!log) throw SysError("cannot write " + log_path);
  const trace::Model model = trace::build_model(rec.events());
  write_svg(svg, o.svg, model, title);
  std::string missing;
  for (int t : rec.tasks_without_exit()) {
    char b[16];
    std::snprintf(b, sizeof b, " t%x", static_cast<unsigned>(t));
    missing += b;
  }
  std::fprintf(stderr, "snow trace: %zu events (%zu undecodable messages) -> %s; %s -> %s\n", rec.events().size(),
               rec.errors(), log_path.c_str(), summary(model).c_str(), o.svg.c_str());
  if (!missing.empty())
    std::fprintf(stderr, "snow trace: no exit record from%s (the trace may lack their last events)\n",
                 missing.c_str());
}

// --attach: the running VM's tracer until interrupted or --duration.
int attach(const RecordOptions& o, const std::string& mask) {
  auto vm = testbed::VmState::require(o.vm.value_or(testbed::default_vm_name()));
  const auto& h = o.host ? vm.host(*o.host) : vm.master();
  auto layout = testbed::Layout::detect();
  const std::string log_path = o.events.value_or(default_log(o.svg));
  std::ofstream log = open_out(log_path);
  std::ofstream svg = open_out(o.svg);
  const std::string title = o.title.value_or("snow trace: virtual machine " + vm.name);
  log << "# snow trace record --attach: virtual machine " << trace::percent_escape(vm.name) << "\n"
      << "# TIME SRC HOST ARCH NAME PHASE ITEM... (doc/tracing.md)\n";
  testbed::enter_host(vm, h, layout);
  testbed::PvmSession session;
  trace::Recorder rec(log);
  rec.attach(mask);
  struct sigaction sa {}, old_int{}, old_term{};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  const std::string how = o.duration ? "for " + std::to_string(*o.duration) + " s" : "until interrupted";
  std::fprintf(stderr, "snow trace: registered as the tracer of %s; tasks started from now on are recorded (%s)\n",
               vm.name.c_str(), how.c_str());
  const auto start = std::chrono::steady_clock::now();
  while (!g_stop) {
    if (o.duration && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= *o.duration)
      break;
    rec.wait_some();
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  rec.detach();
  rec.drain();
  write_results(rec, log, log_path, svg, o, title);
  return 0;
}

int record(Args& args) {
  RecordOptions o = parse_record(args.take_words());
  const std::string mask = trace::mask_from_names(o.mask);
  if (o.attach) return attach(o, mask);
  auto vm = testbed::VmState::require(o.vm.value_or(testbed::default_vm_name()));
  const auto& h = o.host ? vm.host(*o.host) : vm.master();
  auto layout = testbed::Layout::detect();
  Located prog = locate_program(vm, h, o.command[0]);
  // Opened here: the host we enter may see another /tmp.
  const std::string log_path = o.events.value_or(default_log(o.svg));
  std::ofstream log = open_out(log_path);
  std::ofstream svg = open_out(o.svg);
  const std::string title =
      o.title.value_or("snow trace: " + std::filesystem::path(prog.path).filename().string() +
                       (o.command.size() > 1 ? " " + joined({o.command.begin() + 1, o.command.end()}) : ""));
  log << "# snow trace record: " << trace::percent_escape(joined(o.command)) << "\n"
      << "# TIME SRC HOST ARCH NAME PHASE ITEM... (doc/tracing.md)\n";

  testbed::enter_host(vm, h, layout);
  confirm_visible(prog, vm, h);
  if (!has_exit_report_hook(prog.path))
    throw Error("snow trace record needs a SNOW program (built with snowcc or linked with libsnowpvm); " + prog.path +
                " is not one (trace a plain PVM program with PVM's tracer)");
  auto built_for = elf_arch(prog.path);
  if (!built_for.empty() && built_for != testbed::arch_info(h.arch).name)
    throw Error(prog.path + " is a SNOW program built for " + built_for + "; host " + h.name + " is " +
                std::string(testbed::arch_info(h.arch).name));

  TaskSpec spec;
  spec.path = prog.path;
  spec.args.assign(o.command.begin() + 1, o.command.end());
  char cwd[4096];
  spec.cwd = ::getcwd(cwd, sizeof cwd) ? cwd : "/";
  spec.env["SNOW_TASK"] = "1";

  trace::Recorder rec(log);
  RunHooks hooks;
  hooks.before_spawn = [&](int me) { rec.install(me, mask); };
  hooks.after_spawn = [&](int task) { rec.expect(task); };
  hooks.poll = [&] { rec.poll(); };
  hooks.before_exit = [&] {
    try {
      rec.drain();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "snow trace: while collecting the last records: %s\n", e.what());
    }
  };
  const int status = run_task(spec, hooks);
  write_results(rec, log, log_path, svg, o, title);
  return status;
}

int render(Args& args) {
  auto out = args.option("-o");
  if (!out) out = args.option("--output");
  auto title = args.option("--title");
  auto pos = args.positionals();
  if (pos.size() != 1) throw Error(kRenderUsage);
  std::ifstream in(pos[0]);
  if (!in) throw SysError("cannot read " + pos[0]);
  const auto events = trace::read_event_log(in, pos[0]);
  const std::string path = out.value_or(std::filesystem::path(pos[0]).replace_extension(".svg").string());
  if (path == pos[0]) throw Error("the SVG would overwrite the event log " + pos[0]);
  const trace::Model model = trace::build_model(events);
  std::ofstream svg = open_out(path);
  write_svg(svg, path, model, title.value_or("snow trace: " + std::filesystem::path(pos[0]).filename().string()));
  std::fprintf(stderr, "snow trace: %zu events; %s -> %s\n", events.size(), summary(model).c_str(), path.c_str());
  return 0;
}

}  // namespace

int cmd_trace(Args& args) {
  auto words = args.take_words();
  if (words.empty()) throw Error(std::string(kRecordUsage) + "\n" + kRenderUsage);
  const std::string sub = words[0];
  Args rest(std::vector<std::string>(words.begin() + 1, words.end()));
  if (sub == "record") return record(rest);
  if (sub == "render") return render(rest);
  throw Error("unknown subcommand '" + sub + "'\n" + kRecordUsage + "\n" + kRenderUsage);
}

}  // namespace snow::cli
