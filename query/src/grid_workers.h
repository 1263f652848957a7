// The grid workers assigned to each grid cell on a date, for batch locate.
//
// A grid cell's adjacency is long (every house and report in it) while a grid
// worker's is a few hundred entries (an ASSIGNED_TO edge or two, and one
// REPORTED edge per report filed), so the assignments of a whole city are
// found in one pass over the workers' out-edges, testing each neighbour's
// label before reading its edge record. The pass is not capped per vertex:
// it is bounded by the number of workers' edges, not by what a user asked.
//
// Thread-safety: WorkerIndex is immutable once built. WorkersByGrid may be
// called concurrently; it keeps the indexes of the last few (snapshot, date)
// pairs, so a service answering many batches on one snapshot and one date
// builds the index once. An entry never outlives its snapshot's use: it is
// matched by the snapshot's ownership, not its address.
#ifndef CITYGRAPH_QUERY_SRC_GRID_WORKERS_H_
#define CITYGRAPH_QUERY_SRC_GRID_WORKERS_H_

#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "citygraph/query/context.h"

namespace citygraph::query::internal {

class WorkerIndex {
 public:
  // Every worker with label `worker` having an `assigned_to` edge valid on
  // `d` into a vertex with label `grid`.
  WorkerIndex(const Snapshot& snap, LabelId worker, LabelId grid, EdgeTypeId assigned_to, Date d);
  // The workers of `grid` on the index's date, ascending ids.
  std::span<const VertexId> Of(VertexId grid) const;

 private:
  std::unordered_map<VertexId, std::vector<VertexId>> by_grid_;
};

// The index of ctx's snapshot on `d`, built or found in the cache.
std::shared_ptr<const WorkerIndex> WorkersByGrid(const QueryContext& ctx, LabelId worker,
                                                 LabelId grid, EdgeTypeId assigned_to, Date d);

}  // namespace citygraph::query::internal

#endif  // CITYGRAPH_QUERY_SRC_GRID_WORKERS_H_
