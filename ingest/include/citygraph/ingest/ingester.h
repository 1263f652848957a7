// Ingest runs: department files, through their mappings, into the graph.
//
//   std::vector<Mapping> mappings = ...;           // LoadMapping + ExpandFiles
//   IngestOptions opt;
//   opt.mode = IngestMode::kIncremental;
//   opt.on_commit = [](const BatchAck& a) { ... };  // durable when called
//   CG_ASSIGN_OR_RETURN(QualityReport r, Ingest(db.get(), mappings, opt));
//
// Before anything is loaded every file is opened and checked (readable,
// valid in its declared encoding, header has every declared column), so a
// bad file fails the run naming the file with nothing written. After that,
// a bad row never stops the run: it goes to the reject writer and the
// report.
//
// Per file, records are read, split and normalised in parallel and resolved
// and written in order (a oneTBB parallel_pipeline):
//  - keyed vertices resolve deterministically through the key index;
//  - rows whose person has no valid identity number are resolved after the
//    keyed rows (bulk: after every file; incremental: at the end of their
//    file) against a PersonIndex of every known person, and the decision
//    is stored in aux namespace "er.match" (and "er.review" for possible
//    matches), key "<source_id>:<line>", so re-ingest reuses it;
//  - every vertex property and edge carries SourceRef{source, line}.
// Bulk mode writes through Database::BulkWrite every `batch_rows` rows;
// incremental mode through Database::Write, one atomic durable batch per
// `batch_rows` rows of a file (never spanning files), plus one for the
// file's resolved rows. Re-ingesting the same files changes nothing: keys
// resolve to the same vertices and writes are upserts.
//
// Record -> vertex links of each row's subject vertex are stored in aux
// namespace "ingest.links" (see ReadLinks) for eval-er.
//
// Thread-safety: one Ingest call per database at a time.
#ifndef CITYGRAPH_INGEST_INGESTER_H_
#define CITYGRAPH_INGEST_INGESTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/mapping.h"
#include "citygraph/ingest/report.h"

namespace citygraph::ingest {

enum class IngestMode { kBulk, kIncremental };

// One committed, durable batch.
struct BatchAck {
  BatchId batch = 0;
  std::string file;                        // the last source written to by the batch
  uint32_t first_line = 0, last_line = 0;  // line range of its rows in `file`
  size_t rows = 0;
  bool resolved_rows = false;  // the batch of a file's entity-resolved rows
};

struct IngestProgress {
  uint64_t rows = 0;
  uint64_t bytes_done = 0, bytes_total = 0;
  size_t files_done = 0, files_total = 0;
  double seconds = 0;
};

struct IngestOptions {
  IngestMode mode = IngestMode::kBulk;
  size_t batch_rows = 0;  // 0: 4,000,000 in bulk mode, 5,000 in incremental mode
  std::function<void(const BatchAck&)> on_commit;
  std::function<void(const IngestProgress&)> on_progress;  // about twice a second
  RejectWriter* rejects = nullptr;                         // optional
};

// Ingests `mappings` (one data file each; see ExpandFiles) into `db` in
// order. Returns the data-quality report, or the first error that stops the
// run: a file that cannot be opened (nothing loaded at all), or a failed
// database write (batches before it stay committed).
StatusOr<QualityReport> Ingest(Database* db, const std::vector<Mapping>& mappings,
                               const IngestOptions& options);

// One record -> vertex link of a row's subject vertex.
struct RecordLink {
  SourceId source = 0;
  uint32_t line = 0;
  VertexId vertex = kNoVertex;
};

// Reads every link stored by Ingest. Corruption if a stored value does not
// decode.
StatusOr<std::vector<RecordLink>> ReadLinks(const Database& db);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_INGESTER_H_
