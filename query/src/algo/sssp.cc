// Single-source shortest paths by delta-stepping: Meyer & Sanders,
// "Delta-stepping: a parallelizable shortest path algorithm", J. Algorithms
// 49(1), 2003. Nodes are kept in buckets of width delta; the lowest
// non-empty bucket is relaxed in parallel (all its nodes' arcs at once, as
// GAP's sssp does, rather than separating light and heavy arcs) until it
// stays empty. Each task files improved nodes into its own thread-local
// buckets, so the only shared writes are the atomic-min distance updates.
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

}  // namespace

std::vector<double> Sssp(const CsrGraph& g, Node source, double delta) {
  const size_t n = g.num_nodes();
  std::vector<double> dist(n, kInf);
  dist[source] = 0;
  using Bins = std::vector<std::vector<Node>>;
  tbb::enumerable_thread_specific<Bins> local_bins;
  std::vector<Node> frontier{source};
  size_t bin = 0;
  while (!frontier.empty()) {
    const double bin_floor = delta * static_cast<double>(bin);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, frontier.size(), 32), [&](const auto& r) {
      Bins& bins = local_bins.local();
      for (size_t i = r.begin(); i != r.end(); ++i) {
        Node u = frontier[i];
        const double du = std::atomic_ref<double>(dist[u]).load(std::memory_order_relaxed);
        if (du < bin_floor) continue;  // settled in an earlier bucket already
        auto nbrs = g.out_neighbors(u);
        auto ws = g.out_weights(u);
        for (size_t k = 0; k < nbrs.size(); ++k) {
          const double nd = du + (ws.empty() ? 1.0 : ws[k]);
          if (internal::AtomicMin(dist[nbrs[k]], nd)) {
            size_t b = static_cast<size_t>(nd / delta);
            if (b >= bins.size()) bins.resize(b + 1);
            bins[b].push_back(nbrs[k]);
          }
        }
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
