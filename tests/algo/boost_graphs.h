// Copies of a CsrGraph as boost::adjacency_list, for tests that check our
// kernels against the Boost Graph Library's implementations.
#ifndef CITYGRAPH_TESTS_ALGO_BOOST_GRAPHS_H_
#define CITYGRAPH_TESTS_ALGO_BOOST_GRAPHS_H_

#include <boost/graph/adjacency_list.hpp>

#include "citygraph/algo/csr_graph.h"

namespace citygraph::algo::testing_graphs {

using WeightProp = boost::property<boost::edge_weight_t, double>;
using BoostUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                              boost::no_property, WeightProp>;
using BoostDirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                            boost::no_property, WeightProp>;

// Each undirected edge once; weights 1 when `g` has none.
template <typename BoostGraph>
BoostGraph ToBoost(const CsrGraph& g) {
  BoostGraph b(g.num_nodes());
  for (Node u = 0; u < g.num_nodes(); ++u) {
    auto nbrs = g.out_neighbors(u);
    auto ws = g.out_weights(u);
    for (size_t i = 0; i < nbrs.size(); ++i) {
      if (!g.directed() && nbrs[i] < u) continue;
      boost::add_edge(u, nbrs[i], WeightProp(ws.empty() ? 1.0 : ws[i]), b);
    }
  }
  return b;
}

}  // namespace citygraph::algo::testing_graphs

#endif  // CITYGRAPH_TESTS_ALGO_BOOST_GRAPHS_H_
