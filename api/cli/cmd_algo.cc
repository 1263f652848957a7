// `citygraph graphalytics` (run an LDBC Graphalytics algorithm on a
// Graphalytics dataset) and `citygraph algo` (run a graph algorithm on a
// projection of the governance graph; print the top results or write them
// back as a vertex property).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "citygraph/algo/graphalytics.h"
#include "citygraph/algo/kernels.h"
#include "citygraph/algo/projection.h"
#include "citygraph/algo/write_back.h"
#include "citygraph/graph.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

using algo::Node;

struct GraphalyticsArgs {
  std::string properties, algorithm, output;
};

void RunGraphalytics(const GraphalyticsArgs& args) {
  auto algorithm = algo::ParseGraphalyticsAlgorithm(args.algorithm);
  if (!algorithm.ok()) return Report(algorithm.status());
  auto t0 = std::chrono::steady_clock::now();
  auto ds = algo::LoadGraphalytics(args.properties);
  if (!ds.ok()) return Report(ds.status());
  auto t1 = std::chrono::steady_clock::now();
  auto result = algo::RunGraphalytics(*ds, *algorithm);
  if (!result.ok()) return Report(result.status());
  auto t2 = std::chrono::steady_clock::now();
  Status st = algo::WriteGraphalyticsOutput(ds->graph, *result, args.output);
  if (!st.ok()) return Report(st);
  std::printf("%s on %s (%zu vertices, %zu edges): load %.3f s, run %.3f s; wrote %s\n",
              args.algorithm.c_str(), ds->name.c_str(), ds->graph.num_nodes(),
              ds->graph.num_edges(), std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count(), args.output.c_str());
}

struct AlgoArgs {
  std::string name, db, as_of, write_property, source;
  std::vector<std::string> labels, edge_types;
  bool directed = false;
  size_t top = 20;
  size_t samples = 0;  // betweenness: 0 = exact
  uint64_t seed = 1;
  int iterations = 20;
};

// Per-node output of an algorithm: scores are ranked, groups (communities,
// components) are listed by size.
struct AlgoOutput {
  std::vector<double> scores;
  std::vector<int64_t> groups;
  bool integer_scores = false;  // degree, core number, BFS depth
  std::string summary;
};

StatusOr<AlgoOutput> Compute(const AlgoArgs& a, const algo::CsrGraph& g, const Snapshot& snap,
                             const algo::Projection& p) {
  AlgoOutput out;
  auto as_doubles = [](const auto& v) { return std::vector<double>(v.begin(), v.end()); };
  const std::string& n = a.name;
  if (n == "pagerank" || n == "pr") {
    out.scores = algo::PageRank(g, a.iterations, 0.85);
  } else if (n == "betweenness") {
    out.scores =
        a.samples ? algo::BetweennessSampled(g, a.samples, a.seed) : algo::BetweennessExact(g);
  } else if (n == "closeness") {
    out.scores = algo::Closeness(g);
  } else if (n == "lcc") {
    out.scores = algo::Lcc(g);
  } else if (n == "degree") {
    out.scores = as_doubles(algo::Degree(g, algo::DegreeMode::kTotal));
    out.integer_scores = true;
  } else if (n == "kcore") {
    out.scores = as_doubles(algo::CoreNumbers(g.directed() ? algo::MakeUndirected(g) : g));
    out.integer_scores = true;
  } else if (n == "bfs") {
    // --source KIND:VALUE names the start vertex by one of its keys.
    size_t colon = a.source.find(':');
    if (colon == std::string::npos) {
      return InvalidArgument("bfs needs --source KIND:VALUE (e.g. id_number:420102199001011234)");
    }
    CG_ASSIGN_OR_RETURN(KeyKindId kind, snap.schema().FindKeyKind(a.source.substr(0, colon)));
    CG_ASSIGN_OR_RETURN(VertexId v, snap.FindByKey(kind, a.source.substr(colon + 1)));
    auto node = g.FindNode(v);
    if (!node) return InvalidArgument("source " + a.source + " is not in the projection");
    std::vector<int32_t> depth = algo::Bfs(g, *node);
    out.scores.resize(depth.size());
    for (size_t i = 0; i < depth.size(); ++i) out.scores[i] = depth[i] < 0 ? -1 : depth[i];
    out.integer_scores = true;
  } else if (n == "wcc") {
    auto comp = algo::Wcc(g);
    out.groups.assign(comp.begin(), comp.end());
  } else if (n == "cdlp") {
    out.groups = algo::Cdlp(g, a.iterations);
  } else if (n == "louvain") {
    auto r = algo::Louvain(g, {.seed = a.seed});
    out.groups.assign(r.community.begin(), r.community.end());
    out.summary = "modularity " + std::to_string(r.modularity);
  } else if (n == "triangles") {
    uint64_t t = algo::TriangleCount(g.directed() ? algo::MakeUndirected(g) : g);
    out.summary = "triangles " + std::to_string(t);
  } else {
    return InvalidArgument("unknown algorithm '" + n +
                           "' (pagerank, betweenness, closeness, lcc, degree, kcore, bfs, wcc, "
                           "cdlp, louvain, triangles)");
  }
  (void)p;
  return out;
}

