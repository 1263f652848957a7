// Runs one Graphalytics algorithm on a loaded dataset with the dataset's
// parameters and converts the kernel's result to Graphalytics' conventions.
#include <cctype>
#include <limits>
#include <numeric>

#include "citygraph/algo/graphalytics.h"
#include "citygraph/algo/kernels.h"

namespace citygraph::algo {

StatusOr<GraphalyticsAlgorithm> ParseGraphalyticsAlgorithm(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto a :
       {GraphalyticsAlgorithm::kBfs, GraphalyticsAlgorithm::kWcc, GraphalyticsAlgorithm::kPr,
        GraphalyticsAlgorithm::kCdlp, GraphalyticsAlgorithm::kLcc, GraphalyticsAlgorithm::kSssp}) {
    if (lower == GraphalyticsAlgorithmName(a)) return a;
  }
  return InvalidArgument("unknown Graphalytics algorithm '" + std::string(name) +
                         "' (expected bfs, wcc, pr, cdlp, lcc or sssp)");
}

std::string_view GraphalyticsAlgorithmName(GraphalyticsAlgorithm algorithm) {
  switch (algorithm) {
    case GraphalyticsAlgorithm::kBfs:
      return "bfs";
    case GraphalyticsAlgorithm::kWcc:
      return "wcc";
    case GraphalyticsAlgorithm::kPr:
      return "pr";
    case GraphalyticsAlgorithm::kCdlp:
      return "cdlp";
    case GraphalyticsAlgorithm::kLcc:
      return "lcc";
    case GraphalyticsAlgorithm::kSssp:
      return "sssp";
  }
  return "?";
}

namespace {

StatusOr<Node> Source(const GraphalyticsDataset& ds, int64_t id, const char* what) {
  if (id < 0) {
    return InvalidArgument(ds.name + ": no " + std::string(what) + ".source-vertex parameter");
  }
  auto node = ds.graph.FindNode(id);
  if (!node) {
    return InvalidArgument(ds.name + ": " + what + ".source-vertex " + std::to_string(id) +
                           " is not a vertex of the graph");
  }
  return *node;
}

// Mean arc weight: a bucket width that keeps a few arcs' worth of nodes
// per bucket on the small validation graphs.
double DefaultDelta(const CsrGraph& g) {
  if (!g.weighted() || g.num_arcs() == 0) return 1.0;
  double sum = 0;
  for (Node u = 0; u < g.num_nodes(); ++u) {
    for (double w : g.out_weights(u)) sum += w;
  }
  double mean = sum / static_cast<double>(g.num_arcs());
  return mean > 0 ? mean : 1.0;
}

}  // namespace

StatusOr<GraphalyticsResult> RunGraphalytics(const GraphalyticsDataset& ds,
                                             GraphalyticsAlgorithm algorithm) {
  const CsrGraph& g = ds.graph;
  GraphalyticsResult r;
  r.algorithm = algorithm;
  switch (algorithm) {
    case GraphalyticsAlgorithm::kBfs: {
      CG_ASSIGN_OR_RETURN(Node s, Source(ds, ds.bfs_source, "bfs"));
      std::vector<int32_t> depth = Bfs(g, s);
      r.ints.resize(depth.size());
      for (size_t i = 0; i < depth.size(); ++i) {
        r.ints[i] = depth[i] == kUnreached ? std::numeric_limits<int64_t>::max() : depth[i];
      }
      break;
    }
    case GraphalyticsAlgorithm::kWcc: {
      std::vector<Node> comp = Wcc(g);
      r.ints.resize(comp.size());
      for (size_t i = 0; i < comp.size(); ++i) r.ints[i] = g.external_id(comp[i]);
      break;
    }
    case GraphalyticsAlgorithm::kPr:
      if (ds.pr_iterations < 0) return InvalidArgument(ds.name + ": no pr.num-iterations");
      r.reals = PageRank(g, ds.pr_iterations, ds.pr_damping);
      break;
    case GraphalyticsAlgorithm::kCdlp:
      if (ds.cdlp_iterations < 0) return InvalidArgument(ds.name + ": no cdlp.max-iterations");
      r.ints = Cdlp(g, ds.cdlp_iterations);
      break;
    case GraphalyticsAlgorithm::kLcc:
      r.reals = Lcc(g);
      break;
    case GraphalyticsAlgorithm::kSssp: {
      CG_ASSIGN_OR_RETURN(Node s, Source(ds, ds.sssp_source, "sssp"));
      r.reals = Sssp(g, s, DefaultDelta(g));
      break;
    }
  }
  return r;
}

}  // namespace citygraph::algo
