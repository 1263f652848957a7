// SnapshotImpl: an immutable base graph plus the delta overlay written since
// the last rebuild.
//
// The delta is persistent rather than chained: every per-vertex and per-edge
// overlay is a CowArray (cow_array.h), so the writer builds snapshot k+1 by
// copying snapshot k's page tables and cloning only the pages its batch
// touches. Delta adjacency lists live in an append-only arena owned by the
// delta generation (DeltaGen): a vertex's list is a (pointer, length,
// capacity) triple; the writer appends past the length older snapshots know
// (amortised doubling, moving to a fresh arena block when full), so older
// snapshots keep reading exactly their prefix. Keys added since the rebuild
// go to a concurrent insert-only map tagged with their batch; a snapshot
// ignores entries from batches newer than itself.
//
// Thread-safety: once published, all methods are const and thread-safe.
#ifndef CITYGRAPH_SRC_SNAPSHOT_IMPL_H_
#define CITYGRAPH_SRC_SNAPSHOT_IMPL_H_

#include <tbb/concurrent_unordered_map.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "base_graph.h"
#include "citygraph/graph.h"
#include "cow_array.h"

namespace citygraph::internal {

struct DeltaAdj {
  AdjEntry* ptr = nullptr;
  uint32_t len = 0;
  uint32_t cap = 0;
};

// State shared by all snapshots of one delta generation; appended to only by
// the writer.
struct DeltaGen {
  // Returns stable storage for n entries (writer only).
  AdjEntry* Alloc(size_t n);
  std::vector<std::unique_ptr<AdjEntry[]>> blocks;
  size_t block_used = 0, block_size = 0;
  std::atomic<size_t> arena_bytes{0};  // read by Stats() from any thread
  // Encoded (kind, value) -> (vertex, batch that added it).
  tbb::concurrent_unordered_map<std::string, std::pair<VertexId, BatchId>> keys;
};

using Blob = std::shared_ptr<const std::string>;

class SnapshotImpl final : public Snapshot {
 public:
  const Schema& schema() const override { return *schema_; }
  BatchId last_batch() const override { return last_batch_; }
  size_t num_vertices() const override { return n_; }
  size_t num_edges() const override { return m_; }
  LabelId label(VertexId v) const override;
  AdjRange out_edges(VertexId v) const override { return Adj(v, true); }
  AdjRange in_edges(VertexId v) const override { return Adj(v, false); }
  const EdgeRecord& edge(EdgeId e) const override { return edges_.Get(e); }
  Properties edge_properties(EdgeId e) const override;
  std::vector<PropertyObservation> properties(VertexId v) const override;
  Value property(VertexId v, PropId prop) const override;
  StatusOr<VertexId> FindByKey(KeyKindId kind, std::string_view value) const override;
  std::vector<std::pair<KeyKindId, std::string>> keys(VertexId v) const override;
  std::vector<VertexId> vertices_with_label(LabelId label) const override;
  SourceInfo source(SourceId id) const override;
  Timestamp batch_time(BatchId id) const override;

  // Encoded observation / key / edge property lists (codec.h).
  std::string_view vprops_blob(VertexId v) const;
  std::string_view keys_blob(VertexId v) const;
  std::string_view eprops_blob(EdgeId e) const;
  VertexId FindKeyInternal(KeyKindId kind, std::string_view value) const;
  size_t delta_edges() const { return m_ - base_->m; }
  size_t num_sources() const { return sources_->size(); }
  size_t memory_bytes() const;

  // Writer-side state; see the file comment.
  std::shared_ptr<const Schema> schema_;
  std::shared_ptr<const BaseGraph> base_;
  std::shared_ptr<DeltaGen> gen_;
  size_t n_ = 0, m_ = 0, num_keys_ = 0;
  BatchId last_batch_ = 0;
  CowArray<LabelId, 12> new_labels_;  // index v - base_->n
  EdgeTable edges_;
  CowArray<Blob, 10> eprops_;  // sparse overrides by edge id
  CowArray<DeltaAdj, 9> out_delta_, in_delta_;
  CowArray<Blob, 9> vprops_, vkeys_;  // sparse overrides by vertex id
  std::shared_ptr<const std::vector<SourceInfo>> sources_;
  CowArray<int64_t, 12> batch_times_;  // micros, by batch id

 private:
  AdjRange Adj(VertexId v, bool out) const;
};

// A fresh snapshot over `base` with an empty delta and no sources.
std::shared_ptr<SnapshotImpl> SnapshotOverBase(std::shared_ptr<const Schema> schema,
                                               std::shared_ptr<const BaseGraph> base);

// The same, continuing `prev`: its schema, sources, batch times and last
// batch are carried over (`base` is expected to hold what `prev` shows).
std::shared_ptr<SnapshotImpl> SnapshotOverBase(const SnapshotImpl& prev,
                                               std::shared_ptr<const BaseGraph> base);

// The properties of edges [first, s.num_edges()) for FoldIntoBase, taken
// from elsewhere than the snapshot (which holds none for them): of edge e,
// encoded (EncodeProps; empty when it has none).
struct BuiltEdgeProps {
  EdgeId first = 0;
  std::function<std::string_view(EdgeId)> props;
};

// Builds a new base graph holding everything `s` shows (the rebuild). With
// `vprops` given, the vertices' observation lists are taken from it (moved;
// one per vertex id 0 .. s.num_vertices()) instead of read from `s`; with
// `keys`, their key lists are built by it; with `eprops`, the new edges'
// property lists likewise.
std::shared_ptr<BaseGraph> FoldIntoBase(const SnapshotImpl& s, BlobList* vprops = nullptr,
                                        const BlobRangeBuilder* keys = nullptr,
                                        const BuiltEdgeProps* eprops = nullptr);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_SNAPSHOT_IMPL_H_