std::string Describe(const Snapshot& snap, VertexId v) {
  const Schema& schema = snap.schema();
  std::string s = schema.labels()[snap.label(v)].name;
  auto keys = snap.keys(v);
  if (!keys.empty()) {
    s += " " + schema.key_kinds()[keys[0].first] + ":" + keys[0].second;
  } else {
    s += " #" + std::to_string(v);
  }
  return s;
}

void PrintTop(const AlgoArgs& a, const Snapshot& snap, const algo::Projection& p,
              const AlgoOutput& out) {
  if (!out.scores.empty()) {
    std::vector<Node> order(out.scores.size());
    std::iota(order.begin(), order.end(), Node{0});
    size_t k = std::min(a.top, order.size());
    std::partial_sort(
        order.begin(), order.begin() + static_cast<ptrdiff_t>(k), order.end(), [&](Node x, Node y) {
          return out.scores[x] != out.scores[y] ? out.scores[x] > out.scores[y] : x < y;
        });
    std::printf("%-5s %-10s %-48s %s\n", "rank", "vertex", "label key", a.name.c_str());
    for (size_t i = 0; i < k; ++i) {
      Node u = order[i];
      std::printf(out.integer_scores ? "%-5zu %-10u %-48s %.0f\n" : "%-5zu %-10u %-48s %.6g\n",
                  i + 1, p.vertex[u], Describe(snap, p.vertex[u]).c_str(), out.scores[u]);
    }
  } else if (!out.groups.empty()) {
    std::map<int64_t, std::vector<Node>> members;
    for (Node u = 0; u < out.groups.size(); ++u) members[out.groups[u]].push_back(u);
    std::vector<const std::vector<Node>*> groups;
    for (const auto& [id, m] : members) groups.push_back(&m);
    std::stable_sort(groups.begin(), groups.end(),
                     [](auto* x, auto* y) { return x->size() > y->size(); });
    std::printf("%zu groups\n%-5s %-8s %s\n", groups.size(), "rank", "size", "members (first 3)");
    for (size_t i = 0; i < std::min(a.top, groups.size()); ++i) {
      std::string sample;
      for (size_t j = 0; j < std::min<size_t>(3, groups[i]->size()); ++j) {
        sample += (j ? ", " : "") + Describe(snap, p.vertex[(*groups[i])[j]]);
      }
      std::printf("%-5zu %-8zu %s\n", i + 1, groups[i]->size(), sample.c_str());
    }
  }
  if (!out.summary.empty()) std::printf("%s\n", out.summary.c_str());
}

