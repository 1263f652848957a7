// Reading and generating graphs for the kernels and their benchmarks:
// GAP's edge-list formats and the Graph500 Kronecker generator.
//
//   .el   "u v" per line            (unweighted)
//   .wel  "u v w" per line          (weighted)
// Node ids are non-negative integers; the graph has max id + 1 nodes.
// Lines that are empty or start with '#' or '%' are skipped.
//
// Thread-safety: free functions without shared state.
#ifndef CITYGRAPH_ALGO_GRAPH_IO_H_
#define CITYGRAPH_ALGO_GRAPH_IO_H_

#include <cstdint>
#include <string>

#include "citygraph/algo/csr_graph.h"
#include "citygraph/status.h"

namespace citygraph::algo {

// Reads an .el (or, when `weighted`, a .wel) file. An undirected graph is
// symmetrised and squished (self loops and duplicate edges removed) as GAP
// does; a directed one is kept as listed. IOError naming the file if it
// cannot be read; InvalidArgument naming file, line and column for a line
// that does not parse, has the wrong number of columns, or a negative id.
StatusOr<CsrGraph> ReadEdgeList(const std::string& path, bool directed, bool weighted);

// Writes `g` as an edge list: every arc of a directed graph, every
// undirected edge once (u < v), with the weight as a third column when
// `with_weights` (precondition: g.weighted()). Node ids are dense ids.
// IOError naming the file on failure.
Status WriteEdgeList(const CsrGraph& g, const std::string& path, bool with_weights);

struct KroneckerOptions {
  int scale = 16;        // 2^scale nodes
  int edge_factor = 16;  // edge_factor * 2^scale generated edges
  uint64_t seed = 27491095;
  bool weighted = false;  // uniform integer weights 1..255, as GAP's generator
};

// Generates a Graph500 Kronecker graph (A=0.57, B=0.19, C=0.19, D=0.05,
// node ids randomly permuted) in parallel and deterministically for a given
// seed (independent of the thread count), and builds it undirected with
// self loops and duplicate edges removed. Precondition: 1 <= scale <= 31.
CsrGraph GenerateKronecker(const KroneckerOptions& options);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_GRAPH_IO_H_
