// The BGL adapter: concept checks at compile time, and BGL's BFS agreeing
// with a native BFS over the same snapshot.
#include "citygraph/bgl_adapter.h"

#include <gtest/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/range/iterator_range.hpp>
#include <deque>
#include <random>

#include "test_util.h"

namespace citygraph {
namespace {

BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<BglGraph>));
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<BglGraph>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<BglGraph>));
BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<
                      boost::property_map<BglGraph, boost::vertex_index_t>::type, VertexId>));

std::vector<int> NativeBfs(const Snapshot& s, VertexId root) {
  std::vector<int> dist(s.num_vertices(), -1);
  std::deque<VertexId> queue{root};
  dist[root] = 0;
  while (!queue.empty()) {
    const VertexId u = queue.front();
    queue.pop_front();
    for (const AdjEntry& a : s.out_edges(u)) {
      if (dist[a.nbr] < 0) {
        dist[a.nbr] = dist[u] + 1;
        queue.push_back(a.nbr);
      }
    }
  }
  return dist;
}

class DistanceRecorder : public boost::default_bfs_visitor {
 public:
  explicit DistanceRecorder(std::vector<int>* dist) : dist_(dist) {}
  void tree_edge(const BglEdge& e, const BglGraph&) const { (*dist_)[e.dst] = (*dist_)[e.src] + 1; }

 private:
  std::vector<int>* dist_;
};

TEST(BglAdapterTest, BreadthFirstSearchAgreesWithNativeTraversal) {
  testing::TempDir dir;
  DatabaseOptions options;
  options.delta_rebuild_edges = 1 << 30;
  auto db = testing::CreateTestDb(dir.path(), options);
  std::mt19937 rng(42);
  constexpr int kPersons = 400;
  // Half the edges go to the CSR (bulk load), half stay in the delta overlay.
  auto random_edge = [&](WriteBatch* b, bool new_vertices, int i) {
    const uint32_t u = rng() % kPersons, v = rng() % kPersons;
    b->AddEdge(EdgeSpec{1,
                        new_vertices ? VertexRef::New(u) : VertexRef::Existing(u),
                        new_vertices ? VertexRef::New(v) : VertexRef::Existing(v),
                        Date{i},
                        Date::Max(),
                        SourceRef{},
                        {}});
  };
  WriteBatch bulk(db->schema());
  for (int i = 0; i < kPersons; ++i) bulk.AddVertex(0);
  for (int i = 0; i < 600; ++i) random_edge(&bulk, true, i);
  ASSERT_TRUE(db->BulkWrite(bulk).ok());
  WriteBatch delta(db->schema());
  for (int i = 0; i < 600; ++i) random_edge(&delta, false, i);
  ASSERT_TRUE(db->Write(delta).ok());
  auto snap = db->GetSnapshot();
  size_t in_delta = 0;
  for (VertexId v = 0; v < kPersons; ++v) in_delta += snap->out_edges(v).delta().size();
  ASSERT_GT(in_delta, 0u);
  BglGraph g(*snap);
  EXPECT_EQ(num_vertices(g), static_cast<size_t>(kPersons));
  size_t total_out = 0, total_in = 0;
  for (VertexId v : boost::make_iterator_range(vertices(g))) {
    total_out += out_degree(v, g);
    total_in += in_degree(v, g);
    for (const BglEdge& e : boost::make_iterator_range(in_edges(v, g))) {
      ASSERT_EQ(target(e, g), v);
      ASSERT_EQ(snap->edge(e.id).src, source(e, g));
    }
  }
  EXPECT_EQ(total_out, snap->num_edges());
  EXPECT_EQ(total_in, snap->num_edges());
  for (VertexId root : {0u, 17u, 399u}) {
    std::vector<int> dist(kPersons, -1);
    dist[root] = 0;
    boost::breadth_first_search(g, root, boost::visitor(DistanceRecorder(&dist)));
    EXPECT_EQ(dist, NativeBfs(*snap, root)) << "root " << root;
  }
}

}  // namespace
}  // namespace citygraph
