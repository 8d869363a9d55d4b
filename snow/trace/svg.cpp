#include "snow/trace/svg.h"

#include "snow/trace/limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace snow::cli::trace {
namespace {

// Layout, in SVG user units (pixels).
constexpr double kLeft = 210;       // labels of the lines
constexpr double kRight = 40;
constexpr double kTop = 70;         // title and summary
constexpr double kRow = 56;         // one line per task
constexpr double kAxis = 40;        // time axis under the lines
constexpr double kLegendRow = 20;
constexpr double kStub = 14;        // an unmatched send's stub
constexpr double kBandHalf = 11;    // half the height of a phase band
constexpr double kMinBand = 2.5;    // narrowest band drawn
constexpr double kBelowLast = 30;   // room for the last line's phase labels
constexpr double kMinZoomPad = 0.005;  // seconds each side of a zoomed migration, at least
constexpr double kStubSeconds = 0;     // an unmatched send in a zoomed window: at its send time

struct PhaseStyle {
  const char* phase;
  const char* label;
  const char* colour;
};
constexpr PhaseStyle kPhases[] = {
    {"request", "request", "#9e9e9e"},
    {"coordinate", "coordinate", "#ffb300"},
    {"transfer", "transfer", "#e53935"},
    {"restore", "restore", "#8e24aa"},
};

// PVM's architecture names as the machines' (LINUX64 -> x86_64).
std::string arch_label(const std::string& arch) {
  if (arch == "LINUX64") return "x86_64";
  if (arch == "LINUX") return "i386";
  if (arch == "LINUXS390") return "s390x";
  return arch;
}

const char* arch_colour(const std::string& arch) {
  if (arch == "LINUX64" || arch == "x86_64") return "#1e88e5";
  if (arch == "LINUX" || arch == "i386") return "#43a047";
  if (arch == "LINUXS390" || arch == "s390x") return "#f4511e";
  return "#757575";
}

std::string hex_tid(int tid) {
  char b[16];
  std::snprintf(b, sizeof b, "t%x", static_cast<unsigned>(tid));
  return b;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

double nice_step(double span, int want) {
  double raw = span / want;
  if (!(raw > 0)) return 1;
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (raw <= f * p) return f * p;
  return 10 * p;
}

std::string seconds_label(double v, double step) {
  char b[32];
  // As many decimals as the step needs (steps are 1, 2 or 5 times a power of ten).
  const int digits = step > 0 ? std::clamp(-static_cast<int>(std::floor(std::log10(step) + 1e-9)), 0, 9) : 3;
  if (std::fabs(v) < 1e-3 * step) v = 0;  // never "-0.0 s"
  std::snprintf(b, sizeof b, "%.*f s", digits, v);
  return b;
}

// The time window of each migration (its phases, marks and the
// scheduler's marks about it), widened on both sides, for a zoomed panel.
struct Window {
  int vtid = 0, mig = 0;
  double t0 = 0, t1 = 0;
};

std::vector<Window> migration_windows(const Model& m) {
  std::map<std::pair<int, int>, Window> w;
  auto add = [&](int vtid, int mig, double a, double b) {
    auto [it, fresh] = w.try_emplace({vtid, mig}, Window{vtid, mig, a, b});
    if (!fresh) {
      it->second.t0 = std::min(it->second.t0, a);
      it->second.t1 = std::max(it->second.t1, b);
    }
  };
  for (const auto& b : m.bands) add(b.vtid, b.mig, b.t0, b.t1);
  for (const auto& mk : m.marks)
    if (mk.what == "commit" || mk.what == "abort") add(mk.vtid, mk.mig, mk.t, mk.t);
  for (const auto& mk : m.sched_marks)
    if (w.count({mk.about, mk.mig})) add(mk.about, mk.mig, mk.t, mk.t);
  std::vector<Window> out;
  for (auto& [key, win] : w) {
    if (out.size() >= limits::kMaxZoomPanels) break;
    const double pad = std::max(0.25 * (win.t1 - win.t0), kMinZoomPad);
    win.t0 -= pad;
    win.t1 += pad;
    out.push_back(win);
  }
  return out;
}

std::string num2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\t') o += '?';  // not allowed in XML 1.0
        else o += static_cast<char>(c);
    }
  }
  return o;
}

