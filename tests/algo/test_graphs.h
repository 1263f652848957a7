// Small seeded random graphs for the algorithm tests, built both as our
// CsrGraph and, where a test compares with the Boost Graph Library, as a
// boost::adjacency_list with the same node numbering.
#ifndef CITYGRAPH_TESTS_ALGO_TEST_GRAPHS_H_
#define CITYGRAPH_TESTS_ALGO_TEST_GRAPHS_H_

#include <random>
#include <utility>
#include <vector>

#include "citygraph/algo/csr_graph.h"

namespace citygraph::algo::testing_graphs {

// G(n, p) without self loops or duplicates; weights uniform in [1, 10)
// when `weighted`.
inline EdgeList RandomEdges(size_t n, double p, uint64_t seed, bool directed, bool weighted) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution coin(p);
  std::uniform_real_distribution<double> weight(1.0, 10.0);
  EdgeList list;
  list.num_nodes = n;
  for (Node u = 0; u < n; ++u) {
    for (Node v = directed ? 0 : u + 1; v < n; ++v) {
      if (u == v || !coin(rng)) continue;
      list.edges.emplace_back(u, v);
      if (weighted) list.weights.push_back(weight(rng));
    }
  }
  return list;
}

inline CsrGraph Random(size_t n, double p, uint64_t seed, bool directed, bool weighted = false) {
  BuildOptions opt;
  opt.directed = directed;
  return CsrGraph::Build(RandomEdges(n, p, seed, directed, weighted), opt);
}

// `groups` planted communities of `size` nodes: inside edges with p_in,
// between groups with p_out. Node u belongs to group u / size.
inline CsrGraph Planted(size_t groups, size_t size, double p_in, double p_out, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  EdgeList list;
  list.num_nodes = groups * size;
  for (Node u = 0; u < list.num_nodes; ++u) {
    for (Node v = u + 1; v < list.num_nodes; ++v) {
      double p = (u / size == v / size) ? p_in : p_out;
      if (unit(rng) < p) list.edges.emplace_back(u, v);
    }
  }
  BuildOptions opt;
  opt.directed = false;
  return CsrGraph::Build(std::move(list), opt);
}

}  // namespace citygraph::algo::testing_graphs

#endif  // CITYGRAPH_TESTS_ALGO_TEST_GRAPHS_H_
