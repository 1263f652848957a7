// Neighbourhood primitives: the neighbours of one vertex, the k-hop
// neighbourhood as a subgraph, and the neighbours two vertices share (shared
// assets: houses, vehicles, businesses, households, phones, cases).
//
// All functions read one snapshot, honour Filter (as-of date, edge types,
// labels, direction) and Limits, and never fail because a limit was hit: the
// result is then flagged truncated with the reason. Errors are only for bad
// arguments (a vertex id out of range: InvalidArgument).
// Thread-safety: pure functions of their arguments; run concurrently freely.
#ifndef CITYGRAPH_QUERY_TRAVERSE_H_
#define CITYGRAPH_QUERY_TRAVERSE_H_

#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"

namespace citygraph::query {

struct NeighborRow {
  EntityRef neighbor;
  Direction direction = Direction::kOut;  // kOut: center -> neighbor; kIn: neighbor -> center
  Evidence evidence;                      // the edge that links them
};

struct NeighborsResult {
  EntityRef center;
  std::vector<NeighborRow> rows;  // out-edges first, then in-edges, in adjacency order
  Truncation truncation;
};

// The neighbours of `v` through edges passing `filter`. At most
// limits.max_expansions_per_vertex adjacency entries are examined per
// direction (kMaxExpansions) and at most limits.max_rows rows are returned
// (kMaxRows).
StatusOr<NeighborsResult> Neighbors(const QueryContext& ctx, VertexId v, const Filter& filter,
                                    const Limits& limits);

struct SubgraphVertex {
  EntityRef entity;
  int depth = 0;  // hops from the start (0 = the start)
};

struct Subgraph {
  std::vector<SubgraphVertex> vertices;  // breadth-first order, start first
  std::vector<Evidence> edges;           // every followed edge between two returned vertices
  Truncation truncation;
};

// The vertices within `k` hops of `start` (breadth-first, following `filter`)
// and the edges among them that were followed. max_rows caps the vertex
// count, max_visited the frontier, max_expansions_per_vertex each hub.
StatusOr<Subgraph> KHop(const QueryContext& ctx, VertexId start, int k, const Filter& filter,
                        const Limits& limits);

// Ids only: the same traversal as KHop without materialising entities or
// evidence (for benchmarks and kernels). `vertices` and `depth` are parallel.
struct KHopIds {
  std::vector<VertexId> vertices;
  std::vector<int> depth;
  std::vector<EdgeId> edges;
  Truncation truncation;
};
StatusOr<KHopIds> KHopIdsOnly(const QueryContext& ctx, VertexId start, int k, const Filter& filter,
                              const Limits& limits);

struct SharedRow {
  EntityRef shared;  // the common neighbour (e.g. a house both own)
  Evidence a_edge;   // how `a` links to it
  Evidence b_edge;   // how `b` links to it
};

struct SharedResult {
  EntityRef a, b;
  std::vector<SharedRow> rows;  // one row per (shared vertex, a-edge, b-edge)
  Truncation truncation;
};

// Common neighbours of `a` and `b` under `filter` (e.g. labels {House,
// Vehicle, Business} for shared assets). InvalidArgument if a == b.
StatusOr<SharedResult> CommonNeighbors(const QueryContext& ctx, VertexId a, VertexId b,
                                       const Filter& filter, const Limits& limits);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_TRAVERSE_H_
