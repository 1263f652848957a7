// Closeness against boost::closeness_centrality over Floyd-Warshall
// distances, and against the serial verifier on disconnected graphs.
#include <gtest/gtest.h>

#include <boost/graph/closeness_centrality.hpp>
#include <boost/graph/exterior_property.hpp>
#include <boost/graph/floyd_warshall_shortest.hpp>

#include "boost_graphs.h"
#include "citygraph/algo/kernels.h"
#include "test_graphs.h"

namespace citygraph::algo {
namespace {

TEST(Closeness, MatchesBoostOnConnectedGraph) {
  CsrGraph g = testing_graphs::Random(120, 0.08, 3, false);
  std::vector<int32_t> depth = BfsSerial(g, 0);
  ASSERT_EQ(std::count(depth.begin(), depth.end(), kUnreached), 0) << "test graph not connected";
  auto b = testing_graphs::ToBoost<testing_graphs::BoostUndirected>(g);
  using DistanceProperty = boost::exterior_vertex_property<decltype(b), double>;
  using DistanceMatrix = DistanceProperty::matrix_type;
  using DistanceMatrixMap = DistanceProperty::matrix_map_type;
  DistanceMatrix distances(boost::num_vertices(b));
  DistanceMatrixMap dm(distances, b);
  boost::floyd_warshall_all_pairs_shortest_paths(b, dm);
  using ClosenessProperty = boost::exterior_vertex_property<decltype(b), double>;
  ClosenessProperty::container_type cc(boost::num_vertices(b));
  ClosenessProperty::map_type cm(cc, b);
  boost::all_closeness_centralities(b, dm, cm);
  auto ours = Closeness(g);
  // Boost reports 1/sum(d); ours is (n-1)/sum(d) on a connected graph.
  const double n1 = static_cast<double>(g.num_nodes() - 1);
  for (size_t v = 0; v < ours.size(); ++v) EXPECT_NEAR(ours[v], n1 * cc[v], 1e-12);
}

TEST(Closeness, MatchesSerialOnDisconnectedDirectedGraph) {
  CsrGraph d = testing_graphs::Random(200, 0.008, 5, true);
  auto a = Closeness(d), b = ClosenessSerial(d);
  for (size_t v = 0; v < a.size(); ++v) EXPECT_NEAR(a[v], b[v], 1e-12);
}

}  // namespace
}  // namespace citygraph::algo