void RunAlgo(const AlgoArgs& a) {
  algo::ProjectionOptions po;
  po.labels = a.labels;
  po.edge_types = a.edge_types;
  po.directed = a.directed;
  if (!a.as_of.empty()) {
    auto d = Date::Parse(a.as_of);
    if (!d.ok()) return Report(d.status().WithContext("--as-of"));
    po.as_of = *d;
  }
  DatabaseOptions options;
  options.read_only = a.write_property.empty();
  auto db = Database::Open(a.db, options);
  if (!db.ok()) return Report(db.status());
  std::shared_ptr<const Snapshot> snap = (*db)->GetSnapshot();
  auto p = algo::Project(*snap, po);
  if (!p.ok()) return Report(p.status());
  std::printf("projection: %zu vertices, %zu edges (%s)\n", p->graph.num_nodes(),
              p->graph.num_edges(), a.directed ? "directed" : "undirected");
  auto out = Compute(a, p->graph, *snap, *p);
  if (!out.ok()) return Report(out.status());
  if (a.write_property.empty()) return PrintTop(a, *snap, *p, *out);
  const std::string source = "citygraph algo " + a.name;
  Status st;
  if (!out->groups.empty() || out->integer_scores) {
    std::vector<int64_t> ints = out->groups;
    if (ints.empty()) ints.assign(out->scores.begin(), out->scores.end());
    st = algo::WriteBackIntegers(**db, *p, a.write_property, ints, source);
  } else if (!out->scores.empty()) {
    st = algo::WriteBackDoubles(**db, *p, a.write_property, out->scores, source);
  } else {
    st = InvalidArgument(a.name + " has no per-vertex result to write");
  }
  if (!st.ok()) return Report(st);
  std::printf("wrote %s on %zu vertices\n", a.write_property.c_str(), p->vertex.size());
}

}  // namespace

void RegisterAlgoCommands(CLI::App& app) {
  auto g = std::make_shared<GraphalyticsArgs>();
  CLI::App* ga = app.add_subcommand("graphalytics",
                                    "Run an LDBC Graphalytics algorithm on a Graphalytics dataset");
  ga->add_option("--properties", g->properties, "NAME.properties of the dataset")->required();
  ga->add_option("--algorithm", g->algorithm, "bfs, wcc, pr, cdlp, lcc or sssp")->required();
  ga->add_option("--output", g->output, "file for the `vertexId value` lines")->required();
  ga->callback([g] { RunGraphalytics(*g); });

  auto a = std::make_shared<AlgoArgs>();
  CLI::App* al =
      app.add_subcommand("algo", "Run a graph algorithm on a projection of the governance graph");
  al->add_option("name", a->name,
                 "pagerank, betweenness, closeness, lcc, degree, kcore, bfs, wcc, cdlp, "
                 "louvain or triangles")
      ->required();
  al->add_option("--db", a->db, "database directory")->required();
  al->add_option("--labels", a->labels, "vertex labels to keep (default all)")->delimiter(',');
  al->add_option("--edge-types", a->edge_types, "edge types to keep (default all)")->delimiter(',');
  al->add_option("--as-of", a->as_of, "keep only edges valid on this date (YYYY-MM-DD)");
  al->add_flag("--directed", a->directed, "keep edge direction (default: undirected)");
  al->add_option("--top", a->top, "how many results to print (default 20)");
  al->add_option("--write-property", a->write_property,
                 "store the result as this vertex property (must be in the schema)");
  al->add_option("--samples", a->samples, "betweenness: sample this many sources");
  al->add_option("--seed", a->seed, "seed for sampling and Louvain");
  al->add_option("--iterations", a->iterations, "pagerank / cdlp iterations (default 20)");
  al->add_option("--source", a->source, "bfs: start vertex as KIND:VALUE");
  al->callback([a] { RunAlgo(*a); });
}

}  // namespace citygraph::cli
