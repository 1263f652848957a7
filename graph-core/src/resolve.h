// Resolve: validates a WriteBatch against the schema and the current
// snapshot and turns it into concrete changes (ids assigned, upserts
// matched), before anything is written. Shared by Write and BulkWrite.
#ifndef CITYGRAPH_SRC_RESOLVE_H_
#define CITYGRAPH_SRC_RESOLVE_H_

#include <optional>
#include <string>
#include <vector>

#include "adj_order.h"
#include "citygraph/graph.h"
#include "snapshot_impl.h"

namespace citygraph::internal {

struct ResolvedKey {
  VertexId v;
  KeyKindId kind;
  const std::string* value;  // points into the WriteBatch
};

// An observation to store: the batch's property op number `op` (its prop,
// source and value; the source's batch is Resolved::batch) on vertex v.
// 8 bytes: a bulk batch holds tens of millions.
struct ResolvedProp {
  VertexId v;
  uint32_t op;
};

struct ResolvedEdgeUpdate {
  EdgeId edge;
  EdgeRecord record;
  std::string props_enc;       // encoded properties after the update
  bool props_changed = false;  // props_enc differs from what is stored
};

struct Resolved {
  // The snapshot the batch was resolved against (what "stored" means below).
  const SnapshotImpl* snap = nullptr;
  BatchId batch = 0;
  Timestamp time;
  VertexId first_vertex = 0;  // id of VertexRef::New(0)
  const std::vector<LabelId>* new_labels = nullptr;
  std::vector<ResolvedKey> keys;            // keys not yet present
  const WriteBatch* write_batch = nullptr;  // the batch resolved (property ops by number)
  std::vector<ResolvedProp> props;          // observations that change something
  EdgeId first_edge = 0;                    // id of new_edges[0]
  std::vector<EdgeRecord> new_edges;
  // The new edges' properties, encoded (EncodeProps; empty: none): new edge
  // i's are new_edge_props.blob[offsets[i], offsets[i + 1]). Nothing here
  // points into the batch's edges (a bulk write frees them after Resolve).
  BlobList new_edge_props;
  std::vector<AdjKey> out_keys;             // of new_edges, ascending (index: into new_edges)
  std::vector<ResolvedEdgeUpdate> updates;  // by edge id, ascending
  const std::vector<WriteBatch::AuxOp>* aux = nullptr;
  CommitResult result;

  std::string_view new_edge_props_of(size_t i) const {
    const auto& off = new_edge_props.offsets;
    return std::string_view(new_edge_props.blob).substr(off[i], off[i + 1] - off[i]);
  }
};

// Validates `batch` against `snap` (the writer's current snapshot).
// InvalidArgument / AlreadyExists / NotFound naming the offending label, edge
// type, property or key. The result points into `batch` and `snap`, which
// must outlive it.
StatusOr<Resolved> Resolve(const WriteBatch& batch, const SnapshotImpl& snap);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_RESOLVE_H_
