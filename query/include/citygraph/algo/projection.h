// Projection of the governance graph onto an algorithm CSR: chosen vertex
// labels and edge types, optionally only the edges valid on one date, as a
// directed or undirected simple graph. Any kernel in kernels.h then runs on
// Projection::graph and its results map back to VertexIds.
//
// Thread-safety: Project reads an immutable Snapshot and may be called
// from any thread; it uses the oneTBB worker pool.
#ifndef CITYGRAPH_ALGO_PROJECTION_H_
#define CITYGRAPH_ALGO_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "citygraph/algo/csr_graph.h"
#include "citygraph/graph.h"
#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::algo {

struct ProjectionOptions {
  std::vector<std::string> labels;      // vertex labels to keep; empty = all
  std::vector<std::string> edge_types;  // edge types to keep; empty = all
  std::optional<Date> as_of;            // keep only edges with ValidOn(from, to, *as_of)
  bool directed = false;                // false: direction ignored
};

struct Projection {
  // Node u stands for VertexId graph.external_id(u) (== vertex[u]).
  // Self loops and parallel edges (e.g. the same fact from two
  // departments) are collapsed: the projection is a simple graph.
  CsrGraph graph;
  std::vector<VertexId> vertex;
};

// Builds the projection of `snapshot`. An edge is kept when its type is
// selected, both endpoints have selected labels, and (with as_of) it holds
// on that date. NotFound naming the label or edge type when a name is not
// in the schema.
StatusOr<Projection> Project(const Snapshot& snapshot, const ProjectionOptions& options);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_PROJECTION_H_
