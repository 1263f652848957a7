// Shortest path, shortest distance and all shortest paths.
#include "citygraph/query/paths.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "bfs.h"
#include "internal.h"

namespace citygraph::query {

using internal::IdPath;

namespace {

Status CheckEndpoints(const Snapshot& snap, VertexId from, VertexId to,
                      const PathOptions& options) {
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, from));
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, to));
  if (options.max_hops < 0)
    return InvalidArgument("max_hops must be >= 0, got " + std::to_string(options.max_hops));
  return Status::OK();
}

// Appends materialised paths while the guard allows.
void MaterializeAll(const QueryContext& ctx, const std::vector<IdPath>& ids, internal::Guard* guard,
                    PathsResult* r) {
  // After a stop, a few paths are still materialised so the caller gets what
  // was found (bounded work: kAfterStop paths).
  constexpr size_t kAfterStop = 100;
  for (const IdPath& p : ids) {
    if (!guard->Check(&r->truncation) && r->paths.size() >= kAfterStop) return;
    r->paths.push_back(internal::Materialize(ctx, p));
  }
}

}  // namespace

StatusOr<std::optional<int>> ShortestDistance(const QueryContext& ctx, VertexId from, VertexId to,
                                              const PathOptions& options, const Limits& limits,
                                              Truncation* trunc) {
  CG_RETURN_IF_ERROR(CheckEndpoints(ctx.snap(), from, to, options));
  internal::Guard guard(limits);
  auto p = internal::BiBfs(ctx.snap(), from, to, options.filter, options.max_hops, limits, &guard,
                           trunc);
  if (!p) return std::optional<int>();
  return std::optional<int>(static_cast<int>(p->edges.size()));
}

StatusOr<PathsResult> ShortestPath(const QueryContext& ctx, VertexId from, VertexId to,
                                   const PathOptions& options, const Limits& limits) {
  CG_RETURN_IF_ERROR(CheckEndpoints(ctx.snap(), from, to, options));
  internal::Guard guard(limits);
  PathsResult r;
  r.from = Describe(ctx, from);
  r.to = Describe(ctx, to);
  auto p = internal::BiBfs(ctx.snap(), from, to, options.filter, options.max_hops, limits, &guard,
                           &r.truncation);
  if (p) {
    r.distance = static_cast<int>(p->edges.size());
    if (limits.max_rows > 0) {
      r.paths.push_back(internal::Materialize(ctx, *p));
    } else {
      r.truncation.Set(TruncationReason::kMaxRows, "max_rows is 0");
    }
  }
  return r;
}

StatusOr<PathsResult> AllShortestPaths(const QueryContext& ctx, VertexId from, VertexId to,
                                       const PathOptions& options, const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(CheckEndpoints(snap, from, to, options));
  internal::Guard guard(limits);
  PathsResult r;
  r.from = Describe(ctx, from);
  r.to = Describe(ctx, to);
  auto first = internal::BiBfs(snap, from, to, options.filter, options.max_hops, limits, &guard,
                               &r.truncation);
  if (!first) return r;
  const int d = static_cast<int>(first->edges.size());
  r.distance = d;
  if (d == 0) {
    MaterializeAll(ctx, {*first}, &guard, &r);
    return r;
  }
  // Layered BFS from `from` recording every predecessor on a shortest path.
  std::unordered_map<VertexId, int> dist;
  std::unordered_map<VertexId, std::vector<std::pair<VertexId, EdgeId>>> preds;
  dist.emplace(from, 0);
  std::vector<VertexId> layer = {from};
  bool stop = false;
  for (int l = 0; l < d && !stop; ++l) {
    std::vector<VertexId> next;
    for (VertexId u : layer) {
      bool complete = internal::ForEachNeighbor(
          snap, u, options.filter, limits.max_expansions_per_vertex,
          [&](VertexId w, EdgeId e, Direction) {
            if (!guard.Tick(&r.truncation)) {
              stop = true;
              return false;
            }
            if (w == to) {
              if (l + 1 == d) preds[to].emplace_back(u, e);
              return true;
            }
            if (l + 1 == d || w == from || !options.filter.LabelAllowed(snap.label(w))) return true;
            auto it = dist.find(w);
            if (it == dist.end()) {
              if (dist.size() >= limits.max_visited) {
                r.truncation.Set(TruncationReason::kMaxVisited,
                                 "stopped at " + std::to_string(limits.max_visited) + " vertices");
                stop = true;
                return false;
              }
              dist.emplace(w, l + 1);
              next.push_back(w);
              preds[w].emplace_back(u, e);
            } else if (it->second == l + 1) {
              preds[w].emplace_back(u, e);
            }
            return true;
          },
          nullptr, /*check_label=*/false);
      if (!complete)
        r.truncation.Set(TruncationReason::kMaxExpansions,
                         internal::HubDetail(snap, u, limits.max_expansions_per_vertex));
      if (stop) break;
    }
    layer = std::move(next);
  }
  // Enumerate backwards from `to`: every predecessor chain ends at `from`.
  std::vector<IdPath> found;
  const size_t cap = std::min(limits.max_rows, limits.max_visited);
  IdPath cur;  // reversed while building
  std::function<bool(VertexId)> walk = [&](VertexId v) -> bool {
    if (!guard.Tick(&r.truncation)) return false;
    if (v == from) {
      if (found.size() >= cap) {
        r.truncation.Set(
            cap == limits.max_rows ? TruncationReason::kMaxRows : TruncationReason::kMaxVisited,
            "stopped at " + std::to_string(cap) + " shortest paths");
        return false;
      }
      IdPath p{{from}, {}};
      p.vertices.insert(p.vertices.end(), cur.vertices.rbegin(), cur.vertices.rend());
      p.edges.insert(p.edges.end(), cur.edges.rbegin(), cur.edges.rend());
      found.push_back(std::move(p));
      return true;
    }
    auto it = preds.find(v);
    if (it == preds.end()) return true;
    for (const auto& [u, e] : it->second) {
      cur.vertices.push_back(v);
      cur.edges.push_back(e);
      bool go = walk(u);
      cur.vertices.pop_back();
      cur.edges.pop_back();
      if (!go) return false;
    }
    return true;
  };
  if (!stop) walk(to);
  MaterializeAll(ctx, found, &guard, &r);
  return r;
}

}  // namespace citygraph::query
