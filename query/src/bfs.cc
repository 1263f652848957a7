// Bidirectional breadth-first search.
#include "bfs.h"

#include <algorithm>
#include <unordered_map>

#include "internal.h"

namespace citygraph::query::internal {
namespace {

struct Parent {
  VertexId prev;
  EdgeId edge;
  int dist;
};

using ParentMap = std::unordered_map<VertexId, Parent>;

}  // namespace

std::optional<IdPath> BiBfs(const Snapshot& snap, VertexId from, VertexId to, const Filter& filter,
                            int max_hops, const Limits& limits, Guard* guard, Truncation* trunc,
                            Bans bans) {
  if (from == to) return IdPath{{from}, {}};
  if (max_hops <= 0) return std::nullopt;
  ParentMap side[2];
  side[0].reserve(64);
  side[1].reserve(64);
  side[0].emplace(from, Parent{kNoVertex, kNoEdge, 0});
  side[1].emplace(to, Parent{kNoVertex, kNoEdge, 0});
  std::vector<VertexId> frontier[2] = {{from}, {to}};
  int depth[2] = {0, 0};
  // The backward side follows edges the other way round.
  Filter back = filter;
  if (filter.direction == Direction::kOut) back.direction = Direction::kIn;
  if (filter.direction == Direction::kIn) back.direction = Direction::kOut;
  const Filter* filters[2] = {&filter, &back};

  while (!frontier[0].empty() && !frontier[1].empty() && depth[0] + depth[1] < max_hops) {
    int s = frontier[0].size() <= frontier[1].size() ? 0 : 1;
    ParentMap& mine = side[s];
    const ParentMap& other = side[1 - s];
    std::vector<VertexId> next;
    int best = INT32_MAX;
    VertexId meet = kNoVertex, meet_prev = kNoVertex;
    EdgeId meet_edge = kNoEdge;
    bool stop = false;
    for (VertexId u : frontier[s]) {
      if (stop) break;
      bool complete = ForEachNeighbor(
          snap, u, *filters[s], limits.max_expansions_per_vertex,
          [&](VertexId w, EdgeId e, Direction) {
            if (!guard->Tick(trunc)) {
              stop = true;
              return false;
            }
            if (bans.edges && bans.edges->count(e)) return true;
            if (bans.vertices && bans.vertices->count(w)) return true;
            auto ot = other.find(w);
            if (ot != other.end()) {
              int total = depth[s] + 1 + ot->second.dist;
              if (total < best) {
                best = total;
                meet = w;
                meet_prev = u;
                meet_edge = e;
              }
              return true;
            }
            if (w != from && w != to && !filter.LabelAllowed(snap.label(w))) return true;
            if (mine.count(w)) return true;
            if (mine.size() + other.size() >= limits.max_visited) {
              trunc->Set(TruncationReason::kMaxVisited, "path search stopped at " +
                                                            std::to_string(limits.max_visited) +
                                                            " visited vertices");
              stop = true;
              return false;
            }
            mine.emplace(w, Parent{u, e, depth[s] + 1});
            next.push_back(w);
            return true;
          },
          nullptr, /*check_label=*/false);
      if (!complete)
        trunc->Set(TruncationReason::kMaxExpansions,
                   HubDetail(snap, u, limits.max_expansions_per_vertex));
    }
    if (stop) return std::nullopt;
    if (meet != kNoVertex && best <= max_hops) {
      // Side s reached `meet` from meet_prev; walk both parent chains.
      std::vector<VertexId> left_v;
      std::vector<EdgeId> left_e;
      for (VertexId x = meet_prev;;) {
        left_v.push_back(x);
        const Parent& p = mine.at(x);
        if (p.prev == kNoVertex) break;
        left_e.push_back(p.edge);
        x = p.prev;
      }
      std::reverse(left_v.begin(), left_v.end());
      std::reverse(left_e.begin(), left_e.end());
      IdPath path{left_v, left_e};
      path.edges.push_back(meet_edge);
      for (VertexId x = meet;;) {
        path.vertices.push_back(x);
        const Parent& p = other.at(x);
        if (p.prev == kNoVertex) break;
        path.edges.push_back(p.edge);
        x = p.prev;
      }
      if (s == 1) {
        std::reverse(path.vertices.begin(), path.vertices.end());
        std::reverse(path.edges.begin(), path.edges.end());
      }
      return path;
    }
    frontier[s] = std::move(next);
    ++depth[s];
  }
  return std::nullopt;
}

Path Materialize(const QueryContext& ctx, const IdPath& p) {
  Path out;
  out.vertices.reserve(p.vertices.size());
  for (VertexId v : p.vertices) out.vertices.push_back(Describe(ctx, v));
  out.edges.reserve(p.edges.size());
  for (EdgeId e : p.edges) out.edges.push_back(MakeEvidence(ctx, e));
  return out;
}

}  // namespace citygraph::query::internal
