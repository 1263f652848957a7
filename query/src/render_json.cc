// JSON rendering of query results (shapes documented in query/README.md).
#include "citygraph/query/render.h"

namespace citygraph::query {

using nlohmann::json;

json ToJson(const Truncation& t) {
  return json{{"truncated", t.truncated},
              {"reason", std::string(TruncationReasonName(t.reason))},
              {"detail", t.detail}};
}

json ToJson(const EntityRef& e) {
  return json{
      {"id", e.id}, {"label", e.label}, {"key_kind", e.key_kind}, {"key", e.key}, {"name", e.name}};
}

json ToJson(const MatchInfo& m) {
  json fields = json::array();
  for (const MatchField& f : m.fields)
    fields.push_back(json{{"field", f.field}, {"agree", f.agree}, {"weight", f.weight}});
  return json{{"vertex", m.vertex},
              {"label", m.label},
              {"score", m.score},
              {"decision", m.decision},
              {"probabilistic", m.probabilistic},
              {"fields", fields}};
}

json ToJson(const Evidence& e) {
  json props = json::object();
  for (const auto& [k, v] : e.props) props[k] = v;
  json matches = json::array();
  for (const MatchInfo& m : e.matches) matches.push_back(ToJson(m));
  json j{{"edge", e.edge},
         {"type", e.type},
         {"from", ToJson(e.from)},
         {"to", ToJson(e.to)},
         {"valid_from", e.valid_from.ToString()},
         {"valid_to", e.valid_to.ToString()},
         {"source", json{{"department", e.department},
                         {"file", e.file},
                         {"record", e.record},
                         {"batch", e.batch},
                         {"recorded_at", e.recorded_at.ToString()}}},
         {"props", props},
         {"matches", matches}};
  auto s = e.min_match_score();
  j["match_score"] = s ? json(*s) : json(nullptr);
  return j;
}

json ToJson(const NeighborsResult& r) {
  json rows = json::array();
  for (const NeighborRow& n : r.rows)
    rows.push_back(json{{"neighbor", ToJson(n.neighbor)},
                        {"direction", std::string(DirectionName(n.direction))},
                        {"evidence", ToJson(n.evidence)}});
  return json{
      {"center", ToJson(r.center)}, {"neighbors", rows}, {"truncation", ToJson(r.truncation)}};
}

json ToJson(const Subgraph& r) {
  json vs = json::array();
  for (const SubgraphVertex& v : r.vertices) {
    json j = ToJson(v.entity);
    j["depth"] = v.depth;
    vs.push_back(std::move(j));
  }
  json es = json::array();
  for (const Evidence& e : r.edges) es.push_back(ToJson(e));
  return json{{"vertices", vs}, {"edges", es}, {"truncation", ToJson(r.truncation)}};
}

json ToJson(const SharedResult& r) {
  json rows = json::array();
  for (const SharedRow& s : r.rows)
    rows.push_back(json{
        {"shared", ToJson(s.shared)}, {"a_edge", ToJson(s.a_edge)}, {"b_edge", ToJson(s.b_edge)}});
  return json{{"a", ToJson(r.a)},
              {"b", ToJson(r.b)},
              {"shared", rows},
              {"truncation", ToJson(r.truncation)}};
}

json ToJson(const PathsResult& r) {
  json paths = json::array();
  for (const Path& p : r.paths) {
    json hops = json::array();
    for (size_t i = 0; i < p.edges.size(); ++i)
      hops.push_back(json{{"from", ToJson(p.vertices[i])},
                          {"to", ToJson(p.vertices[i + 1])},
                          {"evidence", ToJson(p.edges[i])}});
    json vs = json::array();
    for (const EntityRef& v : p.vertices) vs.push_back(ToJson(v));
    paths.push_back(json{{"length", p.length()}, {"vertices", vs}, {"hops", hops}});
  }
  return json{{"from", ToJson(r.from)},
              {"to", ToJson(r.to)},
              {"distance", r.distance ? json(*r.distance) : json(nullptr)},
              {"paths", paths},
              {"truncation", ToJson(r.truncation)}};
}

json ToJson(const Profile& r) {
  json keys = json::array();
  for (const auto& [k, v] : r.keys) keys.push_back(json{{"kind", k}, {"value", v}});
  json props = json::array();
  for (const ProfileProperty& p : r.properties) {
    json sources = json::array();
    for (const PropertySource& s : p.sources) {
      json matches = json::array();
      for (const MatchInfo& m : s.matches) matches.push_back(ToJson(m));
      sources.push_back(json{{"value", s.value},
                             {"department", s.department},
                             {"file", s.file},
                             {"record", s.record},
                             {"recorded_at", s.recorded_at.ToString()},
                             {"matches", matches}});
    }
    props.push_back(
        json{{"name", p.name}, {"type", p.type}, {"current", p.current}, {"sources", sources}});
  }
  json edges = json::array();
  for (const EdgeCount& e : r.edges)
    edges.push_back(json{{"type", e.type},
                         {"direction", std::string(DirectionName(e.direction))},
                         {"count", e.count}});
  return json{{"entity", ToJson(r.entity)},
              {"keys", keys},
              {"properties", props},
              {"edges", edges},
              {"truncation", ToJson(r.truncation)}};
}

json ToJson(const HouseholdMember& m) {
  return json{
      {"person", ToJson(m.person)}, {"relation", m.relation}, {"membership", ToJson(m.membership)}};
}

json ToJson(const HouseholdView& r) {
  json members = json::array();
  for (const HouseholdMember& m : r.members) members.push_back(ToJson(m));
  json reg = json::array();
  for (const Evidence& e : r.registered_at) reg.push_back(ToJson(e));
  json rec = json::array();
  for (const Evidence& e : r.receives) rec.push_back(ToJson(e));
  return json{{"household", ToJson(r.household)},
              {"members", members},
              {"registered_at", reg},
              {"receives", rec},
              {"truncation", ToJson(r.truncation)}};
}

json ToJson(const std::vector<HouseholdView>& r) {
  json out = json::array();
  for (const HouseholdView& h : r) out.push_back(ToJson(h));
  return json{{"households", out}};
}

json ToJson(const ConflictReport& r) {
  json hh = json::array();
  for (const ConflictHousehold& h : r.households) {
    json members = json::array();
    for (const HouseholdMember& m : h.members) members.push_back(ToJson(m));
    json hits = json::array();
    for (const RuleHit& hit : h.hits) {
      json ev = json::array();
      for (const Evidence& e : hit.evidence) ev.push_back(ToJson(e));
      hits.push_back(json{{"rule", hit.rule_id},
                          {"description", hit.description},
                          {"member", ToJson(hit.member)},
                          {"evidence", ev}});
    }
    json prob = json::array();
    for (const Evidence& e : h.probabilistic_links) prob.push_back(ToJson(e));
    hh.push_back(json{{"household", ToJson(h.household)},
                      {"receives", ToJson(h.receives)},
                      {"members", members},
                      {"hits", hits},
                      {"probabilistic_links", prob}});
  }
  return json{{"as_of", r.as_of.ToString()},
              {"program", r.program},
              {"recipients_checked", r.recipients_checked},
              {"flagged", r.households.size()},
              {"households", hh},
              {"truncation", ToJson(r.truncation)}};
}

json ToJson(const LocateResult& r) {
  json rows = json::array();
  for (const LocateRow& row : r.rows) {
    json cands = json::array();
    for (const ResidenceCandidate& c : row.candidates) {
      json ev = json::array();
      for (const EvidenceItem& it : c.evidence)
        ev.push_back(json{{"kind", it.kind},
                          {"date", it.date.ToString()},
                          {"weight", it.weight},
                          {"edge", ToJson(it.edge)}});
      cands.push_back(json{{"house", ToJson(c.house)},
                           {"address", c.address},
                           {"grid", c.grid ? ToJson(*c.grid) : json(nullptr)},
                           {"score", c.score},
                           {"confidence", c.confidence},
                           {"evidence", ev}});
    }
    json members = json::array();
    for (const HouseholdMember& m : row.household) members.push_back(ToJson(m));
    json workers = json::array();
    for (const EntityRef& w : row.grid_workers) workers.push_back(ToJson(w));
    rows.push_back(json{{"input", row.input},
                        {"normalized", row.normalized},
                        {"status", std::string(LocateStatusName(row.status))},
                        {"message", row.message},
                        {"person", row.person ? ToJson(*row.person) : json(nullptr)},
                        {"candidates", cands},
                        {"household", members},
                        {"grid", row.grid ? ToJson(*row.grid) : json(nullptr)},
                        {"grid_workers", workers}});
  }
  return json{
      {"as_of", r.as_of.ToString()}, {"results", rows}, {"truncation", ToJson(r.truncation)}};
}

}  // namespace citygraph::query
