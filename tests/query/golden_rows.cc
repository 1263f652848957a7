// Runs golden queries and renders their results as rows.
#include "golden_rows.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "citygraph/query/conflicts.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/profile.h"
#include "citygraph/query/traverse.h"

namespace citygraph::testing {
namespace {

using Args = std::map<std::string, std::string>;

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, sep);)
    if (!x.empty()) out.push_back(x);
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& x : v) {
    if (!out.empty()) out += ',';
    out += x;
  }
  return out;
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string Trunc(const query::Truncation& t) {
  return "truncated " + std::string(query::TruncationReasonName(t.reason));
}

struct Runner {
  GoldenCity& city;
  query::QueryContext ctx;
  Args args;
  std::vector<std::string> rows;

  std::string A(VertexId v) { return city.Alias(v); }
  std::string Get(const std::string& k, const std::string& dflt = "") {
    auto it = args.find(k);
    return it == args.end() ? dflt : it->second;
  }
  VertexId V(const std::string& k) { return city.Id(Get(k)); }
  std::optional<Date> AsOf() {
    std::string s = Get("as_of");
    if (s.empty()) return std::nullopt;
    return *Date::Parse(s);
  }
  query::Limits Limits() {
    query::Limits l;
    if (!Get("max_rows").empty()) l.max_rows = std::stoul(Get("max_rows"));
    if (!Get("max_expansions").empty())
      l.max_expansions_per_vertex = std::stoul(Get("max_expansions"));
    return l;
  }
  StatusOr<query::Filter> F() {
    query::Direction dir = query::Direction::kBoth;
    if (!Get("dir").empty()) dir = *query::ParseDirection(Get("dir"));
    return query::MakeFilter(ctx.schema(), AsOf(), Split(Get("types"), ','),
                             Split(Get("labels"), ','), dir);
  }
  void Err(const Status& s) { rows.push_back("error " + std::string(StatusCodeName(s.code()))); }
  void Path(const query::Path& p) {
    std::string r = "path " + std::to_string(p.length()) + " " + A(p.vertices[0].id);
    for (size_t i = 0; i < p.edges.size(); ++i)
      r += " -" + p.edges[i].type + "- " + A(p.vertices[i + 1].id);
    rows.push_back(r);
  }
  void Paths(const StatusOr<query::PathsResult>& r) {
    if (!r.ok()) return Err(r.status());
    rows.push_back("distance " + (r->distance ? std::to_string(*r->distance) : "none"));
    for (const auto& p : r->paths) Path(p);
    if (r->truncation.truncated) rows.push_back(Trunc(r->truncation));
  }

