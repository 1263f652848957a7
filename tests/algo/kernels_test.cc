// BFS, WCC, SSSP, PageRank, CDLP, LCC and degree on seeded random and
// Kronecker graphs, against the serial verifiers and the Boost Graph
// Library (connected_components, dijkstra_shortest_paths).
#include "citygraph/algo/kernels.h"

#include <gtest/gtest.h>

#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cmath>

#include "boost_graphs.h"
#include "citygraph/algo/graph_io.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

using testing_graphs::BoostDirected;
using testing_graphs::BoostUndirected;
using testing_graphs::Random;
using testing_graphs::ToBoost;

// Big enough for the direction-optimising switch to bottom-up steps.
const CsrGraph& Kron12() {
  static const CsrGraph g = GenerateKronecker({.scale = 12, .seed = 11});
  return g;
}

TEST(Bfs, MatchesSerialOnKroneckerAndRandomGraphs) {
  for (Node s : {Node{0}, Node{17}, Node{4000}})
    EXPECT_EQ(Bfs(Kron12(), s), BfsSerial(Kron12(), s));
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    CsrGraph d = Random(300, 0.01, seed, /*directed=*/true);
    EXPECT_EQ(Bfs(d, 0), BfsSerial(d, 0)) << seed;
  }
}

TEST(Wcc, MatchesBoostConnectedComponents) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    CsrGraph g = Random(400, 0.004, seed, false);  // sparse: many components
    auto b = ToBoost<BoostUndirected>(g);
    std::vector<int> boost_comp(g.num_nodes());
    int count = boost::connected_components(b, boost_comp.data());
    EXPECT_GT(count, 1);
    std::vector<Node> ref(boost_comp.begin(), boost_comp.end());
    EXPECT_TRUE(SamePartition(Wcc(g), ref)) << seed;
    CsrGraph d = Random(400, 0.002, seed, true);
    EXPECT_TRUE(SamePartition(Wcc(d), WccSerial(d))) << seed;
  }
  EXPECT_TRUE(SamePartition(Wcc(Kron12()), WccSerial(Kron12())));
}

TEST(Sssp, MatchesBoostDijkstra) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    for (bool directed : {false, true}) {
      CsrGraph g = Random(300, 0.02, seed, directed, /*weighted=*/true);
      std::vector<double> ref(g.num_nodes());
      if (directed) {
        auto b = ToBoost<BoostDirected>(g);
        boost::dijkstra_shortest_paths(b, 0, boost::distance_map(ref.data()));
      } else {
        auto b = ToBoost<BoostUndirected>(g);
        boost::dijkstra_shortest_paths(b, 0, boost::distance_map(ref.data()));
      }
      for (double delta : {0.5, 3.0, 50.0}) {
        std::vector<double> ours = Sssp(g, 0, delta);
        for (size_t v = 0; v < ours.size(); ++v) {
          if (ref[v] == std::numeric_limits<double>::max()) {
            EXPECT_TRUE(std::isinf(ours[v])) << v;
          } else {
            EXPECT_NEAR(ours[v], ref[v], 1e-9 * ref[v]) << "node " << v << " delta " << delta;
          }
        }
      }
    }
  }
}

// Whole-number weights take the 32-bit integer distance path: exactly
// Dijkstra's distances, for bucket widths below, at and above the weights.
TEST(Sssp, IntegerWeightsExactlyMatchDijkstra) {
  const CsrGraph g = GenerateKronecker({.scale = 12, .seed = 5, .weighted = true});
  ASSERT_TRUE(g.integer_weights());
  for (Node s : {Node{0}, Node{17}, Node{4000}}) {
    const std::vector<double> ref = SsspSerial(g, s);
    for (double delta : {1.0, 2.0, 7.5, 300.0}) {
      EXPECT_EQ(Sssp(g, s, delta), ref) << "source " << s << " delta " << delta;
    }
    EXPECT_EQ(Sssp(Kron12(), s, 2.0), SsspSerial(Kron12(), s)) << "unweighted, source " << s;
  }
}

