// Single-source shortest paths by delta-stepping: Meyer & Sanders,
// "Delta-stepping: a parallelizable shortest path algorithm", J. Algorithms
// 49(1), 2003, organised as GAP's sssp (Beamer et al., arXiv:1508.03619;
// bucket fusion from Zhang et al., "Optimizing ordered graph algorithms
// with GraphIt", CGO 2020). Nodes are kept in buckets of width delta; each
// round relaxes all arcs of the lowest non-empty bucket's nodes in
// parallel (GAP does not separate light and heavy arcs). Improved nodes go
// to the relaxing thread's own bins, so the only shared writes are the
// atomic-min distance updates. Bucket fusion: a thread whose own bin for
// the current bucket is still small drains it at once, instead of
// waiting for the next global round; this removes most of the rounds (and
// their synchronisation) on low-diameter graphs. Stale bin entries (a node
// whose distance has since dropped below the bucket) are skipped.
//
// Nodes of a bucket are in no useful order, so each one costs dependent
// cache misses (its offset, its arcs, then its neighbours' distances);
// software prefetching a few nodes and arcs ahead overlaps them (measured:
// about 30% less CPU time at Kronecker scale 18 and 20). For the same
// reason distances live on huge pages (internal::NodeArray), and when the
// weights are whole numbers (Graph500 / GAP graphs, unweighted graphs) they
// are exact 32-bit integers, as in GAP: half the bytes per random access.
// Real-valued weights keep double distances. Integer weights are read from
// the graph's packed (neighbour, weight) arcs, 8 bytes per arc as in GAP,
// instead of a neighbour and a double weight from two arrays.
// Serial verifier: Dijkstra with a binary heap.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <type_traits>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kNoBin = std::numeric_limits<size_t>::max();
// A thread drains its own current bin while it holds fewer nodes than
// this (GAP's kBinSizeThreshold): small enough to stay balanced.
constexpr size_t kFusionThreshold = 1000;

using Bins = std::vector<std::vector<Node>>;

// Prefetch distances (in arcs) and nodes (in list entries) ahead; 24 arcs
// measured best of 6, 14, 24 and 40 at scale 20.
constexpr size_t kArcsAhead = 24, kNodesAhead = 8;

// One delta-stepping run with distances of type Dist (uint32_t or double).
template <typename Dist>
struct Run {
  const uint64_t* off;
  const Node* nbrs;
  const double* w;          // null: every arc weighs 1 (or `packed` is set)
  const PackedArc* packed;  // when set, read instead of nbrs and w
  Dist* dist;
  double inv_delta;

  // Bucket of a distance. Monotone in d, so a node's bucket never drops
  // below the bucket being processed; stale entries are those whose
  // distance has since moved to a lower bucket.
  size_t Bucket(Dist d) const { return static_cast<size_t>(static_cast<double>(d) * inv_delta); }

  // Relaxes u's out-arcs from distance du, filing improved nodes in `bins`.
  void Relax(Node u, Dist du, Bins& bins) const {
    const uint64_t first = off[u], last = off[u + 1];
    if (packed != nullptr) {
      for (uint64_t p = first; p < last; ++p) {
        if (p + kArcsAhead < last) __builtin_prefetch(&dist[packed[p + kArcsAhead].nbr]);
        Improve(packed[p].nbr, du + static_cast<Dist>(packed[p].weight), bins);
      }
      return;
    }
    for (uint64_t p = first; p < last; ++p) {
      if (p + kArcsAhead < last) __builtin_prefetch(&dist[nbrs[p + kArcsAhead]]);
      Improve(nbrs[p], du + (w != nullptr ? static_cast<Dist>(w[p]) : Dist{1}), bins);
    }
  }

  // Lowers v's distance to nd if smaller, filing v in its new bucket.
  void Improve(Node v, Dist nd, Bins& bins) const {
    if (internal::AtomicMin(dist[v], nd)) {
      const size_t b = Bucket(nd);
      if (b >= bins.size()) bins.resize(b + 1);
      bins[b].push_back(v);
    }
  }