  void Run(const std::string& name) {
    if (name == "resolve") {
      auto v = query::ResolveKey(*ctx.snapshot, Get("spec"));
      if (!v.ok()) return Err(v.status());
      rows.push_back(A(*v));
    } else if (name == "neighbors") {
      auto f = F();
      if (!f.ok()) return Err(f.status());
      auto r = query::Neighbors(ctx, V("key"), *f, Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& n : r->rows)
        rows.push_back(std::string(query::DirectionName(n.direction)) + " " + n.evidence.type +
                       " " + A(n.neighbor.id));
      if (r->truncation.truncated) rows.push_back(Trunc(r->truncation));
    } else if (name == "khop") {
      auto f = F();
      if (!f.ok()) return Err(f.status());
      auto r = query::KHop(ctx, V("key"), std::stoi(Get("k", "2")), *f, Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& v : r->vertices)
        rows.push_back("v " + std::to_string(v.depth) + " " + A(v.entity.id));
      for (const auto& e : r->edges)
        rows.push_back("e " + e.type + " " + A(e.from.id) + " " + A(e.to.id));
      if (r->truncation.truncated) rows.push_back(Trunc(r->truncation));
    } else if (name == "common") {
      auto f = F();
      if (!f.ok()) return Err(f.status());
      auto r = query::CommonNeighbors(ctx, V("a"), V("b"), *f, Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& s : r->rows)
        rows.push_back(A(s.shared.id) + " " + s.a_edge.type + " " + s.b_edge.type);
    } else if (name == "shortest" || name == "all_shortest" || name == "kshortest") {
      auto f = F();
      if (!f.ok()) return Err(f.status());
      query::PathOptions po{*f, std::stoi(Get("max_hops", "6"))};
      if (name == "shortest") Paths(query::ShortestPath(ctx, V("from"), V("to"), po, Limits()));
      if (name == "all_shortest")
        Paths(query::AllShortestPaths(ctx, V("from"), V("to"), po, Limits()));
      if (name == "kshortest")
        Paths(
            query::KShortestPaths(ctx, V("from"), V("to"), std::stoi(Get("k", "3")), po, Limits()));
    } else if (name == "connections") {
      query::ConnectionOptions c;
      c.as_of = AsOf();
      c.max_hops = std::stoi(Get("max_hops", "4"));
      c.max_paths = std::stoi(Get("k", "5"));
      Paths(query::Connections(ctx, V("from"), V("to"), c, Limits()));
    } else if (name == "household") {
      auto r = query::GetHouseholds(ctx, V("key"), AsOf(), Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& h : *r) {
        for (const auto& m : h.members)
          rows.push_back("member " + A(h.household.id) + " " + A(m.person.id) + " " + m.relation);
        for (const auto& e : h.registered_at)
          rows.push_back("registered " + A(h.household.id) + " " + A(e.to.id));
        for (const auto& e : h.receives)
          rows.push_back("receives " + A(h.household.id) + " " + A(e.to.id));
      }
    } else if (name == "profile") {
      auto r = query::GetProfile(ctx, V("key"), AsOf(), Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& [k, v] : r->keys) rows.push_back("key " + k + " " + v);
      for (const auto& p : r->properties)
        for (const auto& s : p.sources)
          rows.push_back("prop " + p.name + " " + s.value + " " + s.department + "/" +
                         (s.department == "golden" ? std::string("city") : s.file) +
                         (s.department == "golden"
                              ? std::string()
                              : std::string(":").append(std::to_string(s.record))));
      for (const auto& e : r->edges)
        rows.push_back("edges " + e.type + " " + std::string(query::DirectionName(e.direction)) +
                       " " + std::to_string(e.count));
    } else if (name == "conflicts") {
      query::ConflictRules rules = query::ConflictRules::Default();
      if (!Get("program").empty()) rules.program = Get("program");
      auto r = query::FindConflicts(ctx, rules, *AsOf(), Limits());
      if (!r.ok()) return Err(r.status());
      rows.push_back("checked " + std::to_string(r->recipients_checked));
      for (const auto& h : r->households) {
        for (const auto& hit : h.hits) {
          std::vector<std::string> targets;
          for (const auto& e : hit.evidence)
            targets.push_back(A(e.from.id == hit.member.id ? e.to.id : e.from.id) + "@" +
                              e.department + "/" + e.file + ":" + std::to_string(e.record));
          std::sort(targets.begin(), targets.end());
          std::string t = Join(targets);
          rows.push_back("hit " + A(h.household.id) + " " + hit.rule_id + " " + A(hit.member.id) +
                         " " + t);
        }
        std::vector<std::string> members;
        for (const auto& m : h.members) members.push_back(A(m.person.id));
        std::sort(members.begin(), members.end());
        std::string ms = Join(members);
        rows.push_back("members " + A(h.household.id) + " " + ms);
        for (const auto& e : h.probabilistic_links)
          rows.push_back("probabilistic " + A(h.household.id) + " " + e.type + " " + A(e.from.id) +
                         " " + A(e.to.id) + " " + Fixed(*e.min_match_score()));
      }
      if (r->truncation.truncated) rows.push_back(Trunc(r->truncation));
    } else if (name == "locate") {
      std::vector<std::string> ids = Split(Get("ids"), '|');
      for (auto& id : ids) std::replace(id.begin(), id.end(), '_', ' ');
      auto r = query::Locate(ctx, ids, *AsOf(), query::RankingConfig::Default(), Limits());
      if (!r.ok()) return Err(r.status());
      for (const auto& row : r->rows) {
        std::string in = row.input;
        std::replace(in.begin(), in.end(), ' ', '_');
        rows.push_back(in + " " + std::string(query::LocateStatusName(row.status)) +
                       (row.person ? std::string(" ").append(A(row.person->id)) : std::string()));
        for (size_t i = 0; i < row.candidates.size(); ++i) {
          const auto& c = row.candidates[i];
          rows.push_back(in + " " + std::to_string(i + 1) + " " + A(c.house.id) + " " +
                         (c.grid ? A(c.grid->id) : "-") + " " + c.evidence[0].kind + " " +
                         Fixed(c.confidence));
        }
        for (const auto& m : row.household) rows.push_back(in + " member " + A(m.person.id));
        for (const auto& w : row.grid_workers) rows.push_back(in + " worker " + A(w.id));
      }
    } else {
      rows.push_back("error unknown query " + name);
    }
  }
};

}  // namespace

std::vector<std::string> RunGoldenQuery(GoldenCity& city, const std::string& query) {
  std::stringstream ss(query);
  std::string name;
  ss >> name;
  Runner r{city, city.Context(), {}, {}};
  for (std::string tok; ss >> tok;) {
    size_t eq = tok.find('=');
    if (eq == std::string::npos) return {"error bad argument " + tok};
    r.args[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  r.Run(name);
  return r.rows;
}

}  // namespace citygraph::testing
