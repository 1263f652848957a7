// A compact compressed-sparse-row graph for the algorithm kernels,
// independent of graph-core's storage: dense node ids 0..n-1, sorted out- and
// in-adjacency arrays, optional double weights, and the mapping from dense
// node to the external vertex id it stands for (Graphalytics ids are
// arbitrary int64; a projection maps back to VertexId).
//
// An undirected graph stores every edge as two arcs and in_neighbors(u) is
// out_neighbors(u); a directed graph keeps separate in-arrays.
//
// The adjacency and weight arrays are allocated on 2 MiB transparent huge
// pages where the kernel allows it: kernels visit nodes in random order, and
// with 4 KiB pages nearly every visit of a large graph misses the TLB.
//
// Thread-safety: immutable after Build; any number of threads may read.
#ifndef CITYGRAPH_ALGO_CSR_GRAPH_H_
#define CITYGRAPH_ALGO_CSR_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace citygraph::algo {

namespace internal {

// Memory for a large array: blocks of 1 MiB and more are mapped on their
// own, 2 MiB aligned and advised for transparent huge pages; smaller ones
// come from operator new. Throws std::bad_alloc. FreeLarge takes the same
// byte count the block was allocated with.
void* AllocateLarge(size_t bytes);
void FreeLarge(void* p, size_t bytes) noexcept;

template <typename T>
struct LargeArrayAllocator {
  using value_type = T;
  LargeArrayAllocator() = default;
  template <typename U>
  LargeArrayAllocator(const LargeArrayAllocator<U>&) {}  // NOLINT: rebinding
  T* allocate(size_t n) { return static_cast<T*>(AllocateLarge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { FreeLarge(p, n * sizeof(T)); }
  friend bool operator==(const LargeArrayAllocator&, const LargeArrayAllocator&) { return true; }
};

template <typename T>
using LargeVector = std::vector<T, LargeArrayAllocator<T>>;

}  // namespace internal

using Node = uint32_t;
inline constexpr Node kNoNode = std::numeric_limits<Node>::max();

// An out-arc and its whole-number weight in 8 bytes (see
// CsrGraph::out_packed_arcs).
struct PackedArc {
  Node nbr;
  uint32_t weight;
};

// Input of CsrGraph::Build. Node ids in `edges` are dense (< num_nodes).
struct EdgeList {
  size_t num_nodes = 0;
  std::vector<std::pair<Node, Node>> edges;  // (src, dst)
  std::vector<double> weights;               // empty, or one per edge
  std::vector<int64_t> external_ids;         // empty (identity), or one per node
};

struct BuildOptions {
  bool directed = true;
  bool remove_self_loops = false;
  // Keeps one arc per (src, dst); with weights the smallest one survives
  // (as GAP's builder does when it squishes a graph).
  bool remove_duplicates = false;
};

class CsrGraph {
 public:
  CsrGraph() = default;

  // Builds the CSR in parallel (oneTBB). Precondition: every node id in
  // `list.edges` is < list.num_nodes and list.weights / list.external_ids
  // are empty or sized as documented (checked by assert; loaders validate
  // user input before calling this). Adjacency lists come out sorted by
  // neighbour.
  static CsrGraph Build(EdgeList list, const BuildOptions& options);

  size_t num_nodes() const { return out_offsets_.empty() ? 0 : out_offsets_.size() - 1; }
  // Stored out-arcs: one per directed edge, two per undirected edge.
  size_t num_arcs() const { return out_nbrs_.size(); }
  // Edges as the user counts them (undirected edges once).
  size_t num_edges() const { return directed_ ? num_arcs() : num_arcs() / 2; }
  bool directed() const { return directed_; }
  bool weighted() const { return weighted_; }
  // True when the graph is weighted and every weight is a whole number in
  // [0, 2^32), as in GAP's and Graph500's integer-weighted graphs; then
  // max_weight() is the largest weight. Lets SSSP keep exact 32-bit
  // integer distances.
  bool integer_weights() const { return integer_weights_; }
  // The largest arc weight (0 when unweighted or without arcs).
  double max_weight() const { return max_weight_; }
  // When integer_weights(): every out-arc with its weight, in the order of
  // out_nbrs(), 8 bytes each (as GAP's builder packs a weighted graph), so
  // that SSSP reads one array of 8 bytes per arc instead of 12 bytes from
  // two; index it with out_offsets(). Empty otherwise. Costs 8 bytes per
  // arc of memory and one parallel pass at Build.
  std::span<const PackedArc> out_packed_arcs() const { return out_packed_; }

  std::span<const Node> out_neighbors(Node u) const {
    return {out_nbrs_.data() + out_offsets_[u], out_nbrs_.data() + out_offsets_[u + 1]};
  }
  std::span<const Node> in_neighbors(Node u) const {
    if (!directed_) return out_neighbors(u);
    return {in_nbrs_.data() + in_offsets_[u], in_nbrs_.data() + in_offsets_[u + 1]};
  }
  // Weights aligned with out_neighbors(u) / in_neighbors(u); empty spans
  // when the graph is unweighted.
  std::span<const double> out_weights(Node u) const {
    if (out_w_.empty()) return {};
    return {out_w_.data() + out_offsets_[u], out_w_.data() + out_offsets_[u + 1]};
  }
  std::span<const double> in_weights(Node u) const {
    if (!directed_) return out_weights(u);
    if (in_w_.empty()) return {};
    return {in_w_.data() + in_offsets_[u], in_w_.data() + in_offsets_[u + 1]};
  }
  size_t out_degree(Node u) const { return out_offsets_[u + 1] - out_offsets_[u]; }
  size_t in_degree(Node u) const {
    return directed_ ? in_offsets_[u + 1] - in_offsets_[u] : out_degree(u);
  }

  // The external id node `u` stands for (u itself when none were given).
  int64_t external_id(Node u) const {
    return external_ids_.empty() ? static_cast<int64_t>(u) : external_ids_[u];
  }
  // Empty when node ids are their own external ids.
  const std::vector<int64_t>& external_ids() const { return external_ids_; }
  // The dense node whose external id is `id`, or nullopt.
  std::optional<Node> FindNode(int64_t id) const;

  // Raw arrays for kernels that want them (offsets have num_nodes()+1 entries).
  std::span<const uint64_t> out_offsets() const { return out_offsets_; }
  std::span<const Node> out_nbrs() const { return out_nbrs_; }
  // The in-arrays (the out-arrays on an undirected graph).
  std::span<const uint64_t> in_offsets() const { return directed_ ? in_offsets_ : out_offsets_; }
  std::span<const Node> in_nbrs() const { return directed_ ? in_nbrs_ : out_nbrs_; }

 private:
  bool directed_ = true;
  bool weighted_ = false;
  bool integer_weights_ = false;
  double max_weight_ = 0;
  internal::LargeVector<uint64_t> out_offsets_, in_offsets_;
  internal::LargeVector<Node> out_nbrs_, in_nbrs_;
  internal::LargeVector<double> out_w_, in_w_;
  internal::LargeVector<PackedArc> out_packed_;
  std::vector<int64_t> external_ids_;
  std::unordered_map<int64_t, Node> index_;  // filled only with external ids
};

// The undirected version of `g`: every arc in both directions, self loops
// and duplicates removed, weights dropped, external ids kept. Used by the
// kernels defined on undirected graphs (triangles, k-core, Louvain).
CsrGraph MakeUndirected(const CsrGraph& g);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_CSR_GRAPH_H_
