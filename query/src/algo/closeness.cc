// Closeness centrality (Bavelas 1950; Sabidussi 1966) with the Wasserman &
// Faust correction for graphs that are not strongly connected ("Social
// Network Analysis", 1994, eq. 5.3): C(v) = (r-1)/(n-1) * (r-1)/sum d(v,u)
// over the r-1 other nodes v reaches. One BFS per node; the nodes are
// spread over threads, each with its own scratch arrays. Serial verifier:
// BfsSerial from every node.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

double Score(size_t n, uint64_t reached, uint64_t dist_sum) {
  if (reached == 0 || dist_sum == 0) return 0.0;
  const double r = static_cast<double>(reached);
  return (r / static_cast<double>(n - 1)) * (r / static_cast<double>(dist_sum));
}

}  // namespace

std::vector<double> Closeness(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  std::vector<double> out(n, 0.0);
  struct Scratch {
    std::vector<int32_t> depth;
    std::vector<Node> queue;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] {
    Scratch s;
    s.depth.assign(n, kUnreached);
    return s;
  });
  tbb::parallel_for(size_t{0}, n, [&](size_t i) {
    Scratch& s = scratch.local();
    Node src = static_cast<Node>(i);
    s.queue.clear();
    s.queue.push_back(src);
    s.depth[src] = 0;
    uint64_t sum = 0;
    for (size_t head = 0; head < s.queue.size(); ++head) {
      Node u = s.queue[head];
      sum += static_cast<uint64_t>(s.depth[u]);
      for (Node v : g.out_neighbors(u)) {
        if (s.depth[v] == kUnreached) {
          s.depth[v] = s.depth[u] + 1;
          s.queue.push_back(v);
        }
      }
    }
    out[i] = Score(n, s.queue.size() - 1, sum);
    for (Node u : s.queue) s.depth[u] = kUnreached;
  });
  return out;
}

std::vector<double> ClosenessSerial(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  std::vector<double> out(n, 0.0);
  for (Node s = 0; s < n; ++s) {
    uint64_t reached = 0, sum = 0;
    for (int32_t d : BfsSerial(g, s)) {
      if (d > 0) {
        ++reached;
        sum += static_cast<uint64_t>(d);
      }
    }
    out[s] = Score(n, reached, sum);
  }
  return out;
}

}  // namespace citygraph::algo