std::string render_svg(const Model& m, const SvgOptions& opt) {
  const double width = std::max(opt.width, 600);
  const std::size_t ntasks = std::min(m.tasks.size(), limits::kMaxTasksDrawn);
  const std::size_t rows = ntasks + 1;  // and the scheduler's
  const double panel_height = 20 + static_cast<double>(rows) * kRow + kBelowLast + kAxis + 30;
  const double x0 = kLeft, xw = width - kLeft - kRight;
  const std::vector<Window> zooms = migration_windows(m);
  const double legend_top = kTop + 20 + panel_height * static_cast<double>(1 + zooms.size());
  const double height = legend_top + 4 * kLegendRow + 10;
  const double span = m.t1 > m.t0 ? m.t1 - m.t0 : 1.0;
  const std::size_t drawn_msgs = std::min(m.messages.size(), limits::kMaxMessagesDrawn);
  const double message_opacity = std::clamp(6.0 / std::sqrt(static_cast<double>(std::max<std::size_t>(drawn_msgs, 1))), 0.08, 0.4);
  std::size_t stubs = 0;

  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width) << "\" height=\"" << num(height)
    << "\" viewBox=\"0 0 " << num(width) << ' ' << num(height) << "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
    << "<rect x=\"0\" y=\"0\" width=\"" << num(width) << "\" height=\"" << num(height) << "\" fill=\"white\"/>\n";

  // Title and summary.
  o << "<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\">" << xml_escape(opt.title) << "</text>\n";
  std::ostringstream sum;
  sum << m.tasks.size() << " tasks, " << m.messages.size() << " messages (" << m.unmatched_sends
      << " sends never received, drawn as stubs; " << m.unmatched_receives << " receives without a send), "
      << m.migrations << " migrations, " << seconds_label(span, span / 10) << " traced";
  if (!m.snow_events) sum << "; no SNOW migration events in the trace";
  if (ntasks < m.tasks.size()) sum << "; only the first " << ntasks << " tasks drawn";
  if (drawn_msgs < m.messages.size()) sum << "; only the first " << drawn_msgs << " messages drawn";
  o << "<text x=\"20\" y=\"52\" font-size=\"12\" fill=\"#333\">" << xml_escape(sum.str()) << "</text>\n";

  auto panel = [&](double t0, double span, double plot_top, const std::string& pid, bool main,
                   const std::string& axis_caption) {
  const double plot_bottom = plot_top + rows * kRow + kBelowLast;
  auto X = [&](double t) { return x0 + (t - t0) / span * xw; };
  std::map<int, double> row_y;  // vtid -> y of its line
  const double sched_y = plot_top + kRow / 2;
  for (std::size_t k = 0; k < ntasks; ++k)
    row_y[m.tasks[k].vtid] = plot_top + (static_cast<double>(k) + 1) * kRow + kRow / 2;
  // Time axis with ticks (and faint grid lines).
  const double step = nice_step(span, 10);
  o << "<g class=\"axis\" font-size=\"11\" fill=\"#333\">\n";
  o << "<line x1=\"" << num(x0) << "\" y1=\"" << num(plot_bottom) << "\" x2=\"" << num(x0 + xw) << "\" y2=\""
    << num(plot_bottom) << "\" stroke=\"#333\" stroke-width=\"1\"/>\n";
  // Ticks in seconds since the run's first event, also in a zoomed panel.
  for (double v = std::ceil((t0 - m.t0) / step - 1e-9) * step; m.t0 + v <= t0 + span * (1 + 1e-9); v += step) {
    double x = X(m.t0 + v);
    o << "<line x1=\"" << num(x) << "\" y1=\"" << num(plot_top) << "\" x2=\"" << num(x) << "\" y2=\""
      << num(plot_bottom + 5) << "\" stroke=\"#ddd\" stroke-width=\"0.5\"/>\n";
    o << "<text x=\"" << num(x) << "\" y=\"" << num(plot_bottom + 18) << "\" text-anchor=\"middle\">"
      << xml_escape(seconds_label(v, step)) << "</text>\n";
  }
  o << "<text x=\"" << num(x0 + xw / 2) << "\" y=\"" << num(plot_bottom + 34)
    << "\" text-anchor=\"middle\">" << xml_escape(axis_caption) << "</text>\n</g>\n";
  o << "<clipPath id=\"" << pid << "-clip\"><rect x=\"" << num(x0 - 6) << "\" y=\"" << num(plot_top - 40)
    << "\" width=\"" << num(xw + 12) << "\" height=\"" << num(plot_bottom - plot_top + 40) << "\"/></clipPath>\n";
  o << "<text x=\"12\" y=\"" << num(sched_y + 4) << "\" font-size=\"12\" font-weight=\"bold\">scheduler</text>\n";
  for (std::size_t k = 0; k < ntasks; ++k) {
    const TaskLine& t = m.tasks[k];
    const double y = row_y.at(t.vtid);
    o << "<text x=\"12\" y=\"" << num(y - 2) << "\" font-size=\"13\" font-weight=\"bold\">" << xml_escape(hex_tid(t.vtid))
      << "</text>\n";
    o << "<text x=\"12\" y=\"" << num(y + 13) << "\" font-size=\"10\" fill=\"#444\">"
      << xml_escape(t.segments.front().host + " (" + arch_label(t.segments.front().arch) + ")")
      << (t.segments.size() > 1 ? " ..." : "") << "</text>\n";
  }
  o << "<g clip-path=\"url(#" << pid << "-clip)\">\n";

  // The scheduler's line.
  o << "<g class=\"scheduler\">\n"
    << "<line x1=\"" << num(x0) << "\" y1=\"" << num(sched_y) << "\" x2=\"" << num(x0 + xw) << "\" y2=\""
    << num(sched_y) << "\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n";
  int sk = 0;
  for (const auto& mk : m.sched_marks) {
    double x = X(mk.t);
    const char* c = mk.what == "sched_abort" ? "#c62828" : mk.what == "sched_commit" ? "#2e7d32" : "#333";
    o << "<path d=\"M" << num(x) << ' ' << num(sched_y - 6) << " l5 6 l-5 6 l-5 -6 z\" fill=\"" << c << "\"/>\n";
    std::string label = mk.what.substr(mk.what.rfind("sched_", 0) == 0 ? 6 : 0) + " " + hex_tid(mk.about);
    if (!mk.detail.empty()) label += " " + mk.detail;
    o << "<text x=\"" << num(x + 3) << "\" y=\"" << num(sched_y - 8 - 10 * (sk++ % 3))
      << "\" font-size=\"10\" fill=\"" << c << "\">" << xml_escape(label) << "</text>\n";
    auto r = row_y.find(mk.about);
    if (r != row_y.end())
      o << "<line x1=\"" << num(x) << "\" y1=\"" << num(sched_y + 6) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(r->second) << "\" stroke=\"" << c << "\" stroke-width=\"0.6\" stroke-dasharray=\"2,3\"/>\n";
  }
  o << "</g>\n";

  // Migration phases (under the lines).
  o << "<g class=\"phases\">\n";
  std::map<int, int> label_slot;
  std::vector<PhaseBand> bands = m.bands;
  std::stable_sort(bands.begin(), bands.end(), [](const PhaseBand& a, const PhaseBand& b) { return a.t0 < b.t0; });
  for (const auto& b : bands) {
    auto r = row_y.find(b.vtid);
    if (r == row_y.end()) continue;
    const PhaseStyle* ps = nullptr;
    for (const auto& p : kPhases)
      if (b.phase == p.phase) ps = &p;
    if (!ps) continue;
    double xa = X(b.t0), xb = std::max(X(b.t1), xa + kMinBand);
    o << "<rect class=\"phase\" data-phase=\"" << xml_escape(b.phase) << "\" x=\"" << num(xa) << "\" y=\""
      << num(r->second - kBandHalf) << "\" width=\"" << num(xb - xa) << "\" height=\"" << num(2 * kBandHalf)
      << "\" fill=\"" << ps->colour << "\" fill-opacity=\"0.55\"><title>"
      << xml_escape(std::string(ps->label) + " of migration " + std::to_string(b.mig) + " of " + hex_tid(b.vtid) +
                    ": " + num((b.t1 - b.t0) * 1000) + " ms")
      << "</title></rect>\n";
    int slot = label_slot[b.vtid]++;
    o << "<text x=\"" << num(xa) << "\" y=\"" << num(r->second + kBandHalf + 10 + 9 * (slot % 4))
      << "\" font-size=\"9\" fill=\"" << ps->colour << "\">" << xml_escape(ps->label) << ' '
      << num((b.t1 - b.t0) * 1000) << " ms</text>\n";
  }
  o << "</g>\n";

  // Messages: one thin line each, from send to receive.
  o << "<g class=\"messages\" stroke=\"#263238\" stroke-opacity=\"" << num2(message_opacity) << "\" stroke-width=\"0.6\">\n";
  for (std::size_t k = 0; k < drawn_msgs; ++k) {
    const Message& msg = m.messages[k];
    if (!main && (msg.sent > t0 + span || msg.received.value_or(msg.sent + kStubSeconds) < t0)) continue;
    auto a = row_y.find(msg.from), b = row_y.find(msg.to);
    if (a == row_y.end()) continue;
    double xs = X(msg.sent);
    if (msg.received && b != row_y.end()) {
      o << "<line x1=\"" << num(xs) << "\" y1=\"" << num(a->second) << "\" x2=\"" << num(X(*msg.received))
        << "\" y2=\"" << num(b->second) << "\"/>\n";
    } else {
      double dir = (b != row_y.end() && b->second < a->second) ? -1 : 1;
      o << "<line class=\"stub\" x1=\"" << num(xs) << "\" y1=\"" << num(a->second) << "\" x2=\"" << num(xs + 4)
        << "\" y2=\"" << num(a->second + dir * kStub) << "\" stroke=\"#c62828\" stroke-opacity=\"0.8\"/>\n";
      if (main) ++stubs;
    }
  }
  o << "</g>\n";

  // The task lines, one segment per process, labelled where the task moved.
  o << "<g class=\"tasks\">\n";
  for (std::size_t k = 0; k < ntasks; ++k) {
    const TaskLine& t = m.tasks[k];
    double y = row_y[t.vtid];
    o << "<g class=\"" << (main ? "task" : "zoom-task") << "\" data-vtid=\"" << t.vtid << "\">\n";
    for (std::size_t s = 0; s < t.segments.size(); ++s) {
      const Segment& seg = t.segments[s];
      double xa = X(seg.t0), xb = std::max(X(seg.t1), xa + 1);
      o << "<line class=\"segment\" x1=\"" << num(xa) << "\" y1=\"" << num(y) << "\" x2=\"" << num(xb) << "\" y2=\""
        << num(y) << "\" stroke=\"" << arch_colour(seg.arch) << "\" stroke-width=\"4\" stroke-linecap=\"butt\"/>\n";
      if (s > 0)
        o << "<line x1=\"" << num(xa) << "\" y1=\"" << num(y - 14) << "\" x2=\"" << num(xa) << "\" y2=\"" << num(y + 14)
          << "\" stroke=\"#000\" stroke-width=\"1.5\"/>\n";
      o << "<text class=\"" << (main ? "segment-label" : "zoom-segment-label") << "\" x=\"" << num(std::max(xa, x0) + 3) << "\" y=\"" << num(y - 8)
        << "\" font-size=\"10\" fill=\"#222\">"
        << xml_escape(seg.host + " (" + arch_label(seg.arch) + ") " + hex_tid(seg.real_tid)) << "</text>\n";
    }
    if (t.exited)
      o << "<rect x=\"" << num(X(t.t1) - 2) << "\" y=\"" << num(y - 5) << "\" width=\"4\" height=\"10\" fill=\"#000\"/>\n";
    o << "</g>\n";
  }
  for (const auto& mk : m.marks) {
    auto r = row_y.find(mk.vtid);
    if (r == row_y.end()) continue;
    double x = X(mk.t), y = r->second;
    const char* c = mk.what == "commit" ? "#2e7d32" : mk.what == "abort" ? "#c62828" : "#6d4c41";
    bool big = mk.what == "commit" || mk.what == "abort";
    o << "<circle class=\"mark\" data-what=\"" << xml_escape(mk.what) << "\" cx=\"" << num(x) << "\" cy=\"" << num(y)
      << "\" r=\"" << (big ? 5 : 3) << "\" fill=\"" << c << "\"><title>"
      << xml_escape(mk.what + (mk.about ? " " + hex_tid(mk.about) : "") + (mk.detail.empty() ? "" : ": " + mk.detail))
      << "</title></circle>\n";
    if (big)
      o << "<text x=\"" << num(x + 6) << "\" y=\"" << num(y - 20) << "\" font-size=\"10\" font-weight=\"bold\" fill=\"" << c
        << "\">" << xml_escape(mk.what + (mk.detail.empty() || mk.what == "commit" ? "" : ": " + mk.detail))
        << "</text>\n";
  }
  o << "</g>\n";
  o << "</g>\n";  // the clip
  };

  o << "<g id=\"run\">\n";
  panel(m.t0, span, kTop + 20, "run", true, "time since the first event");
  o << "</g>\n";
  for (std::size_t z = 0; z < zooms.size(); ++z) {
    const Window& w = zooms[z];
    const double top = kTop + 20 + panel_height * static_cast<double>(z + 1);
    o << "<g id=\"zoom-" << z << "\">\n";
    o << "<text x=\"20\" y=\"" << num(top - 4) << "\" font-size=\"14\" font-weight=\"bold\">"
      << xml_escape("migration " + std::to_string(w.mig) + " of " + hex_tid(w.vtid) + ", zoomed: " +
                    seconds_label(w.t0 - m.t0, (w.t1 - w.t0) / 10) + " to " +
                    seconds_label(w.t1 - m.t0, (w.t1 - w.t0) / 10))
      << "</text>\n";
    panel(w.t0, w.t1 - w.t0, top + 10, "zoom-" + std::to_string(z), false,
          "time since the first event (zoomed on the migration)");
    o << "</g>\n";
  }

  // Legend.
  double ly = legend_top;
  o << "<g id=\"legend\" font-size=\"11\">\n";
  auto swatch = [&](double x, double y, const char* colour, const std::string& text, bool band) {
    if (band)
      o << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 8) << "\" width=\"18\" height=\"10\" fill=\"" << colour
        << "\" fill-opacity=\"0.55\"/>\n";
    else
      o << "<line x1=\"" << num(x) << "\" y1=\"" << num(y - 3) << "\" x2=\"" << num(x + 18) << "\" y2=\"" << num(y - 3)
        << "\" stroke=\"" << colour << "\" stroke-width=\"4\"/>\n";
    o << "<text x=\"" << num(x + 24) << "\" y=\"" << num(y) << "\">" << xml_escape(text) << "</text>\n";
  };
  o << "<text x=\"20\" y=\"" << num(ly) << "\" font-weight=\"bold\">process on</text>\n";
  swatch(120, ly, arch_colour("x86_64"), "x86_64", false);
  swatch(220, ly, arch_colour("i386"), "i386", false);
  swatch(310, ly, arch_colour("s390x"), "s390x", false);
  swatch(410, ly, arch_colour("?"), "other / unknown", false);
  ly += kLegendRow;
  o << "<text x=\"20\" y=\"" << num(ly) << "\" font-weight=\"bold\">migration</text>\n";
  double lx = 120;
  for (const auto& p : kPhases) {
    swatch(lx, ly, p.colour, p.label, true);
    lx += 110;
  }
  o << "<circle cx=\"" << num(lx + 5) << "\" cy=\"" << num(ly - 4) << "\" r=\"5\" fill=\"#2e7d32\"/><text x=\""
    << num(lx + 14) << "\" y=\"" << num(ly) << "\">commit</text>\n";
  o << "<circle cx=\"" << num(lx + 85) << "\" cy=\"" << num(ly - 4) << "\" r=\"5\" fill=\"#c62828\"/><text x=\""
    << num(lx + 94) << "\" y=\"" << num(ly) << "\">abort</text>\n";
  o << "<circle cx=\"" << num(lx + 155) << "\" cy=\"" << num(ly - 4) << "\" r=\"3\" fill=\"#6d4c41\"/><text x=\""
    << num(lx + 164) << "\" y=\"" << num(ly) << "\">peer_migrating / conn_nack</text>\n";
  ly += kLegendRow;
  o << "<text x=\"20\" y=\"" << num(ly) << "\" font-weight=\"bold\">messages</text>\n";
  o << "<line x1=\"120\" y1=\"" << num(ly - 3) << "\" x2=\"138\" y2=\"" << num(ly - 3)
    << "\" stroke=\"#263238\" stroke-opacity=\"0.5\"/><text x=\"144\" y=\"" << num(ly)
    << "\">send to matching receive</text>\n";
  o << "<line x1=\"330\" y1=\"" << num(ly - 8) << "\" x2=\"334\" y2=\"" << num(ly + 2)
    << "\" stroke=\"#c62828\"/><text x=\"342\" y=\"" << num(ly) << "\">" << xml_escape(std::to_string(stubs))
    << " sends never received (stubs)</text>\n";
  o << "<rect x=\"560\" y=\"" << num(ly - 8) << "\" width=\"4\" height=\"10\" fill=\"#000\"/><text x=\"570\" y=\""
    << num(ly) << "\">task exited</text>\n";
  ly += kLegendRow;
  o << "<text x=\"20\" y=\"" << num(ly) << "\" fill=\"#444\">"
    << xml_escape("Each line is a task (virtual tid); a bar across it marks where it moved to another process, "
                  "labelled host (architecture) real tid.")
    << "</text>\n";
  o << "</g>\n</svg>\n";
  return o.str();
}

}  // namespace snow::cli::trace