  // Relaxes every node of [begin, end) still in bucket `bin` or above.
  void RelaxAll(const Node* begin, const Node* end, size_t bin, Bins& bins) const {
    for (const Node* p = begin; p != end; ++p) {
      if (end - p > static_cast<ptrdiff_t>(2 * kNodesAhead)) {
        __builtin_prefetch(&off[p[2 * kNodesAhead]]);
      }
      if (end - p > static_cast<ptrdiff_t>(kNodesAhead)) {
        const Node x = p[kNodesAhead];
        __builtin_prefetch(&dist[x]);
        if (packed != nullptr) {
          __builtin_prefetch(&packed[off[x]]);
        } else {
          __builtin_prefetch(&nbrs[off[x]]);
          if (w != nullptr) __builtin_prefetch(&w[off[x]]);
        }
      }
      const Node u = *p;
      const Dist du = std::atomic_ref<Dist>(dist[u]).load(std::memory_order_relaxed);
      if (Bucket(du) >= bin) Relax(u, du, bins);
    }
  }
};

template <typename Dist>
std::vector<double> DeltaStepping(const CsrGraph& g, Node source, double delta) {
  const size_t n = g.num_nodes();
  constexpr Dist kUnreachedDist = std::numeric_limits<Dist>::has_infinity
                                      ? std::numeric_limits<Dist>::infinity()
                                      : std::numeric_limits<Dist>::max();
  internal::NodeArray<Dist> dist(n);
  dist.Fill(kUnreachedDist);
  dist[source] = 0;
  // Node 0's weights start at arc 0: out_weights(0).data() is all weights.
  // Packed arcs hold exact 32-bit weights: used with integer distances.
  const bool packed = std::is_same_v<Dist, uint32_t> && !g.out_packed_arcs().empty();
  const Run<Dist> run{g.out_offsets().data(),
                      g.out_nbrs().data(),
                      g.weighted() && g.num_arcs() > 0 ? g.out_weights(0).data() : nullptr,
                      packed ? g.out_packed_arcs().data() : nullptr,
                      dist.data(),
                      1.0 / delta};
  tbb::enumerable_thread_specific<Bins> local_bins;
  std::vector<Node> frontier{source};
  size_t bin = 0;
  while (!frontier.empty()) {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, frontier.size(), 64), [&](const auto& r) {
      Bins& bins = local_bins.local();
      run.RelaxAll(frontier.data() + r.begin(), frontier.data() + r.end(), bin, bins);
      // Bucket fusion.
      std::vector<Node> todo;
      while (bin < bins.size() && !bins[bin].empty() && bins[bin].size() < kFusionThreshold) {
        todo.swap(bins[bin]);
        run.RelaxAll(todo.data(), todo.data() + todo.size(), bin, bins);
        todo.clear();
      }
    });
    size_t next = kNoBin;
    for (Bins& bins : local_bins) {
      for (size_t b = bin; b < bins.size() && b < next; ++b) {
        if (!bins[b].empty()) {
          next = b;
          break;
        }
      }
    }
    frontier.clear();
    if (next == kNoBin) break;
    for (Bins& bins : local_bins) {
      if (next < bins.size()) {
        frontier.insert(frontier.end(), bins[next].begin(), bins[next].end());
        bins[next].clear();
      }
    }
    bin = next;
  }
  std::vector<double> out(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      out[i] = dist[i] == kUnreachedDist ? kInf : static_cast<double>(dist[i]);
    }
  });
  return out;
}

}  // namespace

std::vector<double> Sssp(const CsrGraph& g, Node source, double delta) {
  // 32-bit integer distances are exact when no path can reach 2^32 - 1.
  const double bound = g.weighted() ? g.max_weight() : 1.0;
  if ((!g.weighted() || g.integer_weights()) &&
      bound * static_cast<double>(g.num_nodes()) < 4294967295.0) {
    return DeltaStepping<uint32_t>(g, source, delta);
  }
  return DeltaStepping<double>(g, source, delta);
}

std::vector<double> SsspSerial(const CsrGraph& g, Node source) {
  std::vector<double> dist(g.num_nodes(), kInf);
  using Item = std::pair<double, Node>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist[source] = 0;
  heap.emplace(0.0, source);
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (d > dist[u]) continue;
    auto nbrs = g.out_neighbors(u);
    auto ws = g.out_weights(u);
    for (size_t k = 0; k < nbrs.size(); ++k) {
      const double nd = d + (ws.empty() ? 1.0 : ws[k]);
      if (nd < dist[nbrs[k]]) {
        dist[nbrs[k]] = nd;
        heap.emplace(nd, nbrs[k]);
      }
    }
  }
  return dist;
}

}  // namespace citygraph::algo
