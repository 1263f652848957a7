// Triangle counting against the serial verifier and hand-made graphs.
#include <gtest/gtest.h>

#include <algorithm>

#include "citygraph/algo/graph_io.h"
#include "citygraph/algo/kernels.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

TEST(TriangleCount, CompleteGraphHasNChooseThree) {
  EdgeList list;
  list.num_nodes = 9;
  for (Node u = 0; u < 9; ++u) {
    for (Node v = u + 1; v < 9; ++v) list.edges.emplace_back(u, v);
  }
  CsrGraph g = CsrGraph::Build(list, {.directed = false});
  EXPECT_EQ(TriangleCount(g), 84u);  // 9*8*7/6
  EXPECT_EQ(TriangleCountSerial(g), 84u);
}

TEST(TriangleCount, MatchesSerialOnRandomAndSkewedGraphs) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CsrGraph g = testing_graphs::Random(300, 0.05, seed, false);
    EXPECT_EQ(TriangleCount(g), TriangleCountSerial(g)) << seed;
  }
  // Skewed enough to take the degree-relabelling path.
  CsrGraph k = GenerateKronecker({.scale = 11, .seed = 5});
  uint64_t t = TriangleCountSerial(k);
  EXPECT_GT(t, 0u);
  EXPECT_EQ(TriangleCount(k), t);
  std::vector<uint64_t> per = TrianglesPerNode(k);
  uint64_t sum = 0;
  for (uint64_t x : per) sum += x;
  EXPECT_EQ(sum, 3 * t);
}

// Triangles through u: pairs of u's neighbours that are adjacent.
std::vector<uint64_t> PerNodeBruteForce(const CsrGraph& g) {
  std::vector<uint64_t> t(g.num_nodes(), 0);
  for (Node u = 0; u < g.num_nodes(); ++u) {
    auto nu = g.out_neighbors(u);
    for (size_t i = 0; i < nu.size(); ++i) {
      auto nv = g.out_neighbors(nu[i]);
      for (size_t j = i + 1; j < nu.size(); ++j) {
        t[u] += std::binary_search(nv.begin(), nv.end(), nu[j]);
      }
    }
  }
  return t;
}

TEST(TriangleCount, PerNodeMatchesBruteForceOnBothOrderings) {
  // Random: ranked by id. Kronecker: skewed, ranked by degree.
  CsrGraph r = testing_graphs::Random(250, 0.08, 7, false);
  EXPECT_EQ(TrianglesPerNode(r), PerNodeBruteForce(r));
  CsrGraph k = GenerateKronecker({.scale = 10, .seed = 9});
  std::vector<uint64_t> expected = PerNodeBruteForce(k);
  EXPECT_GT(*std::max_element(expected.begin(), expected.end()), 0u);
  EXPECT_EQ(TrianglesPerNode(k), expected);
}

TEST(TriangleCount, DirectedInputGoesThroughMakeUndirected) {
  CsrGraph d = testing_graphs::Random(200, 0.05, 4, true);
  CsrGraph u = MakeUndirected(d);
  EXPECT_FALSE(u.directed());
  EXPECT_EQ(TriangleCount(u), TriangleCountSerial(u));
}

}  // namespace
}  // namespace citygraph::algo
