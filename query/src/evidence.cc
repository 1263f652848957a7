// Describing vertices and edges with their provenance.
#include "citygraph/query/evidence.h"

#include <nlohmann/json.hpp>

#include "citygraph/query/context.h"
#include "internal.h"

namespace citygraph::query {

std::optional<double> Evidence::min_match_score() const {
  std::optional<double> best;
  for (const MatchInfo& m : matches) {
    if (!m.probabilistic) continue;
    if (!best || m.score < *best) best = m.score;
  }
  return best;
}

std::string MatchKey(const SourceRef& source) {
  return std::to_string(source.source) + ":" + std::to_string(source.record);
}

EntityRef Describe(const QueryContext& ctx, VertexId v) {
  const Snapshot& snap = ctx.snap();
  const LabelId label = snap.label(v);
  return internal::Describe(snap, v, internal::NameProps::Of(snap.schema(), label));
}

namespace {

// Decisions that are not a probabilistic link to an existing entity: a key
// match, or "new" (ingest created a fresh, unresolved vertex for the record).
bool IsDeterministic(const std::string& decision) {
  return decision == "exact" || decision == "key" || decision == "deterministic" ||
         decision == "new";
}

void AddMatch(const nlohmann::json& j, std::vector<MatchInfo>* out) {
  if (!j.is_object() || !j.contains("vertex") || !j["vertex"].is_number_unsigned()) return;
  MatchInfo m;
  m.vertex = j["vertex"].get<VertexId>();
  if (j.contains("label") && j["label"].is_string()) m.label = j["label"].get<std::string>();
  if (j.contains("score") && j["score"].is_number()) m.score = j["score"].get<double>();
  if (j.contains("decision") && j["decision"].is_string())
    m.decision = j["decision"].get<std::string>();
  m.probabilistic = !IsDeterministic(m.decision);
  if (j.contains("fields") && j["fields"].is_array()) {
    for (const auto& f : j["fields"]) {
      if (!f.is_object()) continue;
      MatchField mf;
      if (f.contains("field") && f["field"].is_string()) mf.field = f["field"].get<std::string>();
      if (f.contains("agree") && f["agree"].is_boolean()) mf.agree = f["agree"].get<bool>();
      if (f.contains("weight") && f["weight"].is_number()) mf.weight = f["weight"].get<double>();
      m.fields.push_back(std::move(mf));
    }
  }
  out->push_back(std::move(m));
}

}  // namespace

namespace internal {

NameProps NameProps::Of(const Schema& schema, LabelId label) {
  return NameProps{VertexPropId(schema, label, "name"), VertexPropId(schema, label, "address")};
}

EntityRef Describe(const Snapshot& snap, VertexId v, const NameProps& props) {
  const Schema& schema = snap.schema();
  EntityRef e;
  e.id = v;
  e.label = schema.labels()[snap.label(v)].name;
  auto keys = snap.keys(v);
  if (!keys.empty()) {
    e.key_kind = schema.key_kinds()[keys.front().first];
    e.key = std::move(keys.front().second);
  }
  for (const std::optional<PropId>& pid : {props.name, props.address}) {
    if (!pid) continue;
    Value val = snap.property(v, *pid);
    if (std::holds_alternative<std::monostate>(val)) continue;
    e.name = TakeText(std::move(val));
    break;
  }
  return e;
}

// Every stored match of `source`'s record (object or array of objects).
std::vector<MatchInfo> LookupMatches(const QueryContext& ctx, const SourceRef& source) {
  std::vector<MatchInfo> out;
  if (!ctx.aux) return out;
  auto text = ctx.aux("er.match", MatchKey(source));
  if (!text.ok()) return out;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return out;
  if (j.is_array()) {
    for (const auto& item : j) AddMatch(item, &out);
  } else {
    AddMatch(j, &out);
  }
  return out;
}

}  // namespace internal

Evidence MakeEvidence(const QueryContext& ctx, EdgeId e) {
  return internal::MakeEvidence(ctx, e, nullptr);
}

namespace internal {

Evidence MakeEvidence(const QueryContext& ctx, EdgeId e, EntityMemo* memo) {
  const Snapshot& snap = ctx.snap();
  const Schema& schema = snap.schema();
  const EdgeRecord& rec = snap.edge(e);
  Evidence ev;
  ev.edge = e;
  const EdgeTypeDef& def = schema.edge_types()[rec.type];
  ev.type = def.name;
  ev.from = memo ? memo->Get(rec.src) : Describe(ctx, rec.src);
  ev.to = memo ? memo->Get(rec.dst) : Describe(ctx, rec.dst);
  ev.valid_from = rec.valid_from;
  ev.valid_to = rec.valid_to;
  if (memo) {
    const SourceInfo& info = memo->Source(rec.source.source);
    ev.department = info.department;
    ev.file = info.file;
  } else {
    SourceInfo info = snap.source(rec.source.source);
    ev.department = std::move(info.department);
    ev.file = std::move(info.file);
  }
  ev.record = rec.source.record;
  ev.batch = rec.source.batch;
  ev.recorded_at = snap.batch_time(rec.source.batch);
  for (auto& [pid, val] : snap.edge_properties(e)) {
    if (pid < def.properties.size())
      ev.props.emplace_back(def.properties[pid].name, internal::TakeText(std::move(val)));
  }
  if (memo) {
    for (const MatchInfo& m : memo->Matches(rec.source))
      if (m.vertex == rec.src || m.vertex == rec.dst) ev.matches.push_back(m);
  } else {
    for (MatchInfo& m : internal::LookupMatches(ctx, rec.source))
      if (m.vertex == rec.src || m.vertex == rec.dst) ev.matches.push_back(std::move(m));
  }
  return ev;
}

}  // namespace internal

}  // namespace citygraph::query
