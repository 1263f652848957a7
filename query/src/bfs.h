// Internal: bidirectional breadth-first search between two vertices, the core
// of ShortestPath, ShortestDistance, Yen's spur searches and Connections.
#ifndef CITYGRAPH_QUERY_SRC_BFS_H_
#define CITYGRAPH_QUERY_SRC_BFS_H_

#include <optional>
#include <unordered_set>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/paths.h"
#include "guard.h"

namespace citygraph::query::internal {

struct IdPath {
  std::vector<VertexId> vertices;
  std::vector<EdgeId> edges;
  bool operator==(const IdPath&) const = default;
};

struct Bans {
  const std::unordered_set<VertexId>* vertices = nullptr;
  const std::unordered_set<EdgeId>* edges = nullptr;
};

// A shortest path from `from` to `to` of at most `max_hops` edges following
// `filter` (labels restrict intermediate vertices only), avoiding `bans`.
// nullopt when none, or when a limit stopped the search (recorded in *trunc).
std::optional<IdPath> BiBfs(const Snapshot& snap, VertexId from, VertexId to, const Filter& filter,
                            int max_hops, const Limits& limits, Guard* guard, Truncation* trunc,
                            Bans bans = {});

// Materialises an id path (entities and evidence).
Path Materialize(const QueryContext& ctx, const IdPath& p);

}  // namespace citygraph::query::internal

#endif  // CITYGRAPH_QUERY_SRC_BFS_H_
