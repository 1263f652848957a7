// Boost Graph Library adapter (opt-in header): lets BGL algorithms run
// directly on a snapshot.
//
//   #include "citygraph/bgl_adapter.h"
//   citygraph::BglGraph g(*snapshot);
//   boost::breadth_first_search(g, source, boost::visitor(...));
//
// BglGraph models VertexListGraph, IncidenceGraph and BidirectionalGraph
// (boost::graph_traits plus the free functions below, found by ADL), and
// provides the vertex_index property map (vertex ids are dense 0..n-1).
// Edges are directed as stored; parallel edges are allowed. An edge
// descriptor carries (source, target, EdgeId), so snapshot.edge(e.id) gives
// its type, dates and provenance for filtering in visitors.
//
// Thread-safety: a BglGraph is a view; it must not outlive its snapshot.
// Any number of threads may run algorithms over the same snapshot.
#ifndef CITYGRAPH_BGL_ADAPTER_H_
#define CITYGRAPH_BGL_ADAPTER_H_

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <span>
#include <utility>

#include "citygraph/graph.h"

namespace citygraph {

// A view of one snapshot as a BGL graph.
struct BglGraph {
  explicit BglGraph(const Snapshot& s) : snapshot(&s) {}
  const Snapshot* snapshot;
};

struct BglEdge {
  VertexId src = kNoVertex;
  VertexId dst = kNoVertex;
  EdgeId id = kNoEdge;
  bool operator==(const BglEdge& o) const { return id == o.id && src == o.src && dst == o.dst; }
};

// Iterates one vertex's adjacency (committed CSR range, then delta),
// yielding BglEdge values.
class BglAdjIterator : public boost::iterator_facade<BglAdjIterator, BglEdge,
                                                     std::random_access_iterator_tag, BglEdge> {
 public:
  BglAdjIterator() = default;
  BglAdjIterator(const AdjRange& r, VertexId self, bool out, size_t i)
      : base_(r.base()), delta_(r.delta()), self_(self), out_(out), i_(i) {}

 private:
  friend class boost::iterator_core_access;
  BglEdge dereference() const {
    const AdjEntry& a = i_ < base_.size() ? base_[i_] : delta_[i_ - base_.size()];
    return out_ ? BglEdge{self_, a.nbr, a.edge} : BglEdge{a.nbr, self_, a.edge};
  }
  bool equal(const BglAdjIterator& o) const { return i_ == o.i_; }
  void increment() { ++i_; }
  void decrement() { --i_; }
  void advance(std::ptrdiff_t n) { i_ += n; }
  std::ptrdiff_t distance_to(const BglAdjIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.i_) - static_cast<std::ptrdiff_t>(i_);
  }

  std::span<const AdjEntry> base_, delta_;
  VertexId self_ = kNoVertex;
  bool out_ = true;
  size_t i_ = 0;
};

struct BglTraversalTag : boost::bidirectional_graph_tag, boost::vertex_list_graph_tag {};

}  // namespace citygraph

namespace boost {

template <>
struct graph_traits<citygraph::BglGraph> {
  using vertex_descriptor = citygraph::VertexId;
  using edge_descriptor = citygraph::BglEdge;
  using directed_category = bidirectional_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = citygraph::BglTraversalTag;
  using out_edge_iterator = citygraph::BglAdjIterator;
  using in_edge_iterator = citygraph::BglAdjIterator;
  using vertex_iterator = counting_iterator<citygraph::VertexId>;
  using adjacency_iterator = void;
  using edge_iterator = void;
  using degree_size_type = size_t;
  using vertices_size_type = size_t;
  using edges_size_type = size_t;
  static vertex_descriptor null_vertex() { return citygraph::kNoVertex; }
};

template <>
struct property_map<citygraph::BglGraph, vertex_index_t> {
  using type = typed_identity_property_map<citygraph::VertexId>;
  using const_type = type;
};

}  // namespace boost

namespace citygraph {

inline std::pair<BglAdjIterator, BglAdjIterator> out_edges(VertexId u, const BglGraph& g) {
  const AdjRange r = g.snapshot->out_edges(u);
  return {BglAdjIterator(r, u, true, 0), BglAdjIterator(r, u, true, r.size())};
}
inline std::pair<BglAdjIterator, BglAdjIterator> in_edges(VertexId v, const BglGraph& g) {
  const AdjRange r = g.snapshot->in_edges(v);
  return {BglAdjIterator(r, v, false, 0), BglAdjIterator(r, v, false, r.size())};
}
inline size_t out_degree(VertexId u, const BglGraph& g) { return g.snapshot->out_edges(u).size(); }
inline size_t in_degree(VertexId v, const BglGraph& g) { return g.snapshot->in_edges(v).size(); }
inline size_t degree(VertexId v, const BglGraph& g) { return out_degree(v, g) + in_degree(v, g); }
inline VertexId source(const BglEdge& e, const BglGraph&) { return e.src; }
inline VertexId target(const BglEdge& e, const BglGraph&) { return e.dst; }
inline std::pair<boost::counting_iterator<VertexId>, boost::counting_iterator<VertexId>> vertices(
    const BglGraph& g) {
  return {boost::counting_iterator<VertexId>(0),
          boost::counting_iterator<VertexId>(static_cast<VertexId>(g.snapshot->num_vertices()))};
}
inline size_t num_vertices(const BglGraph& g) { return g.snapshot->num_vertices(); }

inline boost::typed_identity_property_map<VertexId> get(boost::vertex_index_t, const BglGraph&) {
  return {};
}

}  // namespace citygraph

#endif  // CITYGRAPH_BGL_ADAPTER_H_
