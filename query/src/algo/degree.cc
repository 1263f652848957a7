// Degree centrality: out-, in- or total degree of every node, read from
// the CSR offsets in parallel. Total degree of an undirected graph is its
// degree (each edge is stored once per endpoint).
#include <tbb/parallel_for.h>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {

std::vector<uint64_t> Degree(const CsrGraph& g, DegreeMode mode) {
  std::vector<uint64_t> d(g.num_nodes());
  tbb::parallel_for(size_t{0}, g.num_nodes(), [&](size_t i) {
    Node u = static_cast<Node>(i);
    switch (mode) {
      case DegreeMode::kOut:
        d[i] = g.out_degree(u);
        break;
      case DegreeMode::kIn:
        d[i] = g.in_degree(u);
        break;
      case DegreeMode::kTotal:
        d[i] = g.directed() ? g.out_degree(u) + g.in_degree(u) : g.out_degree(u);
        break;
    }
  });
  return d;
}

}  // namespace citygraph::algo
