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
// about 30% less CPU time at Kronecker scale 18 and 20).
// Serial verifier: Dijkstra with a binary heap.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <functional>
#include <limits>
#include <queue>

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

// Prefetch distances (in arcs) and nodes (in list entries) ahead.
constexpr size_t kArcsAhead = 6, kNodesAhead = 8;

// Relaxes u's out-arcs from distance du, filing improved nodes in `bins`.
inline void Relax(const CsrGraph& g, Node u, double du, double delta, std::vector<double>& dist,
                  Bins& bins) {
  auto nbrs = g.out_neighbors(u);
  auto ws = g.out_weights(u);
  const bool unit = ws.empty();
  for (size_t k = 0; k < nbrs.size(); ++k) {
    if (k + kArcsAhead < nbrs.size()) __builtin_prefetch(&dist[nbrs[k + kArcsAhead]]);
    const double nd = du + (unit ? 1.0 : ws[k]);
    if (internal::AtomicMin(dist[nbrs[k]], nd)) {
      const size_t b = static_cast<size_t>(nd / delta);
      if (b >= bins.size()) bins.resize(b + 1);
      bins[b].push_back(nbrs[k]);
    }
  }
}

// Relaxes every node of [begin, end) whose distance is still >= floor.
void RelaxAll(const CsrGraph& g, const Node* begin, const Node* end, double floor, double delta,
              std::vector<double>& dist, Bins& bins) {
  const uint64_t* off = g.out_offsets().data();
  const Node* nbrs = g.out_nbrs().data();
  for (const Node* p = begin; p != end; ++p) {
    if (end - p > static_cast<ptrdiff_t>(2 * kNodesAhead)) {
      __builtin_prefetch(&off[p[2 * kNodesAhead]]);
    }
    if (end - p > static_cast<ptrdiff_t>(kNodesAhead)) {
      const Node x = p[kNodesAhead];
      __builtin_prefetch(&nbrs[off[x]]);
      __builtin_prefetch(&dist[x]);
      auto wx = g.out_weights(x);
      if (!wx.empty()) __builtin_prefetch(wx.data());
    }
    const Node u = *p;
    const double du = std::atomic_ref<double>(dist[u]).load(std::memory_order_relaxed);
    if (du >= floor) Relax(g, u, du, delta, dist, bins);
  }
}

}  // namespace

std::vector<double> Sssp(const CsrGraph& g, Node source, double delta) {
  const size_t n = g.num_nodes();
  std::vector<double> dist(n, kInf);
  dist[source] = 0;
  tbb::enumerable_thread_specific<Bins> local_bins;
  std::vector<Node> frontier{source};
  size_t bin = 0;
  while (!frontier.empty()) {
    const double bin_floor = delta * static_cast<double>(bin);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, frontier.size(), 64), [&](const auto& r) {
      Bins& bins = local_bins.local();
      RelaxAll(g, frontier.data() + r.begin(), frontier.data() + r.end(), bin_floor, delta, dist,
               bins);
      // Bucket fusion.
      std::vector<Node> todo;
      while (bin < bins.size() && !bins[bin].empty() && bins[bin].size() < kFusionThreshold) {
        todo.swap(bins[bin]);
        RelaxAll(g, todo.data(), todo.data() + todo.size(), bin_floor, delta, dist, bins);
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
  return dist;
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
