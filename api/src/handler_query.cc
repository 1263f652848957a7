// Primitives: profile, neighbors, subgraph, paths.
#include "citygraph/query/context.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/profile.h"
#include "citygraph/query/traverse.h"
#include "convert.h"
#include "handler.h"

namespace citygraph::api::internal {
namespace {

const rpc::RequestOptions* Opts(const auto& req) {
  return req.__isset.options ? &req.options : nullptr;
}

query::Direction ToDirection(rpc::Direction::type d) {
  switch (d) {
    case rpc::Direction::OUT:
      return query::Direction::kOut;
    case rpc::Direction::IN:
      return query::Direction::kIn;
    default:
      return query::Direction::kBoth;
  }
}

}  // namespace

void Handler::profile(rpc::Profile& out, const std::string& token, const rpc::ProfileRequest& req) {
  Run(Method::kProfile, token, DigestOf("profile", req), [&](CallContext& ctx) {
    auto qc = query::QueryContext::FromDatabase(*state_->db);
    CG_ASSIGN_OR_RETURN(VertexId v, Resolve(qc.snap(), req.entity, ctx.session.role));
    CG_ASSIGN_OR_RETURN(auto as_of, AsOfFor(Opts(req)));
    CG_ASSIGN_OR_RETURN(query::Profile p, query::GetProfile(qc, v, as_of, LimitsFor(Opts(req))));
    ToProfile(p, &out);
    ctx.result_count = 1;
    return Status::OK();
  });
}

void Handler::neighbors(rpc::NeighborsResult& out, const std::string& token,
                        const rpc::NeighborsRequest& req) {
  Run(Method::kNeighbors, token, DigestOf("neighbors", req), [&](CallContext& ctx) {
    auto qc = query::QueryContext::FromDatabase(*state_->db);
    CG_ASSIGN_OR_RETURN(VertexId v, Resolve(qc.snap(), req.entity, ctx.session.role));
    CG_ASSIGN_OR_RETURN(auto as_of, AsOfFor(Opts(req)));
    auto labels = VisibleLabels(qc.schema(), ctx.session.role, req.labels);
    if (!req.labels.empty() && labels.empty()) {
      return PermissionDenied("none of the requested labels is visible to this role");
    }
    CG_ASSIGN_OR_RETURN(
        query::Filter filter,
        query::MakeFilter(qc.schema(), as_of, req.edge_types, labels, ToDirection(req.direction)));
    query::Limits limits = LimitsFor(Opts(req));
    if (req.__isset.per_vertex_cap && req.per_vertex_cap > 0) {
      limits.max_expansions_per_vertex = static_cast<size_t>(req.per_vertex_cap);
    }
    CG_ASSIGN_OR_RETURN(query::NeighborsResult r, query::Neighbors(qc, v, filter, limits));
    out.center = ToEntity(r.center);
    for (const auto& row : r.rows) {
      rpc::Neighbor n;
      n.entity = ToEntity(row.neighbor);
      n.edge = ToEdge(row.evidence);
      n.direction =
          row.direction == query::Direction::kIn ? rpc::Direction::IN : rpc::Direction::OUT;
      out.neighbors.push_back(std::move(n));
    }
    out.truncation = ToTruncation(r.truncation);
    ctx.result_count = static_cast<int64_t>(out.neighbors.size());
    return Status::OK();
  });
}

void Handler::subgraph(rpc::Subgraph& out, const std::string& token,
                       const rpc::SubgraphRequest& req) {
  Run(Method::kSubgraph, token, DigestOf("subgraph", req), [&](CallContext& ctx) {
    if (req.hops < 0 || req.hops > 6) return InvalidArgument("hops must be within 0..6");
    auto qc = query::QueryContext::FromDatabase(*state_->db);
    CG_ASSIGN_OR_RETURN(VertexId v, Resolve(qc.snap(), req.entity, ctx.session.role));
    CG_ASSIGN_OR_RETURN(auto as_of, AsOfFor(Opts(req)));
    auto labels = VisibleLabels(qc.schema(), ctx.session.role, req.labels);
    if (!req.labels.empty() && labels.empty()) {
      return PermissionDenied("none of the requested labels is visible to this role");
    }
    CG_ASSIGN_OR_RETURN(query::Filter filter,
                        query::MakeFilter(qc.schema(), as_of, req.edge_types, labels));
    query::Limits limits = LimitsFor(Opts(req));
    if (req.__isset.per_vertex_cap && req.per_vertex_cap > 0) {
      limits.max_expansions_per_vertex = static_cast<size_t>(req.per_vertex_cap);
    }
    CG_ASSIGN_OR_RETURN(query::Subgraph g, query::KHop(qc, v, req.hops, filter, limits));
    for (const auto& sv : g.vertices) out.vertices.push_back(ToEntity(sv.entity));
    for (const auto& e : g.edges) out.edges.push_back(ToEdge(e));
    out.truncation = ToTruncation(g.truncation);
    ctx.result_count = static_cast<int64_t>(out.vertices.size());
    return Status::OK();
  });
}

void Handler::paths(rpc::PathsResult& out, const std::string& token, const rpc::PathsRequest& req) {
  Run(Method::kPaths, token, DigestOf("paths", req), [&](CallContext& ctx) {
    if (req.max_hops < 1 || req.max_hops > 8)
      return InvalidArgument("max_hops must be within 1..8");
    if (req.k < 1 || req.k > 100) return InvalidArgument("k must be within 1..100");
    auto qc = query::QueryContext::FromDatabase(*state_->db);
    CG_ASSIGN_OR_RETURN(VertexId from, Resolve(qc.snap(), req.from_entity, ctx.session.role));
    CG_ASSIGN_OR_RETURN(VertexId to, Resolve(qc.snap(), req.to_entity, ctx.session.role));
    CG_ASSIGN_OR_RETURN(auto as_of, AsOfFor(Opts(req)));
    auto labels = VisibleLabels(qc.schema(), ctx.session.role, {});
    query::PathOptions po;
    CG_ASSIGN_OR_RETURN(po.filter, query::MakeFilter(qc.schema(), as_of, req.edge_types, labels));
    po.max_hops = req.max_hops;
    query::Limits limits = LimitsFor(Opts(req));
    StatusOr<query::PathsResult> r = Status(StatusCode::kInternal, "unset");
    switch (req.mode) {
      case rpc::PathMode::ALL_SHORTEST:
        r = query::AllShortestPaths(qc, from, to, po, limits);
        break;
      case rpc::PathMode::K_SHORTEST:
        r = query::KShortestPaths(qc, from, to, req.k, po, limits);
        break;
      default:
        r = query::ShortestPath(qc, from, to, po, limits);
        break;
    }
    if (!r.ok()) return r.status();
    if (from == to) return InvalidArgument("from and to are the same entity");
    for (const auto& p : r->paths) out.paths.push_back(ToPath(p));
    out.truncation = ToTruncation(r->truncation);
    ctx.result_count = static_cast<int64_t>(out.paths.size());
    return Status::OK();
  });
}

}  // namespace citygraph::api::internal
