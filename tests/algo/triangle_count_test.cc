// Triangle counting against the serial verifier and hand-made graphs.
#include <gtest/gtest.h>

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

TEST(TriangleCount, DirectedInputGoesThroughMakeUndirected) {
  CsrGraph d = testing_graphs::Random(200, 0.05, 4, true);
  CsrGraph u = MakeUndirected(d);
  EXPECT_FALSE(u.directed());
  EXPECT_EQ(TriangleCount(u), TriangleCountSerial(u));
}

}  // namespace
}  // namespace citygraph::algo
