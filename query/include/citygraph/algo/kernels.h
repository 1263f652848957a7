// Graph algorithm kernels over CsrGraph. Each kernel lives in its own file
// under query/src/algo/ with a comment naming the algorithm and its source,
// a parallel (oneTBB) implementation and a simple serial verifier (the
// *Serial functions) that tests and `algo_bench --verify` compare against.
//
// The six LDBC Graphalytics kernels (BFS, WCC, PageRank, CDLP, LCC, SSSP)
// follow the Graphalytics specification exactly; see
// shared/graphalytics/README.md.
//
// Thread-safety: every function only reads its graph; kernels run on the
// calling thread plus the oneTBB worker pool (limit it with
// tbb::global_control). Results are indexed by dense node id.
#ifndef CITYGRAPH_ALGO_KERNELS_H_
#define CITYGRAPH_ALGO_KERNELS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "citygraph/algo/csr_graph.h"

namespace citygraph::algo {

// ------------------------------------------------------------------- BFS --
inline constexpr int32_t kUnreached = -1;
// Hop distance from `source` along out-arcs (kUnreached if none).
// Direction-optimising (Beamer et al., SC 2012). Precondition: source < n.
std::vector<int32_t> Bfs(const CsrGraph& g, Node source);
std::vector<int32_t> BfsSerial(const CsrGraph& g, Node source);

// ------------------------------------------------------------------- WCC --
// Weakly connected components (direction ignored): two nodes get the same
// label iff they are connected. Labels are node ids (each component's
// smallest for WccSerial; some member for Wcc).
std::vector<Node> Wcc(const CsrGraph& g);
std::vector<Node> WccSerial(const CsrGraph& g);
// True iff `a` and `b` group nodes identically (labels may differ).
bool SamePartition(std::span<const Node> a, std::span<const Node> b);

// -------------------------------------------------------------- PageRank --
// Graphalytics PageRank: ranks start at 1/n; each of `iterations` rounds
// computes (1-d)/n + d * (sum over in-neighbours u of rank(u)/outdeg(u) +
// dangling mass / n), where the dangling mass is the summed rank of nodes
// without out-arcs. The parallel kernel keeps rank(u)/outdeg(u) in single
// precision: results are within ~1e-7 relative of PageRankSerial's. Extra
// memory while it runs: 8 bytes per node (throws std::bad_alloc if that
// fails).
std::vector<double> PageRank(const CsrGraph& g, int iterations, double damping);
std::vector<double> PageRankSerial(const CsrGraph& g, int iterations, double damping);

// ------------------------------------------------------------------ CDLP --
// Graphalytics community detection by label propagation: labels start as
// external ids; `iterations` synchronous rounds, each taking the most
// frequent label among in- and out-neighbours (a neighbour linked both ways
// counts twice on a directed graph), ties to the smallest label; a node
// without neighbours keeps its label.
std::vector<int64_t> Cdlp(const CsrGraph& g, int iterations);
std::vector<int64_t> CdlpSerial(const CsrGraph& g, int iterations);

// ------------------------------------------------------------------- LCC --
// Graphalytics local clustering coefficient: N(v) = in- and out-neighbours
// without v; the number of arcs between members of N(v) divided by
// |N(v)|(|N(v)|-1); 0 when |N(v)| < 2. (On an undirected graph this is the
// usual 2T/(d(d-1)), which is how a simple undirected graph is computed:
// from TrianglesPerNode.)
std::vector<double> Lcc(const CsrGraph& g);
std::vector<double> LccSerial(const CsrGraph& g);

// ------------------------------------------------------------------ SSSP --
// Shortest path lengths from `source` along out-arcs, using the arc weights
// (1 for every arc of an unweighted graph); +infinity when unreachable.
// Delta-stepping (Meyer & Sanders, J. Algorithms 2003) with bucket width
// `delta` (> 0). Precondition: weights are non-negative.
std::vector<double> Sssp(const CsrGraph& g, Node source, double delta);
std::vector<double> SsspSerial(const CsrGraph& g, Node source);  // Dijkstra

// ------------------------------------------------------- triangle count --
// Number of triangles of an undirected graph without self loops or
// duplicate arcs (see MakeUndirected). Ordered counting over a
// degree-sorted relabelling when the degree distribution is skewed, as in
// GAP's tc.
uint64_t TriangleCount(const CsrGraph& g);
uint64_t TriangleCountSerial(const CsrGraph& g);
// Triangles through each node (same preconditions); sums to 3 * TriangleCount.
std::vector<uint64_t> TrianglesPerNode(const CsrGraph& g);

// ---------------------------------------------------------------- k-core --
// Core number of every node of an undirected graph without self loops or
// duplicates: the largest k such that the node is in a subgraph of minimum
// degree k. Parallel level-synchronous peeling; the verifier is
// Batagelj & Zaversnik's O(m) bucket algorithm.
std::vector<uint32_t> CoreNumbers(const CsrGraph& g);
std::vector<uint32_t> CoreNumbersSerial(const CsrGraph& g);

// ---------------------------------------------------------------- degree --
enum class DegreeMode { kOut, kIn, kTotal };  // kTotal = out + in on a directed graph
std::vector<uint64_t> Degree(const CsrGraph& g, DegreeMode mode);

// ----------------------------------------------------------- betweenness --
// Brandes' betweenness centrality (Brandes, J. Math. Sociol. 2001) on
// unweighted arcs: the sum over the given sources s of the dependency
// delta_s(v), halved on an undirected graph so that each unordered pair
// counts once (as boost::brandes_betweenness_centrality and igraph report
// it). Each source's BFS
// and dependency sweep run level-synchronously in parallel.
std::vector<double> Betweenness(const CsrGraph& g, std::span<const Node> sources);
// All n sources.
std::vector<double> BetweennessExact(const CsrGraph& g);
// Estimate from `k` distinct sources drawn with `seed` (Brandes & Pich
// 2007), scaled by n/k so it estimates the exact values. k >= n is exact.
std::vector<double> BetweennessSampled(const CsrGraph& g, size_t k, uint64_t seed);
std::vector<double> BetweennessSerial(const CsrGraph& g, std::span<const Node> sources);

// ------------------------------------------------------------- closeness --
// Closeness centrality along out-arcs, unweighted: (r-1) / (sum of
// distances to the r-1 other reachable nodes), scaled by (r-1)/(n-1)
// (Wasserman & Faust) so nodes reaching few others do not score 1; 0 when
// nothing is reachable. O(n m): one BFS per node, nodes in parallel.
std::vector<double> Closeness(const CsrGraph& g);
std::vector<double> ClosenessSerial(const CsrGraph& g);

// --------------------------------------------------------------- Louvain --
struct LouvainOptions {
  uint64_t seed = 1;  // order in which nodes are visited
  int max_levels = 32;
  int max_passes = 64;     // local-moving sweeps per level
  double min_gain = 1e-7;  // a level that improves modularity less ends the run
};
struct LouvainResult {
  std::vector<Node> community;           // dense community label per node
  double modularity = 0;                 // of `community`
  std::vector<double> level_modularity;  // after each level, non-decreasing
};
// Louvain community detection (Blondel et al., J. Stat. Mech. 2008) on an
// undirected graph (weights used when present, else 1). Deterministic for
// a given seed.
LouvainResult Louvain(const CsrGraph& g, const LouvainOptions& options);
// Newman-Girvan modularity of a partition of an undirected graph (serial).
double Modularity(const CsrGraph& g, std::span<const Node> community);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_KERNELS_H_
