// Rejected rows and the data-quality report of an ingest run: per source
// file and per grid cell, rows, rejects by reason, duplicates, missing and
// invalid keys, records resolved probabilistically or left unresolved, and
// how recent the reports are. Rendered as JSON and as a readable table.
//
// Thread-safety: plain values; RejectWriter is used by one thread.
#ifndef CITYGRAPH_INGEST_REPORT_H_
#define CITYGRAPH_INGEST_REPORT_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::ingest {

// A row that was not loaded, with the first problem found in it.
struct Reject {
  std::string file;    // data file path
  uint32_t line = 0;   // 1-based line (header = line 1) or JSON Lines line
  std::string column;  // "" when the problem concerns the whole row
  std::string raw;     // the raw value (or the raw record for row problems)
  std::string kind;    // column_count, bad_quoting, bad_json, missing_value,
                       // bad_value, missing_key, invalid_key, rule
  std::string reason;  // human-readable message
};

struct QualityCounts {
  uint64_t rows = 0;    // data records read
  uint64_t loaded = 0;  // rows written to the graph
  uint64_t rejected = 0;
  uint64_t duplicates = 0;  // rows identical to an earlier row of the same file
  uint64_t missing_keys = 0;
  uint64_t invalid_keys = 0;
  uint64_t matched = 0;     // keyless records merged into an existing person
  uint64_t unresolved = 0;  // keyless records that became a new unresolved person
  uint64_t review = 0;      // of those, with a possible match left for review
  std::map<std::string, uint64_t> rejects_by_reason;  // by Reject::kind
  Date latest = Date::Min();                          // newest report date (mapping's report.date)

  void Add(const QualityCounts& o);
};

struct SourceQuality {
  SourceId source = 0;
  std::string department;
  std::string file;
  QualityCounts counts;
};

struct QualityReport {
  std::vector<SourceQuality> sources;
  std::map<std::string, QualityCounts> grids;  // by grid code
  double seconds = 0;
  // Where the run's time went, in order: "check" (opening and checking the
  // files), "load" (parsing, normalising, resolving keyed rows), "resolve"
  // (entity resolution of keyless rows) and "write" (database writes). They
  // add up to `seconds`.
  std::vector<std::pair<std::string, double>> phases;
  std::string mode;

  QualityCounts Totals() const;
  // The newest report date over all sources; recency is measured from it.
  Date AsOf() const;
  // JSON object: {"mode", "seconds", "phases": {name: seconds}, "as_of",
  // "totals", "sources": [...], "grids": [...]} with each entry's counts
  // and "days_since_latest".
  std::string ToJson() const;
  // The phases on one line: "check 0.2 s, load 9.6 s, ...".
  std::string PhasesText() const;
  // Fixed-width text tables (sources, then the 20 grids with the most
  // rejects and unresolved records, then the totals).
  std::string ToTable() const;
};

// Writes rejects to a file: JSON Lines when the path ends in ".jsonl",
// otherwise CSV with header file,line,column,raw,kind,reason.
class RejectWriter {
 public:
  RejectWriter() = default;
  ~RejectWriter();
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;

  // IOError naming the path when it cannot be created.
  Status Open(const std::string& path);
  Status Write(const Reject& r);
  Status Close();
  bool is_open() const { return f_ != nullptr; }

 private:
  std::FILE* f_ = nullptr;
  bool jsonl_ = false;
  std::string path_;
};

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_REPORT_H_
