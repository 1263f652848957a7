// CsrGraph construction, the edge-list formats and the Kronecker generator.
#include "citygraph/algo/csr_graph.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "citygraph/algo/graph_io.h"

namespace citygraph::algo {
namespace {

namespace fs = std::filesystem;

fs::path Temp(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("citygraph_csr_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}

TEST(CsrGraph, DirectedWeightedInAndOutLists) {
  EdgeList list;
  list.num_nodes = 4;
  list.edges = {{0, 2}, {0, 1}, {2, 1}, {3, 1}, {1, 0}};
  list.weights = {0.5, 1.5, 2.5, 3.5, 4.5};
  list.external_ids = {10, 20, 30, 40};
  BuildOptions opt;
  CsrGraph g = CsrGraph::Build(list, opt);
  EXPECT_TRUE(g.directed());
  EXPECT_TRUE(g.weighted());
  EXPECT_EQ(g.num_edges(), 5u);
  EXPECT_EQ(std::vector<Node>(g.out_neighbors(0).begin(), g.out_neighbors(0).end()),
            (std::vector<Node>{1, 2}));
  EXPECT_EQ(std::vector<double>(g.out_weights(0).begin(), g.out_weights(0).end()),
            (std::vector<double>{1.5, 0.5}));
  EXPECT_EQ(std::vector<Node>(g.in_neighbors(1).begin(), g.in_neighbors(1).end()),
            (std::vector<Node>{0, 2, 3}));
  EXPECT_EQ(std::vector<double>(g.in_weights(1).begin(), g.in_weights(1).end()),
            (std::vector<double>{1.5, 2.5, 3.5}));
  EXPECT_EQ(g.external_id(2), 30);
  EXPECT_EQ(g.FindNode(40), std::optional<Node>(3));
  EXPECT_EQ(g.FindNode(41), std::nullopt);
}

TEST(CsrGraph, UndirectedSquishRemovesLoopsAndDuplicates) {
  EdgeList list;
  list.num_nodes = 3;
  list.edges = {{0, 1}, {1, 0}, {1, 1}, {1, 2}, {0, 1}};
  BuildOptions opt;
  opt.directed = false;
  opt.remove_self_loops = true;
  opt.remove_duplicates = true;
  CsrGraph g = CsrGraph::Build(list, opt);
  EXPECT_EQ(g.num_edges(), 2u);
  EXPECT_EQ(g.out_degree(1), 2u);
  EXPECT_EQ(g.in_degree(1), 2u);
}

TEST(CsrGraph, IntegerWeightsAndMaxWeight) {
  auto build = [](std::vector<double> weights) {
    EdgeList list;
    list.num_nodes = 3;
    list.edges = {{0, 1}, {1, 2}, {2, 0}};
    list.weights = std::move(weights);
    return CsrGraph::Build(list, BuildOptions{});
  };
  CsrGraph whole = build({3, 0, 255});
  EXPECT_TRUE(whole.integer_weights());
  EXPECT_EQ(whole.max_weight(), 255);
  CsrGraph half = build({3, 0.5, 2});
  EXPECT_FALSE(half.integer_weights());
  EXPECT_EQ(half.max_weight(), 3);
  EXPECT_FALSE(build({3, -1, 2}).integer_weights());
  EXPECT_FALSE(build({3, 5e9, 2}).integer_weights());  // beyond 32 bits
  EXPECT_TRUE(build({3, 4294967295.0, 2}).integer_weights());
  CsrGraph unweighted = build({});
  EXPECT_FALSE(unweighted.integer_weights());
  EXPECT_EQ(unweighted.max_weight(), 0);
  EXPECT_TRUE(unweighted.out_packed_arcs().empty());
  EXPECT_TRUE(half.out_packed_arcs().empty());
  // Packed arcs repeat out_nbrs() and out_weights() arc for arc.
  auto packed = whole.out_packed_arcs();
  ASSERT_EQ(packed.size(), whole.num_arcs());
  for (Node u = 0; u < whole.num_nodes(); ++u) {
    for (size_t k = 0; k < whole.out_degree(u); ++k) {
      const PackedArc& a = packed[whole.out_offsets()[u] + k];
      EXPECT_EQ(a.nbr, whole.out_neighbors(u)[k]);
      EXPECT_EQ(a.weight, whole.out_weights(u)[k]);
    }
  }
}

TEST(GraphIo, EdgeListRoundTrip) {
  CsrGraph g = GenerateKronecker({.scale = 8, .edge_factor = 8, .seed = 3, .weighted = true});
  const std::string path = Temp("k8.wel").string();
  ASSERT_TRUE(WriteEdgeList(g, path, true).ok());
  auto back = ReadEdgeList(path, /*directed=*/false, /*weighted=*/true);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->num_arcs(), g.num_arcs());
  for (Node u = 0; u < back->num_nodes(); ++u) {
    ASSERT_TRUE(std::equal(g.out_neighbors(u).begin(), g.out_neighbors(u).end(),
                           back->out_neighbors(u).begin()));
    ASSERT_TRUE(
        std::equal(g.out_weights(u).begin(), g.out_weights(u).end(), back->out_weights(u).begin()));
  }
}

TEST(GraphIo, BadEdgeLineNamesFileLineAndColumn) {
  const std::string path = Temp("bad.el").string();
  std::ofstream(path) << "0 1\n# comment\n2 x\n";
  auto g = ReadEdgeList(path, false, false);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("bad.el:3: column 2"), std::string::npos)
      << g.status().message();
  std::ofstream(path) << "0 1 2\n";
  g = ReadEdgeList(path, false, false);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("found 3"), std::string::npos) << g.status().message();
  EXPECT_EQ(ReadEdgeList(Temp("missing.el").string(), false, false).status().code(),
            StatusCode::kIOError);
}

TEST(Kronecker, DeterministicSquishedAndSkewed) {
  CsrGraph a = GenerateKronecker({.scale = 10, .seed = 7});
  CsrGraph b = GenerateKronecker({.scale = 10, .seed = 7});
  CsrGraph c = GenerateKronecker({.scale = 10, .seed = 8});
  ASSERT_EQ(a.num_nodes(), 1024u);
  auto nbrs = [](const CsrGraph& g) {
    return std::vector<Node>(g.out_nbrs().begin(), g.out_nbrs().end());
  };
  EXPECT_EQ(nbrs(a), nbrs(b));
  EXPECT_NE(nbrs(a), nbrs(c));
  EXPECT_FALSE(a.directed());
  EXPECT_LE(a.num_edges(), 16u * 1024u);
  EXPECT_GT(a.num_edges(), 8u * 1024u);
  size_t max_deg = 0;
  for (Node u = 0; u < a.num_nodes(); ++u) {
    auto n = a.out_neighbors(u);
    EXPECT_TRUE(std::adjacent_find(n.begin(), n.end(), std::greater_equal<>()) == n.end());
    EXPECT_FALSE(std::binary_search(n.begin(), n.end(), u));
    max_deg = std::max(max_deg, n.size());
  }
  EXPECT_GT(max_deg, 10 * a.num_arcs() / a.num_nodes());  // power-law hubs
}

}  // namespace
}  // namespace citygraph::algo
