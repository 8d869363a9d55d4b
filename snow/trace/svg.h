// The space-time diagram of a run model as SVG text (seed 001 Figs 10-13):
// time along x in seconds, one line per task labelled with its virtual tid
// and, per process, host and architecture; the scheduler's line on top; a
// thin semi-transparent line per message from send to receive (stubs for
// sends never received); migration phases shaded on the migrating task's
// line and labelled; a legend and a title.  Written by hand, every text
// escaped.
#pragma once

#include "snow/trace/model.h"

#include <string>

namespace snow::cli::trace {

struct SvgOptions {
  std::string title = "snow trace";
  int width = 1400;
};

std::string render_svg(const Model& model, const SvgOptions& options = {});

std::string xml_escape(const std::string& s);

}  // namespace snow::cli::trace
