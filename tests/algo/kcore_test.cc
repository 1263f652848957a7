// k-core numbers against Batagelj-Zaversnik and boost::core_numbers.
#include <gtest/gtest.h>

#include <boost/graph/core_numbers.hpp>

#include "boost_graphs.h"
#include "citygraph/algo/graph_io.h"
#include "citygraph/algo/kernels.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

TEST(CoreNumbers, MatchBoostAndBatageljZaversnik) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CsrGraph g = testing_graphs::Random(300, 0.03, seed, false);
    auto b = testing_graphs::ToBoost<testing_graphs::BoostUndirected>(g);
    std::vector<uint32_t> ref(g.num_nodes());
    boost::core_numbers(
        b, boost::make_iterator_property_map(ref.begin(), boost::get(boost::vertex_index, b)));
    EXPECT_EQ(CoreNumbers(g), ref) << seed;
    EXPECT_EQ(CoreNumbersSerial(g), ref) << seed;
  }
  CsrGraph k = GenerateKronecker({.scale = 11, .seed = 2});
  auto ours = CoreNumbers(k);
  EXPECT_EQ(ours, CoreNumbersSerial(k));
  EXPECT_GT(*std::max_element(ours.begin(), ours.end()), 5u);
}

TEST(CoreNumbers, CliqueWithPendant) {
  EdgeList list;
  list.num_nodes = 6;
  for (Node u = 0; u < 5; ++u) {
    for (Node v = u + 1; v < 5; ++v) list.edges.emplace_back(u, v);
  }
  list.edges.emplace_back(4, 5);
  CsrGraph g = CsrGraph::Build(list, {.directed = false});
  EXPECT_EQ(CoreNumbers(g), (std::vector<uint32_t>{4, 4, 4, 4, 4, 1}));
}

}  // namespace
}  // namespace citygraph::algo
