// Bidirectional breadth-first search.
//
// Each side keeps the vertices it reached with their parent edge. A search on
// the 1M-person city touches up to a few hundred thousand vertices when the
// two persons are far apart (grid cells and areas are hubs), so the visited
// sets are dense per-vertex marks stamped with a search generation, taken
// from a pool and reused: no clearing, no hashing, one cache line per probe.
#include "bfs.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "internal.h"

namespace citygraph::query::internal {
namespace {

constexpr size_t kAhead = 8;  // adjacency entries prefetched ahead

struct Parent {
  VertexId prev;
  EdgeId edge;
  int dist;
};

// Marks of one search. mark(v) == Stamp(side) iff `side` reached v in the
// current search; then parents_[index(v)] is how it got there.
class VisitState {
 public:
  // Starts a search over `n` vertices.
  void Begin(size_t n) {
    if (slots_.size() < n) slots_.resize(n, Slot{0, 0});
    if (gen_ >= kMaxGen) {  // stamps would wrap: forget everything once
      std::fill(slots_.begin(), slots_.end(), Slot{0, 0});
      gen_ = 0;
    }
    ++gen_;
    parents_.clear();
  }
  // -1 if no side reached v in this search, else the side (0 or 1).
  int Side(VertexId v) const {
    uint32_t m = slots_[v].mark;
    return (m >> 1) == gen_ ? int(m & 1) : -1;
  }
  const Parent& parent(VertexId v) const { return parents_[slots_[v].index]; }
  void Add(VertexId v, int side, Parent p) {
    slots_[v] = Slot{(gen_ << 1) | uint32_t(side), uint32_t(parents_.size())};
    parents_.push_back(p);
  }
  size_t visited() const { return parents_.size(); }
  void Prefetch(VertexId v) const { __builtin_prefetch(&slots_[v]); }

 private:
  static constexpr uint32_t kMaxGen = (1u << 31) - 1;
  struct Slot {
    uint32_t mark;   // generation << 1 | side
    uint32_t index;  // into parents_
  };
  std::vector<Slot> slots_;
  std::vector<Parent> parents_;
  uint32_t gen_ = 0;
};

// Visit states are 8 bytes per vertex of the graph, so they are pooled and
// reused across searches rather than kept per thread: the memory held is
// bounded by the number of searches running at once (and at most kKeep
// states are kept idle).
class VisitPool {
 public:
  std::unique_ptr<VisitState> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.empty()) return std::make_unique<VisitState>();
    auto s = std::move(idle_.back());
    idle_.pop_back();
    return s;
  }
  void Return(std::unique_ptr<VisitState> s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < Keep()) idle_.push_back(std::move(s));
  }

 private:
  static size_t Keep() { return std::max<size_t>(2, std::thread::hardware_concurrency()); }
  std::mutex mu_;
  std::vector<std::unique_ptr<VisitState>> idle_;
};

VisitPool& Pool() {
  static VisitPool* pool = new VisitPool;  // never destroyed: used until exit
  return *pool;
}

class VisitLease {
 public:
  VisitLease() : s_(Pool().Take()) {}
  ~VisitLease() { Pool().Return(std::move(s_)); }
  VisitLease(const VisitLease&) = delete;
  VisitLease& operator=(const VisitLease&) = delete;
  VisitState* operator->() const { return s_.get(); }
  VisitState& operator*() const { return *s_; }

 private:
  std::unique_ptr<VisitState> s_;
};

// Appends x and the chain of its parents back to its side's start.
void WalkBack(const VisitState& vs, VertexId x, IdPath* path) {
  for (;;) {
    path->vertices.push_back(x);
    const Parent& p = vs.parent(x);
    if (p.prev == kNoVertex) return;
    path->edges.push_back(p.edge);
    x = p.prev;
  }
}

void Reverse(IdPath* path) {
  std::reverse(path->vertices.begin(), path->vertices.end());
  std::reverse(path->edges.begin(), path->edges.end());
}

// The path through the meeting edge (u, w, e): u reached by side s, w by the
// other side; both parent chains walked back to their starts.
IdPath Join(const VisitState& vs, int s, VertexId u, VertexId w, EdgeId e) {
  IdPath path;
  WalkBack(vs, u, &path);
  Reverse(&path);
  path.edges.push_back(e);
  WalkBack(vs, w, &path);
  if (s == 1) Reverse(&path);
  return path;
}

}  // namespace

