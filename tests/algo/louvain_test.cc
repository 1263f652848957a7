// Louvain: planted communities are recovered, the reported modularity is
// the serial reference's, levels never lose modularity, results depend
// only on the seed.
#include <gtest/gtest.h>

#include "citygraph/algo/kernels.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

TEST(Modularity, TwoTrianglesJoinedByABridge) {
  EdgeList list;
  list.num_nodes = 6;
  list.edges = {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {2, 3}};
  CsrGraph g = CsrGraph::Build(list, {.directed = false});
  std::vector<Node> split = {0, 0, 0, 1, 1, 1};
  EXPECT_NEAR(Modularity(g, split), 5.0 / 14.0, 1e-12);
  LouvainResult r = Louvain(g, {});
  EXPECT_TRUE(SamePartition(r.community, split));
  EXPECT_NEAR(r.modularity, 5.0 / 14.0, 1e-12);
}

TEST(Louvain, RecoversPlantedCommunities) {
  CsrGraph g = testing_graphs::Planted(8, 30, 0.3, 0.005, 42);
  std::vector<Node> planted(g.num_nodes());
  for (Node u = 0; u < g.num_nodes(); ++u) planted[u] = u / 30;
  LouvainResult r = Louvain(g, {.seed = 3});
  EXPECT_TRUE(SamePartition(r.community, planted));
  EXPECT_NEAR(r.modularity, Modularity(g, r.community), 1e-9);
}

TEST(Louvain, LevelsNeverLoseModularityAndSeedDetermines) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CsrGraph g = testing_graphs::Random(400, 0.015, seed, false);
    LouvainResult r = Louvain(g, {.seed = seed});
    ASSERT_FALSE(r.level_modularity.empty());
    std::vector<Node> singletons(g.num_nodes());
    for (Node u = 0; u < g.num_nodes(); ++u) singletons[u] = u;
    double prev = Modularity(g, singletons);
    for (double q : r.level_modularity) {
      EXPECT_GE(q, prev - 1e-12);
      prev = q;
    }
    EXPECT_GT(r.modularity, 0.3);
    EXPECT_NEAR(r.modularity, Modularity(g, r.community), 1e-9);
    EXPECT_EQ(Louvain(g, {.seed = seed}).community, r.community);
  }
}

TEST(Louvain, WeightsMatter) {
  // A 4-cycle whose two heavy edges decide the pairing.
  EdgeList list;
  list.num_nodes = 4;
  list.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 0}};
  list.weights = {10, 1, 10, 1};
  CsrGraph g = CsrGraph::Build(list, {.directed = false});
  LouvainResult r = Louvain(g, {});
  EXPECT_TRUE(SamePartition(r.community, std::vector<Node>{0, 0, 1, 1}));
}

}  // namespace
}  // namespace citygraph::algo
