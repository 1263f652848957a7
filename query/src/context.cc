// QueryContext, filters and key resolution.
#include "citygraph/query/context.h"

#include <algorithm>
#include <charconv>

#include "citygraph/keys.h"

namespace citygraph::query {

QueryContext QueryContext::FromDatabase(const Database& db) {
  QueryContext ctx;
  ctx.snapshot = db.GetSnapshot();
  const Database* d = &db;
  ctx.aux = [d](std::string_view ns, std::string_view key) { return d->GetAux(ns, key); };
  ctx.aux_prefixes = [d](std::string_view ns, char delimiter) {
    return d->AuxKeyPrefixes(ns, delimiter);
  };
  return ctx;
}

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kOut:
      return "out";
    case Direction::kIn:
      return "in";
    case Direction::kBoth:
      return "both";
  }
  return "both";
}

StatusOr<Direction> ParseDirection(std::string_view name) {
  if (name == "out") return Direction::kOut;
  if (name == "in") return Direction::kIn;
  if (name == "both") return Direction::kBoth;
  return InvalidArgument("direction '" + std::string(name) + "' is not one of out, in, both");
}

bool Filter::EdgeAllowed(const EdgeRecord& rec) const {
  if (as_of && !ValidOn(rec.valid_from, rec.valid_to, *as_of)) return false;
  if (edge_types.empty()) return true;
  return std::find(edge_types.begin(), edge_types.end(), rec.type) != edge_types.end();
}

bool Filter::LabelAllowed(LabelId label) const {
  return labels.empty() || std::find(labels.begin(), labels.end(), label) != labels.end();
}

StatusOr<Filter> MakeFilter(const Schema& schema, std::optional<Date> as_of,
                            const std::vector<std::string>& edge_types,
                            const std::vector<std::string>& labels, Direction direction) {
  Filter f;
  f.as_of = as_of;
  f.direction = direction;
  for (const std::string& t : edge_types) {
    CG_ASSIGN_OR_RETURN(EdgeTypeId id, schema.FindEdgeType(t));
    f.edge_types.push_back(id);
  }
  for (const std::string& l : labels) {
    CG_ASSIGN_OR_RETURN(LabelId id, schema.FindLabel(l));
    f.labels.push_back(id);
  }
  return f;
}

StatusOr<std::string> NormalizeKey(std::string_view kind, std::string_view value) {
  if (kind == "id_number") return keys::NormalizeIdNumber(value);
  if (kind == "credit_code") return keys::NormalizeCreditCode(value);
  if (kind == "plate") return keys::NormalizePlate(value);
  if (kind == "phone") return keys::NormalizePhone(value);
  return std::string(keys::TrimSpaces(value));
}

namespace {

StatusOr<VertexId> FindKind(const Snapshot& snap, std::string_view kind, std::string_view value) {
  CG_ASSIGN_OR_RETURN(KeyKindId k, snap.schema().FindKeyKind(kind));
  auto norm = NormalizeKey(kind, value);
  if (!norm.ok()) return norm.status().WithContext("key " + std::string(kind));
  auto found = snap.FindByKey(k, *norm);
  if (!found.ok()) return NotFound("no vertex has " + std::string(kind) + " '" + *norm + "'");
  return *found;
}

}  // namespace

StatusOr<VertexId> ResolveKey(const Snapshot& snap, std::string_view key_spec) {
  std::string_view spec = keys::TrimSpaces(key_spec);
  if (spec.empty()) return InvalidArgument("empty key");
  const Schema& schema = snap.schema();
  size_t colon = spec.find(':');
  if (colon != std::string_view::npos) {
    std::string_view kind = spec.substr(0, colon);
    std::string_view value = spec.substr(colon + 1);
    if (kind == "vertex") {
      uint64_t id = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
      if (ec != std::errc() || p != value.data() + value.size())
        return InvalidArgument("vertex id '" + std::string(value) + "' is not a number");
      if (id >= snap.num_vertices())
        return NotFound("vertex " + std::to_string(id) + " does not exist (" +
                        std::to_string(snap.num_vertices()) + " vertices)");
      return static_cast<VertexId>(id);
    }
    if (schema.FindKeyKind(kind).ok()) return FindKind(snap, kind, value);
    // Not a kind: a bare value that happens to contain ':' (e.g. a case number).
  }
  // Bare value: the structured kinds first, then verbatim under every kind.
  for (std::string_view kind : {"id_number", "credit_code", "plate", "phone"}) {
    if (!schema.FindKeyKind(kind).ok()) continue;
    auto norm = NormalizeKey(kind, spec);
    if (!norm.ok()) continue;
    auto k = schema.FindKeyKind(kind);
    auto found = snap.FindByKey(*k, *norm);
    if (found.ok()) return *found;
  }
  std::string trimmed(spec);
  for (KeyKindId k = 0; k < schema.key_kinds().size(); ++k) {
    auto found = snap.FindByKey(k, trimmed);
    if (found.ok()) return *found;
  }
  auto as_id = keys::NormalizeIdNumber(spec);
  if (!as_id.ok() && spec.size() >= 15 && spec.size() <= 20 &&
      std::all_of(spec.begin(), spec.end() - 1, [](char c) { return c >= '0' && c <= '9'; }))
    return InvalidArgument("'" + trimmed + "' looks like an identity number but is invalid: " +
                           as_id.status().message());
  return NotFound("no vertex has key '" + trimmed + "'");
}

}  // namespace citygraph::query
