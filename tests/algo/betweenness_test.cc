// Brandes betweenness against boost::brandes_betweenness_centrality, the
// serial verifier, and sanity checks of the sampled estimate.
#include <gtest/gtest.h>

#include <boost/graph/betweenness_centrality.hpp>
#include <numeric>

#include "boost_graphs.h"
#include "citygraph/algo/graph_io.h"
#include "citygraph/algo/kernels.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

using testing_graphs::BoostDirected;
using testing_graphs::BoostUndirected;

template <typename BoostGraph>
std::vector<double> BoostBetweenness(const CsrGraph& g) {
  auto b = testing_graphs::ToBoost<BoostGraph>(g);
  std::vector<double> c(g.num_nodes(), 0.0);
  boost::brandes_betweenness_centrality(
      b, boost::centrality_map(
             boost::make_iterator_property_map(c.begin(), boost::get(boost::vertex_index, b)))
             .weight_map(boost::make_constant_property<typename BoostGraph::edge_descriptor>(1.0)));
  return c;
}

TEST(Betweenness, ExactMatchesBoost) {
  for (uint64_t seed = 1; seed <= 2; ++seed) {
    CsrGraph u = testing_graphs::Random(200, 0.03, seed, false);
    auto ours = BetweennessExact(u), ref = BoostBetweenness<BoostUndirected>(u);
    for (size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], ref[i], 1e-6 * (1 + ref[i]));
    CsrGraph d = testing_graphs::Random(200, 0.03, seed, true);
    ours = BetweennessExact(d);
    ref = BoostBetweenness<BoostDirected>(d);
    for (size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], ref[i], 1e-6 * (1 + ref[i]));
  }
}

TEST(Betweenness, PerSourceParallelPathMatchesSerial) {
  // Few sources on a graph above the per-thread-source threshold take the
  // level-synchronous parallel path.
  CsrGraph k = GenerateKronecker({.scale = 16, .edge_factor = 4, .seed = 9});
  std::vector<Node> sources = {0, 1, 77};
  auto ours = Betweenness(k, sources), ref = BetweennessSerial(k, sources);
  for (size_t i = 0; i < ours.size(); ++i) ASSERT_NEAR(ours[i], ref[i], 1e-9 * (1 + ref[i]));
}

TEST(Betweenness, SampledEstimatesExact) {
  CsrGraph g = testing_graphs::Random(300, 0.02, 4, false);
  auto exact = BetweennessExact(g);
  auto all = BetweennessSampled(g, g.num_nodes(), 1);
  for (size_t i = 0; i < exact.size(); ++i) EXPECT_NEAR(all[i], exact[i], 1e-9 * (1 + exact[i]));
  auto half = BetweennessSampled(g, 150, 7);
  EXPECT_EQ(half, BetweennessSampled(g, 150, 7));  // deterministic per seed
  const double total_exact = std::accumulate(exact.begin(), exact.end(), 0.0);
  const double total_half = std::accumulate(half.begin(), half.end(), 0.0);
  EXPECT_NEAR(total_half, total_exact, 0.15 * total_exact);
  // The most central node by the estimate is among the exact top 5.
  size_t top = std::max_element(half.begin(), half.end()) - half.begin();
  size_t better = 0;
  for (double x : exact) better += x > exact[top];
  EXPECT_LT(better, 5u);
}

TEST(Betweenness, StarCentre) {
  EdgeList list;
  list.num_nodes = 6;
  for (Node v = 1; v < 6; ++v) list.edges.emplace_back(0, v);
  CsrGraph g = CsrGraph::Build(list, {.directed = false});
  auto bc = BetweennessExact(g);
  EXPECT_DOUBLE_EQ(bc[0], 10.0);  // C(5,2) pairs all pass through the centre
  EXPECT_DOUBLE_EQ(bc[3], 0.0);
}

}  // namespace
}  // namespace citygraph::algo
