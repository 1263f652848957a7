// k shortest loopless paths (Yen, "Finding the k shortest loopless paths in a
// network", Management Science 17(11), 1971) and the Connections mission
// query built on it.
#include <algorithm>
#include <unordered_set>

#include "bfs.h"
#include "citygraph/query/paths.h"
#include "internal.h"

namespace citygraph::query {

using internal::IdPath;

namespace {

bool SharesRoot(const IdPath& p, const IdPath& root_of, size_t i) {
  if (p.vertices.size() <= i + 1) return false;
  for (size_t j = 0; j <= i; ++j)
    if (p.vertices[j] != root_of.vertices[j]) return false;
  for (size_t j = 0; j < i; ++j)
    if (p.edges[j] != root_of.edges[j]) return false;
  return true;
}

}  // namespace

StatusOr<PathsResult> KShortestPaths(const QueryContext& ctx, VertexId from, VertexId to, int k,
                                     const PathOptions& options, const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, from));
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, to));
  if (k < 1) return InvalidArgument("k must be >= 1, got " + std::to_string(k));
  internal::Guard guard(limits);
  PathsResult r;
  r.from = Describe(ctx, from);
  r.to = Describe(ctx, to);
  size_t want = static_cast<size_t>(k);
  if (want > limits.max_rows) want = limits.max_rows;
  std::vector<IdPath> found;
  auto first = internal::BiBfs(snap, from, to, options.filter, options.max_hops, limits, &guard,
                               &r.truncation);
  if (!first) return r;
  r.distance = static_cast<int>(first->edges.size());
  found.push_back(std::move(*first));
  std::vector<IdPath> candidates;
  while (found.size() < want && !guard.stopped()) {
    const IdPath prev = found.back();
    for (size_t i = 0; i + 1 < prev.vertices.size(); ++i) {
      if (!guard.Check(&r.truncation)) break;
      VertexId spur = prev.vertices[i];
      std::unordered_set<EdgeId> banned_e;
      for (const IdPath& p : found)
        if (SharesRoot(p, prev, i)) banned_e.insert(p.edges[i]);
      std::unordered_set<VertexId> banned_v(prev.vertices.begin(), prev.vertices.begin() + i);
      int budget = options.max_hops - static_cast<int>(i);
      auto spur_path = internal::BiBfs(snap, spur, to, options.filter, budget, limits, &guard,
                                       &r.truncation, {&banned_v, &banned_e});
      if (!spur_path) continue;
      IdPath total;
      total.vertices.assign(prev.vertices.begin(), prev.vertices.begin() + i);
      total.edges.assign(prev.edges.begin(), prev.edges.begin() + i);
      total.vertices.insert(total.vertices.end(), spur_path->vertices.begin(),
                            spur_path->vertices.end());
      total.edges.insert(total.edges.end(), spur_path->edges.begin(), spur_path->edges.end());
      if (std::find(candidates.begin(), candidates.end(), total) == candidates.end() &&
          std::find(found.begin(), found.end(), total) == found.end())
        candidates.push_back(std::move(total));
    }
    if (candidates.empty()) break;
    auto best = std::min_element(
        candidates.begin(), candidates.end(),
        [](const IdPath& a, const IdPath& b) { return a.edges.size() < b.edges.size(); });
    found.push_back(std::move(*best));
    candidates.erase(best);
  }
  if (found.size() == want && static_cast<size_t>(k) > limits.max_rows)
    r.truncation.Set(TruncationReason::kMaxRows, "returned " + std::to_string(limits.max_rows) +
                                                     " of the " + std::to_string(k) +
                                                     " paths asked");
  for (const IdPath& p : found) {
    if (!guard.Check(&r.truncation) && r.paths.size() >= 100) break;
    r.paths.push_back(internal::Materialize(ctx, p));
  }
  return r;
}

StatusOr<PathOptions> ConnectionPathOptions(const Schema& schema,
                                            const ConnectionOptions& options) {
  CG_ASSIGN_OR_RETURN(Filter f, MakeFilter(schema, options.as_of, {}, options.via_labels));
  PathOptions p;
  p.filter = std::move(f);
  p.max_hops = options.max_hops;
  return p;
}

StatusOr<PathsResult> Connections(const QueryContext& ctx, VertexId from, VertexId to,
                                  const ConnectionOptions& options, const Limits& limits) {
  CG_ASSIGN_OR_RETURN(PathOptions p, ConnectionPathOptions(ctx.schema(), options));
  if (options.max_paths < 1)
    return InvalidArgument("max_paths must be >= 1, got " + std::to_string(options.max_paths));
  return KShortestPaths(ctx, from, to, options.max_paths, p, limits);
}

}  // namespace citygraph::query
