// Paths between two entities: one shortest path, all shortest paths, the k
// shortest simple paths (Yen's algorithm), and the investigators' mission
// query "how are these two persons connected" (paths through shared houses,
// households, businesses, cases or phones, up to k hops, each hop evidenced).
//
// Path length is the number of edges. Edges are followed in both directions
// unless the filter says otherwise; the filter's labels restrict the
// intermediate vertices (the endpoints are always allowed).
// Thread-safety: pure functions of their arguments.
#ifndef CITYGRAPH_QUERY_PATHS_H_
#define CITYGRAPH_QUERY_PATHS_H_

#include <optional>
#include <string>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"

namespace citygraph::query {

struct Path {
  std::vector<EntityRef> vertices;  // from ... to; size() == edges.size() + 1
  std::vector<Evidence> edges;      // edges[i] links vertices[i] and vertices[i+1]
  size_t length() const { return edges.size(); }
};

struct PathsResult {
  EntityRef from, to;
  std::vector<Path> paths;  // ascending length; empty when none within max_hops
  // The shortest distance found (edges), or nullopt when no path exists
  // within max_hops (or the search was truncated before finding one).
  std::optional<int> distance;
  Truncation truncation;
};

struct PathOptions {
  Filter filter;
  int max_hops = 6;
};

// One shortest path (bidirectional breadth-first search).
StatusOr<PathsResult> ShortestPath(const QueryContext& ctx, VertexId from, VertexId to,
                                   const PathOptions& options, const Limits& limits);

// Every shortest path, up to limits.max_rows of them (kMaxRows beyond). A hub
// graph with millions of shortest paths returns the first max_rows, or what
// it enumerated before the deadline, flagged truncated.
StatusOr<PathsResult> AllShortestPaths(const QueryContext& ctx, VertexId from, VertexId to,
                                       const PathOptions& options, const Limits& limits);

// The k shortest loopless paths, ascending length (Yen's algorithm).
StatusOr<PathsResult> KShortestPaths(const QueryContext& ctx, VertexId from, VertexId to, int k,
                                     const PathOptions& options, const Limits& limits);

// Distance only (no materialisation): the bidirectional BFS of ShortestPath.
// Returns nullopt when unreachable within max_hops or truncated (see `trunc`).
StatusOr<std::optional<int>> ShortestDistance(const QueryContext& ctx, VertexId from, VertexId to,
                                              const PathOptions& options, const Limits& limits,
                                              Truncation* trunc);

struct ConnectionOptions {
  std::optional<Date> as_of;
  int max_hops = 4;   // edges
  int max_paths = 5;  // shortest paths to return (all of the shortest length first)
  // Labels a connection may pass through.
  std::vector<std::string> via_labels = {"Person",   "House", "Household",
                                         "Business", "Case",  "Phone"};
};

// Connections between two persons (or any two entities): shortest paths
// through `via_labels` only, up to max_hops edges, at most max_paths of them
// (ties in length are all shortest paths, then longer ones by Yen), every hop
// with its evidence. NotFound naming a via label missing from the schema.
StatusOr<PathsResult> Connections(const QueryContext& ctx, VertexId from, VertexId to,
                                  const ConnectionOptions& options, const Limits& limits);

// The filter Connections uses (exposed for benchmarks and the API).
StatusOr<PathOptions> ConnectionPathOptions(const Schema& schema, const ConnectionOptions& options);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_PATHS_H_
