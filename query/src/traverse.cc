// Neighbours, k-hop neighbourhoods and common neighbours.
#include "citygraph/query/traverse.h"

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "guard.h"
#include "internal.h"

namespace citygraph::query {

using internal::ForEachNeighbor;

StatusOr<NeighborsResult> Neighbors(const QueryContext& ctx, VertexId v, const Filter& filter,
                                    const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, v));
  internal::Guard guard(limits);
  NeighborsResult r;
  r.center = Describe(ctx, v);
  bool complete = ForEachNeighbor(
      snap, v, filter, limits.max_expansions_per_vertex,
      [&](VertexId nbr, EdgeId e, Direction dir) {
        if (!guard.Tick(&r.truncation)) return false;
        if (r.rows.size() >= limits.max_rows) {
          r.truncation.Set(TruncationReason::kMaxRows,
                           "stopped at " + std::to_string(limits.max_rows) + " neighbours");
          return false;
        }
        r.rows.push_back(NeighborRow{Describe(ctx, nbr), dir, MakeEvidence(ctx, e)});
        return true;
      });
  if (!complete)
    r.truncation.Set(TruncationReason::kMaxExpansions,
                     internal::HubDetail(snap, v, limits.max_expansions_per_vertex));
  return r;
}

StatusOr<KHopIds> KHopIdsOnly(const QueryContext& ctx, VertexId start, int k, const Filter& filter,
                              const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, start));
  if (k < 0) return InvalidArgument("k must be >= 0, got " + std::to_string(k));
  internal::Guard guard(limits);
  KHopIds r;
  std::unordered_map<VertexId, int> depth;
  std::unordered_set<EdgeId> edges;
  depth.reserve(256);
  depth.emplace(start, 0);
  r.vertices.push_back(start);
  r.depth.push_back(0);
  bool stop = false;
  // r.vertices doubles as the BFS queue (vertices are appended in BFS order).
  for (size_t head = 0; head < r.vertices.size() && !stop; ++head) {
    VertexId u = r.vertices[head];
    int du = r.depth[head];
    if (du >= k) break;
    bool complete = ForEachNeighbor(
        snap, u, filter, limits.max_expansions_per_vertex,
        [&](VertexId w, EdgeId e, Direction) {
          if (!guard.Tick(&r.truncation)) return false;
          auto it = depth.find(w);
          if (it == depth.end()) {
            if (r.vertices.size() >= limits.max_rows) {
              r.truncation.Set(TruncationReason::kMaxRows,
                               "stopped at " + std::to_string(limits.max_rows) + " vertices");
              return false;
            }
            if (depth.size() >= limits.max_visited) {
              r.truncation.Set(TruncationReason::kMaxVisited,
                               "stopped at " + std::to_string(limits.max_visited) + " vertices");
              return false;
            }
            depth.emplace(w, du + 1);
            r.vertices.push_back(w);
            r.depth.push_back(du + 1);
          }
          if (edges.insert(e).second) r.edges.push_back(e);
          return true;
        },
        &stop);
    if (!complete)
      r.truncation.Set(TruncationReason::kMaxExpansions,
                       internal::HubDetail(snap, u, limits.max_expansions_per_vertex));
  }
  return r;
}

StatusOr<Subgraph> KHop(const QueryContext& ctx, VertexId start, int k, const Filter& filter,
                        const Limits& limits) {
  CG_ASSIGN_OR_RETURN(KHopIds ids, KHopIdsOnly(ctx, start, k, filter, limits));
  Subgraph g;
  g.truncation = ids.truncation;
  g.vertices.reserve(ids.vertices.size());
  for (size_t i = 0; i < ids.vertices.size(); ++i)
    g.vertices.push_back(SubgraphVertex{Describe(ctx, ids.vertices[i]), ids.depth[i]});
  g.edges.reserve(ids.edges.size());
  for (EdgeId e : ids.edges) g.edges.push_back(MakeEvidence(ctx, e));
  return g;
}

StatusOr<SharedResult> CommonNeighbors(const QueryContext& ctx, VertexId a, VertexId b,
                                       const Filter& filter, const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, a));
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, b));
  if (a == b) return InvalidArgument("common neighbours need two different vertices");
  internal::Guard guard(limits);
  SharedResult r;
  r.a = Describe(ctx, a);
  r.b = Describe(ctx, b);
  // Neighbour -> the a-edges reaching it, in adjacency order.
  std::unordered_map<VertexId, std::vector<EdgeId>> of_a;
  std::vector<VertexId> order;
  bool complete = ForEachNeighbor(snap, a, filter, limits.max_expansions_per_vertex,
                                  [&](VertexId w, EdgeId e, Direction) {
                                    if (!guard.Tick(&r.truncation)) return false;
                                    if (w == b) return true;
                                    auto& list = of_a[w];
                                    if (list.empty()) order.push_back(w);
                                    list.push_back(e);
                                    return true;
                                  });
  if (!complete)
    r.truncation.Set(TruncationReason::kMaxExpansions,
                     internal::HubDetail(snap, a, limits.max_expansions_per_vertex));
  std::unordered_map<VertexId, std::vector<EdgeId>> of_b;
  complete = ForEachNeighbor(snap, b, filter, limits.max_expansions_per_vertex,
                             [&](VertexId w, EdgeId e, Direction) {
                               if (!guard.Tick(&r.truncation)) return false;
                               if (of_a.count(w)) of_b[w].push_back(e);
                               return true;
                             });
  if (!complete)
    r.truncation.Set(TruncationReason::kMaxExpansions,
                     internal::HubDetail(snap, b, limits.max_expansions_per_vertex));
  for (VertexId w : order) {
    auto it = of_b.find(w);
    if (it == of_b.end()) continue;
    EntityRef shared = Describe(ctx, w);
    for (EdgeId ea : of_a[w]) {
      for (EdgeId eb : it->second) {
        if (r.rows.size() >= limits.max_rows) {
          r.truncation.Set(TruncationReason::kMaxRows,
                           "stopped at " + std::to_string(limits.max_rows) + " rows");
          return r;
        }
        r.rows.push_back(SharedRow{shared, MakeEvidence(ctx, ea), MakeEvidence(ctx, eb)});
      }
    }
  }
  return r;
}

}  // namespace citygraph::query
