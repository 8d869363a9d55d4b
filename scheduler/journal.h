// The scheduler's history of migrations.  Each migration owns a
// JournalRecord from the moment it is accepted; the record is written
// when it is destroyed, as "failed: <reason>" unless success() was
// called, so that no migration can vanish from the history.
#pragma once

#include "libsnowpvm/migrate/wire.h"

#include <string>
#include <vector>

namespace snow::sched {

class Journal {
 public:
  // Lines are appended to `file` when it is not empty.
  explicit Journal(std::string file) : file_(std::move(file)) {}
  void append(const wire::HistoryRow& row);
  const std::vector<wire::HistoryRow>& rows() const { return rows_; }

 private:
  std::string file_;
  std::vector<wire::HistoryRow> rows_;
};

class JournalRecord {
 public:
  JournalRecord(Journal& j, wire::HistoryRow row) : journal_(&j), row_(std::move(row)) {}
  ~JournalRecord();
  JournalRecord(const JournalRecord&) = delete;
  JournalRecord& operator=(const JournalRecord&) = delete;

  wire::HistoryRow& row() { return row_; }
  void success() { ok_ = true; }
  // Why it failed, if it does (the last reason wins).
  void reason(std::string why) { why_ = std::move(why); }

 private:
  Journal* journal_;
  wire::HistoryRow row_;
  bool ok_ = false;
  std::string why_ = "no reason recorded";
};

// "mig=3 vtid=t40003 from=vh1 to=vh3 outcome=ok coord_us=..." (one line).
std::string format_row(const wire::HistoryRow& r);

}  // namespace snow::sched
