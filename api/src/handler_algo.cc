// runAlgorithm: graph algorithms (citygraph::algo kernels) on a projection
// of the current snapshot, restricted to the labels the caller may see.
#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "citygraph/algo/kernels.h"
#include "citygraph/algo/projection.h"
#include "citygraph/query/evidence.h"
#include "convert.h"
#include "handler.h"

namespace citygraph::api::internal {
namespace {

std::vector<std::string> SplitCsv(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

StatusOr<double> Num(const std::map<std::string, std::string>& params, const std::string& key,
                     double fallback) {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    return InvalidArgument("parameter " + key + " is not a number: '" + it->second + "'");
  }
}

}  // namespace

Status Handler::DoAlgorithm(CallContext& ctx, const rpc::AlgorithmRequest& req,
                            rpc::AlgorithmResult& out) {
  ctx.purpose = req.name + " on " + req.projection;
  if (req.top_k < 0 || req.top_k > 10'000) return InvalidArgument("top_k must be within 0..10000");
  algo::ProjectionOptions po;
  if (req.projection == "person_asset" || req.projection.empty()) {
    po.labels = {"Person", "House", "Vehicle", "Business"};
    po.edge_types = {"OWNS", "LEGAL_REP"};
  } else if (req.projection == "person_household") {
    po.labels = {"Person", "Household"};
    po.edge_types = {"MEMBER_OF"};
  } else if (req.projection == "custom") {
    auto l = req.params.find("labels");
    auto e = req.params.find("edge_types");
    if (l != req.params.end()) po.labels = SplitCsv(l->second);
    if (e != req.params.end()) po.edge_types = SplitCsv(e->second);
  } else if (req.projection != "all") {
    return InvalidArgument("unknown projection '" + req.projection +
                           "' (person_asset, person_household, custom, all)");
  }
  auto snap = state_->db->GetSnapshot();
  // Only labels the caller may see take part.
  std::vector<std::string> labels = VisibleLabels(snap->schema(), ctx.session.role, po.labels);
  if (!po.labels.empty() && labels.empty()) {
    return PermissionDenied("none of the projection's labels is visible to this role");
  }
  po.labels = labels;
  if (req.__isset.options && req.options.__isset.as_of && !req.options.as_of.empty()) {
    CG_ASSIGN_OR_RETURN(Date d, Date::Parse(req.options.as_of));
    po.as_of = d;
  }
  auto t0 = std::chrono::steady_clock::now();
  CG_ASSIGN_OR_RETURN(algo::Projection proj, algo::Project(*snap, po));
  const algo::CsrGraph& g = proj.graph;
  size_t n = g.num_nodes();
  std::vector<double> value(n, 0);
  bool community = false;
  const auto& p = req.params;
  if (req.name == "pagerank") {
    CG_ASSIGN_OR_RETURN(double it, Num(p, "iterations", 20));
    CG_ASSIGN_OR_RETURN(double d, Num(p, "damping", 0.85));
    value = algo::PageRank(g, static_cast<int>(it), d);
  } else if (req.name == "wcc") {
    auto c = algo::Wcc(g);
    value.assign(c.begin(), c.end());
    community = true;
  } else if (req.name == "cdlp") {
    CG_ASSIGN_OR_RETURN(double it, Num(p, "iterations", 10));
    auto c = algo::Cdlp(g, static_cast<int>(it));
    value.assign(c.begin(), c.end());
    community = true;
  } else if (req.name == "louvain") {
    CG_ASSIGN_OR_RETURN(double seed, Num(p, "seed", 1));
    algo::LouvainOptions lo;
    lo.seed = static_cast<uint64_t>(seed);
    auto r = algo::Louvain(g, lo);
    value.assign(r.community.begin(), r.community.end());
    out.summary["modularity"] = r.modularity;
    community = true;
  } else if (req.name == "lcc") {
    value = algo::Lcc(g);
  } else if (req.name == "degree") {
    auto d = algo::Degree(g, algo::DegreeMode::kTotal);
    value.assign(d.begin(), d.end());
  } else if (req.name == "betweenness") {
    CG_ASSIGN_OR_RETURN(double k, Num(p, "samples", 64));
    value = algo::BetweennessSampled(g, static_cast<size_t>(k), 1);
  } else if (req.name == "kcore") {
    auto c = algo::CoreNumbers(g);
    value.assign(c.begin(), c.end());
  } else {
    return InvalidArgument("unknown algorithm '" + req.name +
                           "' (pagerank, wcc, cdlp, louvain, lcc, degree, betweenness, kcore)");
  }
  out.name = req.name;
  out.summary["vertices"] = static_cast<double>(n);
  out.summary["edges"] = static_cast<double>(g.num_edges());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (community) {
    std::unordered_map<int64_t, size_t> size;
    for (double v : value) ++size[static_cast<int64_t>(v)];
    size_t largest = 0;
    for (const auto& [c, s] : size) largest = std::max(largest, s);
    out.summary["communities"] = static_cast<double>(size.size());
    out.summary["largest_community"] = static_cast<double>(largest);
    // Members of the largest communities first.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      size_t sa = size[static_cast<int64_t>(value[a])], sb = size[static_cast<int64_t>(value[b])];
      return sa != sb ? sa > sb : value[a] < value[b];
    });
  } else {
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return value[a] > value[b]; });
  }
  auto qc = query::QueryContext::FromDatabase(*state_->db);
  qc.snapshot = snap;
  for (size_t i = 0; i < order.size() && i < static_cast<size_t>(req.top_k); ++i) {
    rpc::Score s;
    s.entity = ToEntity(query::Describe(qc, proj.vertex[order[i]]));
    s.value = value[order[i]];
    out.top.push_back(std::move(s));
  }
  out.summary["millis"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ctx.result_count = static_cast<int64_t>(out.top.size());
  return Status::OK();
}

}  // namespace citygraph::api::internal
