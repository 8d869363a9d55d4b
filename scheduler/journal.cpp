#include "scheduler/journal.h"

#include "libsnowpvm/util/tid.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace snow::sched {

std::string format_row(const wire::HistoryRow& r) {
  std::ostringstream o;
  o << "mig=" << r.mig << " vtid=" << tid_str(r.vtid) << " old=" << tid_str(r.old_real)
    << " new=" << tid_str(r.new_real) << " from=" << r.from_host << " to=" << r.to_host
    << " started_ms=" << r.started_ms << " coord_us=" << r.t.coord_us << " collect_us=" << r.t.collect_us
    << " transfer_us=" << r.t.transfer_us << " restore_us=" << r.t.restore_us
    << " total_us=" << r.t.total_us << " state_bytes=" << r.t.state_bytes << " rml=" << r.t.rml_msgs
    << " peers=" << r.t.peers << " outcome=" << r.outcome;
  return o.str();
}

void Journal::append(const wire::HistoryRow& row) {
  rows_.push_back(row);
  spdlog::info("journal: {}", format_row(row));
  if (file_.empty()) return;
  std::ofstream f(file_, std::ios::app);
  f << format_row(row) << "\n";
}

JournalRecord::~JournalRecord() {
  row_.outcome = ok_ ? "ok" : "failed: " + why_;
  try {
    journal_->append(row_);
  } catch (...) {
  }
}

}  // namespace snow::sched