// The sides expand in turn (the smaller frontier first), one level at a time.
// While no hub was cut, the balls around both ends are disjoint until they
// meet, so the first meeting edge found gives a shortest path and the search
// stops there. Once a hub was cut (max_expansions_per_vertex) the sides see
// different graphs; then the level is finished and its shortest join taken.
std::optional<IdPath> BiBfs(const Snapshot& snap, VertexId from, VertexId to, const Filter& filter,
                            int max_hops, const Limits& limits, Guard* guard, Truncation* trunc,
                            Bans bans) {
  if (from == to) return IdPath{{from}, {}};
  if (max_hops <= 0) return std::nullopt;
  VisitLease vs;
  vs->Begin(snap.num_vertices());
  vs->Add(from, 0, Parent{kNoVertex, kNoEdge, 0});
  vs->Add(to, 1, Parent{kNoVertex, kNoEdge, 0});
  std::vector<VertexId> frontier[2] = {{from}, {to}};
  std::vector<VertexId> next;
  int depth[2] = {0, 0};
  // The backward side follows edges the other way round.
  const bool out[2] = {filter.direction != Direction::kIn, filter.direction != Direction::kOut};
  const bool in[2] = {out[1], out[0]};
  const size_t cap = limits.max_expansions_per_vertex;
  bool cut = false;  // some hub's adjacency was cut by `cap`

  while (!frontier[0].empty() && !frontier[1].empty() && depth[0] + depth[1] < max_hops) {
    const int s = frontier[0].size() <= frontier[1].size() ? 0 : 1;
    int best = INT32_MAX;
    VertexId meet_u = kNoVertex, meet_w = kNoVertex;
    EdgeId meet_e = kNoEdge;
    bool stop = false;
    next.clear();
    // Examines one adjacency entry of frontier vertex u; false ends the level.
    auto visit = [&](VertexId u, const AdjEntry& a) -> bool {
      if (!guard->Tick(trunc)) {
        stop = true;
        return false;
      }
      const VertexId w = a.nbr;
      const int side = vs->Side(w);
      if (side == s) return true;  // already reached from this side
      if (side < 0 && !filter.labels.empty() && !filter.LabelAllowed(snap.label(w))) return true;
      if (bans.edges && bans.edges->count(a.edge)) return true;
      if (bans.vertices && bans.vertices->count(w)) return true;
      if (!filter.EdgeAllowed(snap.edge(a.edge))) return true;
      if (side >= 0) {  // the other side reached w: the two halves join
        int total = depth[s] + 1 + vs->parent(w).dist;
        if (total < best) {
          best = total;
          meet_u = u, meet_w = w, meet_e = a.edge;
        }
        return cut;  // see above: without cuts the first join is shortest
      }
      if (vs->visited() >= limits.max_visited) {
        trunc->Set(
            TruncationReason::kMaxVisited,
            "path search stopped at " + std::to_string(limits.max_visited) + " visited vertices");
        stop = true;
        return false;
      }
      vs->Add(w, s, Parent{u, a.edge, depth[s] + 1});
      next.push_back(w);
      return true;
    };
    // Scans at most `cap` entries of u's adjacency. The neighbours' marks and
    // edge records are random reads: they are prefetched kAhead entries early
    // so that a hub's list is read at memory bandwidth, not latency.
    auto scan = [&](VertexId u, const AdjRange& range) -> bool {
      size_t budget = cap;
      for (std::span<const AdjEntry> part : {range.base(), range.delta()}) {
        const size_t k = std::min(part.size(), budget);
        for (size_t i = 0; i < k; ++i) {
          if (i + kAhead < k) {
            vs->Prefetch(part[i + kAhead].nbr);
            __builtin_prefetch(&snap.edge(part[i + kAhead].edge));
          }
          if (!visit(u, part[i])) return false;
        }
        budget -= k;
        if (k < part.size()) {
          cut = true;
          if (!trunc->truncated)
            trunc->Set(TruncationReason::kMaxExpansions, HubDetail(snap, u, cap));
          return true;
        }
      }
      return true;
    };
    for (VertexId u : frontier[s]) {
      if (out[s] && !scan(u, snap.out_edges(u))) break;
      if (in[s] && !scan(u, snap.in_edges(u))) break;
    }
    if (stop) return std::nullopt;
    if (meet_u != kNoVertex && best <= max_hops) return Join(*vs, s, meet_u, meet_w, meet_e);
    std::swap(frontier[s], next);
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
