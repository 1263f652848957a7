// Applying a committed batch to the in-memory graph: builds the next
// snapshot from the current one (copy-on-write, see snapshot_impl.h).
#ifndef CITYGRAPH_SRC_DELTA_H_
#define CITYGRAPH_SRC_DELTA_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "resolve.h"
#include "snapshot_impl.h"

namespace citygraph::internal {

// Returns the snapshot that shows `cur` plus `r`. `version` must be larger
// than any version used before on this database. With `with_index` false
// (bulk path, followed by a rebuild) the delta adjacency and the delta key
// map are not maintained.
std::shared_ptr<SnapshotImpl> ApplyToSnapshot(const SnapshotImpl& cur, const Resolved& r,
                                              uint64_t version, bool with_index);

// Appends to *out the observation list of a vertex: `stored` (encoded,
// codec.h) with the observations [first, last) of `r` applied (one vertex,
// sorted by prop then source; each replaces the stored observation of its
// prop and source). `scratch` is working space, reused across calls.
void MergeObservations(std::string_view stored, const Resolved& r, const ResolvedProp* first,
                       const ResolvedProp* last, std::vector<PropertyObservation>* scratch,
                       std::string* out);

// Bulk path, first step: the observation list of every vertex after `r`
// (ids 0 .. r.first_vertex + new vertices), built in parallel. The batch's
// property ops and values are not read after it (r.props still is).
BlobList FoldedObservations(const SnapshotImpl& cur, const Resolved& r);

// Bulk path: a snapshot over a new base graph (CSRs and key index built)
// that shows `cur` plus `r`, as FoldIntoBase of ApplyToSnapshot(cur, r,
// version, false) would, but with the vertices' observation lists taken
// from `observations` (FoldedObservations(cur, r), moved in) and their key
// lists written straight into the base instead of into overlays first.
std::shared_ptr<SnapshotImpl> ApplyFolded(const SnapshotImpl& cur, const Resolved& r,
                                          uint64_t version, BlobList observations);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_DELTA_H_
