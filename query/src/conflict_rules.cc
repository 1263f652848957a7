// Parsing and validation of asset-conflict rules (YAML).
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "citygraph/query/conflicts.h"

namespace citygraph::query {
namespace {

std::string Where(std::string_view origin, size_t index, const std::string& id) {
  return std::string(origin) + ": rule " + std::to_string(index + 1) +
         (id.empty() ? "" : " ('" + id + "')");
}

StatusOr<std::string> Str(const YAML::Node& n, const char* field, const std::string& where,
                          bool required, std::string fallback = "") {
  YAML::Node v = n[field];
  if (!v) {
    if (required) return InvalidArgument(where + ": missing field '" + field + "'");
    return fallback;
  }
  if (!v.IsScalar()) return InvalidArgument(where + ": field '" + field + "' must be a scalar");
  return v.as<std::string>();
}

StatusOr<ConflictRule> ParseRule(const YAML::Node& n, std::string_view origin, size_t i) {
  ConflictRule r;
  std::string where = Where(origin, i, "");
  if (!n.IsMap()) return InvalidArgument(where + ": must be a mapping");
  CG_ASSIGN_OR_RETURN(r.id, Str(n, "id", where, true));
  where = Where(origin, i, r.id);
  CG_ASSIGN_OR_RETURN(r.description, Str(n, "description", where, false));
  CG_ASSIGN_OR_RETURN(r.edge, Str(n, "edge", where, true));
  CG_ASSIGN_OR_RETURN(r.target, Str(n, "target", where, true));
  CG_ASSIGN_OR_RETURN(std::string dir, Str(n, "direction", where, false, "out"));
  auto d = ParseDirection(dir);
  if (!d.ok() || *d == Direction::kBoth)
    return InvalidArgument(where + ": direction must be 'out' or 'in', got '" + dir + "'");
  r.direction = *d;
  CG_ASSIGN_OR_RETURN(std::string min, Str(n, "min_count", where, false, "1"));
  try {
    size_t used = 0;
    r.min_count = std::stoi(min, &used);
    if (used != min.size() || r.min_count < 1) throw std::invalid_argument(min);
  } catch (const std::exception&) {
    return InvalidArgument(where + ": min_count must be an integer >= 1, got '" + min + "'");
  }
  if (YAML::Node w = n["where"]) {
    if (!w.IsMap()) return InvalidArgument(where + ": 'where' must be a mapping prop: value");
    for (const auto& kv : w) {
      std::string prop = kv.first.as<std::string>();
      if (kv.second.IsScalar()) {
        r.where.emplace_back(prop, kv.second.as<std::string>());
      } else if (kv.second.IsSequence() && kv.second.size() > 0) {
        for (const auto& alt : kv.second) {
          if (!alt.IsScalar())
            return InvalidArgument(where + ": where." + prop + " alternatives must be scalars");
          r.where.emplace_back(prop, alt.as<std::string>());
        }
      } else {
        return InvalidArgument(where + ": where." + prop +
                               " must be a value or a non-empty list of values");
      }
    }
  }
  if (YAML::Node a = n["active"]) {
    if (!a.IsMap()) return InvalidArgument(where + ": 'active' must be {from: prop, to: prop}");
    CG_ASSIGN_OR_RETURN(std::string from, Str(a, "from", where + ": active", true));
    CG_ASSIGN_OR_RETURN(std::string to, Str(a, "to", where + ": active", true));
    r.active.emplace(from, to);
  }
  return r;
}

}  // namespace

StatusOr<ConflictRules> ConflictRules::Parse(std::string_view yaml_text, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(origin) + ": line " + std::to_string(e.mark.line + 1) +
                           ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return InvalidArgument(std::string(origin) + ": top level must be a mapping");
  ConflictRules rules;
  try {
    if (YAML::Node p = root["program"]) rules.program = p.as<std::string>();
    YAML::Node list = root["rules"];
    if (!list || !list.IsSequence() || list.size() == 0)
      return InvalidArgument(std::string(origin) + ": 'rules' must be a non-empty list");
    for (size_t i = 0; i < list.size(); ++i) {
      CG_ASSIGN_OR_RETURN(ConflictRule r, ParseRule(list[i], origin, i));
      for (const ConflictRule& prev : rules.rules)
        if (prev.id == r.id) return InvalidArgument(Where(origin, i, r.id) + ": duplicate rule id");
      rules.rules.push_back(std::move(r));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(origin) + ": line " + std::to_string(e.mark.line + 1) +
                           ": " + e.msg);
  }
  return rules;
}

StatusOr<ConflictRules> ConflictRules::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read rules file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

ConflictRules ConflictRules::Default() {
  ConflictRules r;
  r.program = "DIBAO";
  r.rules.push_back({"owns_two_houses",
                     "a member owns two or more houses on D (co-ownership counts)",
                     "OWNS",
                     Direction::kOut,
                     "House",
                     {},
                     std::nullopt,
                     2});
  r.rules.push_back({"individual_business_rep",
                     "a member is legal representative of an individual business active on D",
                     "LEGAL_REP",
                     Direction::kOut,
                     "Business",
                     {{"kind", "individual"}, {"kind", "个体工商户"}},
                     std::make_pair(std::string("established"), std::string("revoked")),
                     1});
  r.rules.push_back({"owns_vehicle",
                     "a member owns a vehicle on D",
                     "OWNS",
                     Direction::kOut,
                     "Vehicle",
                     {},
                     std::nullopt,
                     1});
  return r;
}

Status ConflictRules::Validate(const Schema& schema) const {
  for (const ConflictRule& r : rules) {
    std::string where = "rule '" + r.id + "'";
    auto type = schema.FindEdgeType(r.edge);
    if (!type.ok()) return NotFound(where + ": edge type '" + r.edge + "' is not in the schema");
    auto label = schema.FindLabel(r.target);
    if (!label.ok()) return NotFound(where + ": label '" + r.target + "' is not in the schema");
    const EdgeTypeDef& def = schema.edge_types()[*type];
    const auto& ends = r.direction == Direction::kOut ? def.to : def.from;
    if (std::find(ends.begin(), ends.end(), *label) == ends.end())
      return InvalidArgument(where + ": " + r.edge + " edges never " +
                             (r.direction == Direction::kOut ? "end at " : "start from ") +
                             r.target);
    for (const auto& [prop, value] : r.where)
      if (!schema.FindVertexProperty(*label, prop).ok())
        return NotFound(where + ": " + r.target + " has no property '" + prop + "'");
    if (r.active) {
      for (const std::string& prop : {r.active->first, r.active->second})
        if (!schema.FindVertexProperty(*label, prop).ok())
          return NotFound(where + ": " + r.target + " has no property '" + prop + "'");
    }
  }
  return Status::OK();
}

}  // namespace citygraph::query
