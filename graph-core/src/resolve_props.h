// Internal to Resolve: the order and grouping of a batch's property ops.
//
// Thread-safety: pure functions (they use the TBB arena internally).
#ifndef CITYGRAPH_SRC_RESOLVE_PROPS_H_
#define CITYGRAPH_SRC_RESOLVE_PROPS_H_

#include <cstdint>
#include <vector>

#include "citygraph/graph.h"
#include "resolve.h"
#include "snapshot_impl.h"

namespace citygraph::internal {

// Indexes of `batch`'s property ops sorted by (vertex, prop, source, index);
// vs[i] is op i's vertex id, every one below n (the vertices after the
// batch). A batch that touches many vertices is first bucketed by vertex (a
// stable counting sort), so only each vertex's few ops are compared.
std::vector<uint32_t> PropOrder(const WriteBatch& batch, const std::vector<VertexId>& vs, size_t n);

// Fills `out` with the ops that change something, in `order` (PropOrder):
// of each (vertex, prop, source) group the last, unless `snap` already
// stores that observation with the same record and value. Corruption naming
// the vertex when a stored observation list does not decode.
Status KeptProps(const WriteBatch& batch, const SnapshotImpl& snap, const std::vector<VertexId>& vs,
                 const std::vector<uint32_t>& order, std::vector<ResolvedProp>* out);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_RESOLVE_PROPS_H_