// Zero weights, and whole numbers whose path sums do not fit in 32 bits
// (those must fall back to double distances).
TEST(Sssp, ZeroWeightsAndSumsBeyond32Bits) {
  EdgeList list;
  list.num_nodes = 5;
  list.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 1}};
  list.weights = {0, 3e9, 3e9, 4e9};
  CsrGraph big = CsrGraph::Build(list, BuildOptions{});
  ASSERT_TRUE(big.integer_weights());
  std::vector<double> d = Sssp(big, 0, 1e9);
  EXPECT_EQ(d, SsspSerial(big, 0));
  EXPECT_EQ(d[3], 6e9);
  EXPECT_TRUE(std::isinf(d[4]));
  list.weights = {0, 3, 0, 4};
  CsrGraph small = CsrGraph::Build(list, BuildOptions{});
  ASSERT_TRUE(small.integer_weights());
  d = Sssp(small, 0, 2.0);
  EXPECT_EQ(d, (std::vector<double>{0, 0, 3, 3, std::numeric_limits<double>::infinity()}));
}

TEST(PageRank, MatchesEigenVerifierAndSumsToOne) {
  CsrGraph d = Random(300, 0.01, 5, true);  // has dangling nodes
  auto pr = PageRank(d, 30, 0.85), ref = PageRankSerial(d, 30, 0.85);
  double sum = 0;
  // Contributions are floats (pagerank.cc): within 1e-6 relative, far
  // inside Graphalytics' 1e-4 and far below any wrong formula's error.
  for (size_t i = 0; i < pr.size(); ++i) {
    EXPECT_NEAR(pr[i], ref[i], 1e-6 * ref[i]);
    sum += pr[i];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
  auto k = PageRank(Kron12(), 10, 0.85), kref = PageRankSerial(Kron12(), 10, 0.85);
  for (size_t i = 0; i < k.size(); ++i) EXPECT_NEAR(k[i], kref[i], 1e-6 * kref[i]);
}

// Larger graphs (past 2^16 nodes, where the parallel passes split into many
// blocks): an undirected Kronecker graph, and a directed one (each edge one
// way, lower id to higher, so there are dangling nodes and in- and
// out-degrees differ).
TEST(PageRank, MatchesEigenVerifierOnLargeKroneckerGraphs) {
  const CsrGraph u = GenerateKronecker({.scale = 17, .seed = 3});
  ASSERT_GT(u.num_nodes(), size_t{1} << 16);
  EdgeList list;
  list.num_nodes = u.num_nodes();
  for (Node a = 0; a < u.num_nodes(); ++a) {
    for (Node b : u.out_neighbors(a)) {
      if (a < b) list.edges.emplace_back(a, b);
    }
  }
  const CsrGraph d = CsrGraph::Build(std::move(list), BuildOptions{});
  for (const CsrGraph* g : {&u, &d}) {
    auto pr = PageRank(*g, 12, 0.85), ref = PageRankSerial(*g, 12, 0.85);
    ASSERT_EQ(pr.size(), ref.size());
    double sum = 0;
    for (size_t i = 0; i < pr.size(); ++i) {
      ASSERT_NEAR(pr[i], ref[i], 1e-6 * ref[i]) << "node " << i << " directed " << g->directed();
      sum += pr[i];
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
}

TEST(CdlpAndLcc, MatchSerialOnRandomGraphs) {
  for (bool directed : {false, true}) {
    CsrGraph g = Random(250, 0.03, 9, directed);
    EXPECT_EQ(Cdlp(g, 6), CdlpSerial(g, 6));
    auto a = Lcc(g), b = LccSerial(g);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
  }
  auto a = Lcc(Kron12()), b = LccSerial(Kron12());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
}

TEST(Degree, OutInTotal) {
  CsrGraph d = Random(200, 0.05, 3, true);
  auto out = Degree(d, DegreeMode::kOut), in = Degree(d, DegreeMode::kIn),
       total = Degree(d, DegreeMode::kTotal);
  uint64_t sum_out = 0, sum_in = 0;
  for (Node u = 0; u < d.num_nodes(); ++u) {
    sum_out += out[u];
    sum_in += in[u];
    EXPECT_EQ(total[u], out[u] + in[u]);
  }
  EXPECT_EQ(sum_out, d.num_edges());
  EXPECT_EQ(sum_in, d.num_edges());
}

}  // namespace
}  // namespace citygraph::algo
