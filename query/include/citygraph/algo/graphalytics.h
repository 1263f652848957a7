// LDBC Graphalytics datasets: loading NAME.properties / NAME.v / NAME.e,
// running one of the six Graphalytics algorithms with the parameters from
// the properties file, and writing the `vertexId value` output format.
//
// Thread-safety: free functions without shared state; RunGraphalytics uses
// the oneTBB worker pool.
#ifndef CITYGRAPH_ALGO_GRAPHALYTICS_H_
#define CITYGRAPH_ALGO_GRAPHALYTICS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/algo/csr_graph.h"
#include "citygraph/status.h"

namespace citygraph::algo {

enum class GraphalyticsAlgorithm { kBfs, kWcc, kPr, kCdlp, kLcc, kSssp };

// "bfs", "wcc", "pr", "cdlp", "lcc", "sssp" (case-insensitive); the
// reference output files use the upper-case name as suffix (NAME-BFS).
// InvalidArgument naming the text otherwise.
StatusOr<GraphalyticsAlgorithm> ParseGraphalyticsAlgorithm(std::string_view name);
std::string_view GraphalyticsAlgorithmName(GraphalyticsAlgorithm algorithm);  // "bfs", ...

struct GraphalyticsDataset {
  std::string name;                     // NAME of NAME.properties
  CsrGraph graph;                       // external ids are the Graphalytics vertex ids
  std::vector<std::string> algorithms;  // as listed, lower case
  int64_t bfs_source = -1;              // external id; -1 when not given
  int64_t sssp_source = -1;
  int cdlp_iterations = -1;
  int pr_iterations = -1;
  double pr_damping = 0.85;
  std::string weight_property;  // sssp.weight-property, "" when none
};

// Reads NAME.properties at `properties_path` and the vertex and edge files
// it names (relative to its directory). Edge lines are `src dst [props...]`
// with the columns after dst named by edge-properties.names; the weight
// column is loaded when sssp.weight-property names one.
// Errors (all naming the file and line): IOError if a file cannot be read;
// InvalidArgument for a missing required key (vertex-file, edge-file,
// directed), a vertex line that is not one integer, an edge line with fewer
// than two columns (e.g. when edge-file names the .v file), an endpoint
// not listed in the vertex file, a duplicate vertex, or a weight that is
// not a number.
StatusOr<GraphalyticsDataset> LoadGraphalytics(const std::string& properties_path);

// The result of one algorithm: integers for BFS, WCC and CDLP, doubles for
// PR, LCC and SSSP; indexed by dense node id.
struct GraphalyticsResult {
  GraphalyticsAlgorithm algorithm = GraphalyticsAlgorithm::kBfs;
  std::vector<int64_t> ints;
  std::vector<double> reals;
};

// Runs `algorithm` with the dataset's parameters. InvalidArgument if the
// dataset lacks a needed parameter (BFS/SSSP source, iteration count) or
// the source vertex does not exist. WCC labels are external ids of a
// component member; BFS unreachable is INT64_MAX, SSSP unreachable +inf.
StatusOr<GraphalyticsResult> RunGraphalytics(const GraphalyticsDataset& dataset,
                                             GraphalyticsAlgorithm algorithm);

// Writes `vertexId value` lines in ascending vertex id order: integers as
// is (BFS unreachable 9223372036854775807), doubles as %.16e, infinity as
// "Infinity". IOError naming the file on failure.
Status WriteGraphalyticsOutput(const CsrGraph& graph, const GraphalyticsResult& result,
                               const std::string& path);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_GRAPHALYTICS_H_
