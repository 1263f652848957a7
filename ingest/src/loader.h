// Internal: the serial resolve-and-write stage. Turns parsed rows into
// WriteBatch operations (resolving keys and, for keyless persons, running
// entity resolution), keeps the quality counts, and commits batches.
#ifndef CITYGRAPH_INGEST_SRC_LOADER_H_
#define CITYGRAPH_INGEST_SRC_LOADER_H_

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/resolver.h"
#include "hash_set64.h"
#include "pending_keys.h"
#include "row_parser.h"

namespace citygraph::ingest::internal {

// Seconds on the steady clock since `t`.
inline double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

class Loader {
 public:
  Loader(Database* db, const IngestOptions& options, QualityReport* report);

  // Builds the person index from the database; call once before any row.
  Status Init();

  // The run will read `rows[i]` rows of `*mappings[i]`, the source that
  // BeginSource will name by index i: bulk mode reserves its batch for them
  // (an upper bound), and each source's duplicate check is sized for its
  // rows. Call after Init, before any row.
  void ExpectRows(const std::vector<const Mapping*>& mappings, const std::vector<size_t>& rows);

  // Starts rows of `m` (registered as `sid`, report entry `source_index`).
  Status BeginSource(const Mapping* m, SourceId sid, size_t source_index);
  // Counts, rejects or applies one row of the current source. Rows that need
  // entity resolution are kept for ResolveDeferred (and moved out of `row`).
  // An applied row's persons are not yet in the person index: IndexRow adds
  // them (bulk mode: they are logged for it).
  Status AddRow(ParsedRow& row);
  // Hints (change nothing) given a few rows ahead of AddRow(row) and
  // IndexRow(row): load what the row will read into the cache. PrefetchAdd
  // comes in steps 0 to 4, given ever fewer rows ahead, each reading only
  // what the one before brought in (a row parsed on the other core is a
  // cache miss in every line): the row's hot lines; its vertices and edges
  // and the duplicate check's slot; the vertices' keys, property arrays and
  // PendingKeys::Prefetch; their property texts and PrefetchOp;
  // PrefetchValue.
  void PrefetchAdd(const ParsedRow& row, int step) const;
  void PrefetchIndex(const ParsedRow& row) const;
  // Adds the persons of a row that AddRow applied to the person index. Rows
  // must be given in AddRow's order; may run on another thread concurrently
  // with AddRow of later rows (it touches only the index, which nothing
  // reads until the deferred rows are resolved). Does nothing in bulk mode,
  // where AddRow logs the persons itself (PersonIndex::Log).
  void IndexRow(const ParsedRow& row);
  // Ends the current source (incremental mode: resolves its deferred rows
  // and commits).
  Status EndSource();
  // Resolves every deferred row and commits everything pending.
  Status Finish();

  uint64_t rows() const { return rows_; }
  // Seconds spent so far resolving deferred rows (without their commits)
  // and in database writes.
  double resolve_seconds() const { return resolve_seconds_; }
  double write_seconds() const { return write_seconds_; }

 private:
  struct Deferred {
    const Mapping* m;
    SourceId sid;
    size_t source_index;
    ParsedRow row;
  };
  struct Prior {
    VertexId vertex;
    bool merged;
    bool review;
  };

  Status LoadPrior(SourceId sid);
  // `last`: no row comes after these (Finish), so what only rows use is
  // freed before the final commit, whose write then reuses that memory.
  Status ResolveDeferred(bool last = false);
  // Adds the row's operations to the batch (copies its vertices' property
  // values, moves its edges' properties out); `index` also adds its persons
  // to the person index (else bulk mode logs them, and in incremental mode
  // IndexRow adds them).
  Status Apply(const Mapping& m, SourceId sid, ParsedRow& row, QualityCounts* src,
               QualityCounts* grid, bool index);
  // The vertex with key (kind, key); a new vertex, taking `key` (moved into
  // the batch), when no vertex has it yet.
  VertexId KeyVertex(LabelId label, KeyKindId kind, std::string& key, uint64_t hash);
  VertexId NewVertex(LabelId label);
  VertexRef Ref(VertexId id) const;
  VertexId ResolvePerson(const Mapping& m, SourceId sid, const ParsedRow& row,
                         const ParsedVertex& pv, LabelId label, QualityCounts* src,
                         QualityCounts* grid);
  // The report's counts of grid `grid`, or nullptr for "" (no grid).
  QualityCounts* GridCounts(const std::string& grid);
  Status MaybeCommit();
  // Bulk mode: reserves the empty batch for the expected rows it will hold.
  void ReserveBatch();
  Status Commit(bool resolved_rows);
  void Note(const Mapping& m, const ParsedRow& row);

  Database* db_;
  IngestOptions options_;
  QualityReport* report_;
  size_t batch_rows_;
  std::shared_ptr<const Snapshot> snap_;
  VertexId base_ = 0;
  WriteBatch batch_;
  // Keys created by the pending batch.
  PendingKeys pending_keys_;
  PersonIndex index_;
  std::unordered_map<std::string, Prior> prior_;
  std::vector<Deferred> deferred_;
  std::vector<RecordLink> links_;  // of the pending batch
  std::vector<VertexId> ids_;      // Apply's scratch: vertex id per row vertex

  const Mapping* m_ = nullptr;
  SourceId sid_ = 0;
  size_t source_index_ = 0;
  HashSet64 seen_;  // record hashes of the current source
  // report_->grids entries by code (std::map nodes do not move): a hash
  // lookup per row instead of a tree walk over long common prefixes.
  std::unordered_map<std::string, QualityCounts*> grid_counts_;

  // The pending batch's rows, for its acknowledgement.
  size_t batch_row_count_ = 0;
  uint32_t first_line_ = 0, last_line_ = 0;
  std::string batch_file_;
  uint64_t rows_ = 0;
  double resolve_seconds_ = 0, write_seconds_ = 0;
  // ExpectRows: rows still expected and the most operations they can add.
  size_t expected_rows_ = 0;
  size_t expected_vertices_ = 0, expected_keys_ = 0, expected_props_ = 0, expected_edges_ = 0;
  size_t likely_props_ = 0;             // expected_props_ without the unresolved marks
  std::vector<size_t> rows_by_source_;  // ExpectRows' rows, by source index

  LabelId person_ = 0;
  PropId unresolved_prop_ = 0;
  bool has_person_ = false;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_LOADER_H_
