// Mapping files: vertices (keys, key policies, properties, match columns),
// edges, validation rules and entity-resolution parameters.
#include <algorithm>
#include <string>
#include <vector>

#include "mapping_parser.h"

namespace citygraph::ingest::internal {
namespace {

StatusOr<KeyPolicy> ParsePolicy(const std::string& s, bool person) {
  if (s == "reject") return KeyPolicy::kReject;
  if (s == "skip") return KeyPolicy::kSkip;
  if (s == "resolve") {
    if (!person) return InvalidArgument("'resolve' is allowed for Person vertices only");
    return KeyPolicy::kResolve;
  }
  return InvalidArgument("unknown key policy '" + s + "' (reject, skip, resolve)");
}

std::vector<std::string> DefaultKeyChain(const std::string& kind) {
  if (kind == "id_number" || kind == "credit_code" || kind == "plate" || kind == "phone") {
    return {kind};
  }
  return {"fullwidth", "collapse"};
}

}  // namespace

Status Parser::ParseVertex(const YAML::Node& node, size_t index) {
  std::string where = "vertices[" + std::to_string(index) + "]";
  VertexMapping v;
  v.label_name = Scalar(node["label"]);
  auto label = schema_.FindLabel(v.label_name);
  if (!label.ok()) return Error(where, "unknown label '" + v.label_name + "'");
  v.label = *label;
  v.alias = node["as"] ? Scalar(node["as"]) : v.label_name;
  for (const auto& other : m_.vertices) {
    if (other.alias == v.alias) return Error(where, "alias '" + v.alias + "' used twice");
  }
  const YAML::Node key = node["key"];
  if (!key || !key.IsMap()) return Error(where + ".key", "missing (kind and column or value)");
  v.key_kind_name = Scalar(key["kind"]);
  auto kind = schema_.FindKeyKind(v.key_kind_name);
  if (!kind.ok()) return Error(where + ".key", "unknown key kind '" + v.key_kind_name + "'");
  v.key_kind = *kind;
  if (!schema_.CheckKey(v.label, v.key_kind).ok()) {
    return Error(where + ".key",
                 "label " + v.label_name + " cannot carry key kind " + v.key_kind_name);
  }
  if (key["value"]) {
    v.key.constant = Scalar(key["value"]);
  } else {
    CG_ASSIGN_OR_RETURN(v.key.column, ColumnName(Scalar(key["column"]), where + ".key"));
  }
  {
    v.key_chain_names = DefaultKeyChain(v.key_kind_name);
    auto chain = FindNormalizers(v.key_chain_names);
    if (!chain.ok()) return Error(where + ".key", chain.status().message());
    v.key_chain = std::move(chain).value();
  }
  bool person = v.label_name == "Person";
  if (key["missing"]) {
    auto p = ParsePolicy(Scalar(key["missing"]), person);
    if (!p.ok()) return Error(where + ".key.missing", p.status().message());
    v.on_missing = *p;
  }
  if (key["invalid"]) {
    auto p = ParsePolicy(Scalar(key["invalid"]), person);
    if (!p.ok()) return Error(where + ".key.invalid", p.status().message());
    v.on_invalid = *p;
  }
  if (const YAML::Node props = node["properties"]) {
    for (const auto& kv : props) {
      PropertyMapping pm;
      pm.name = kv.first.as<std::string>();
      auto prop = schema_.FindVertexProperty(v.label, pm.name);
      if (!prop.ok()) {
        return Error(where + ".properties",
                     "label " + v.label_name + " has no property '" + pm.name + "'");
      }
      pm.prop = *prop;
      pm.type = schema_.labels()[v.label].properties[pm.prop].type;
      CG_ASSIGN_OR_RETURN(pm.value, Source(kv.second, where + ".properties." + pm.name));
      v.properties.push_back(std::move(pm));
    }
  }
  if (const YAML::Node match = node["match"]) {
    if (!person) return Error(where + ".match", "only Person vertices are matched");
    std::string w = where + ".match";
    CG_ASSIGN_OR_RETURN(v.match.name, Column(match["name"], w));
    CG_ASSIGN_OR_RETURN(v.match.birth_date, Column(match["birth_date"], w));
    CG_ASSIGN_OR_RETURN(v.match.sex, Column(match["sex"], w));
    CG_ASSIGN_OR_RETURN(v.match.address, Column(match["address"], w));
    CG_ASSIGN_OR_RETURN(v.match.phone, Column(match["phone"], w));
  }
  if ((v.on_missing == KeyPolicy::kResolve || v.on_invalid == KeyPolicy::kResolve) &&
      v.match.name < 0) {
    return Error(where + ".match", "key policy 'resolve' needs match columns (at least name)");
  }
  CG_ASSIGN_OR_RETURN(v.when, When(node["when"], where));
  m_.vertices.push_back(std::move(v));
  return Status::OK();
}

StatusOr<int> Parser::Alias(const YAML::Node& node, const std::string& where) const {
  std::string alias = Scalar(node);
  for (size_t i = 0; i < m_.vertices.size(); ++i) {
    if (m_.vertices[i].alias == alias) return static_cast<int>(i);
  }
  return Error(where, "no vertex with alias '" + alias + "'");
}

Status Parser::ParseEdge(const YAML::Node& node, size_t index) {
  std::string where = "edges[" + std::to_string(index) + "]";
  EdgeMapping e;
  e.type_name = Scalar(node["type"]);
  auto type = schema_.FindEdgeType(e.type_name);
  if (!type.ok()) return Error(where, "unknown edge type '" + e.type_name + "'");
  e.type = *type;
  CG_ASSIGN_OR_RETURN(e.from, Alias(node["from"], where + ".from"));
  CG_ASSIGN_OR_RETURN(e.to, Alias(node["to"], where + ".to"));
  const auto& def = schema_.edge_types()[e.type];
  auto allowed = [](const std::vector<LabelId>& v, LabelId l) {
    return std::find(v.begin(), v.end(), l) != v.end();
  };
  if (!allowed(def.from, m_.vertices[e.from].label) || !allowed(def.to, m_.vertices[e.to].label)) {
    return Error(where, "edge type " + e.type_name + " does not link " +
                            m_.vertices[e.from].label_name + " to " + m_.vertices[e.to].label_name);
  }
  CG_ASSIGN_OR_RETURN(e.valid_from, Column(node["valid_from"], where + ".valid_from"));
  CG_ASSIGN_OR_RETURN(e.valid_to, Column(node["valid_to"], where + ".valid_to"));
  CG_ASSIGN_OR_RETURN(e.when, When(node["when"], where));
  if (const YAML::Node props = node["properties"]) {
    for (const auto& kv : props) {
      PropertyMapping pm;
      pm.name = kv.first.as<std::string>();
      auto prop = schema_.FindEdgeProperty(e.type, pm.name);
      if (!prop.ok()) {
        return Error(where + ".properties",
                     "edge type " + e.type_name + " has no property '" + pm.name + "'");
      }
      pm.prop = *prop;
      pm.type = def.properties[pm.prop].type;
      CG_ASSIGN_OR_RETURN(pm.value, Source(kv.second, where + ".properties." + pm.name));
      e.properties.push_back(std::move(pm));
    }
  }
  m_.edges.push_back(std::move(e));
  return Status::OK();
}

Status Parser::ParseRule(const YAML::Node& node, size_t index) {
  std::string where = "rules[" + std::to_string(index) + "]";
  RuleMapping r;
  YAML::Emitter out;
  out << YAML::Flow << node;
  r.text = out.c_str();
  if (node["not_before"]) {
    r.kind = RuleMapping::Kind::kNotBefore;
    CG_ASSIGN_OR_RETURN(r.column, Column(node["not_before"], where));
    if (!node["than"]) return Error(where, "not_before needs 'than'");
    CG_ASSIGN_OR_RETURN(r.other, Column(node["than"], where));
  } else if (node["range"]) {
    r.kind = RuleMapping::Kind::kRange;
    CG_ASSIGN_OR_RETURN(r.column, Column(node["range"], where));
    if (!node["min"] || !node["max"]) return Error(where, "range needs min and max");
    r.min = node["min"].as<double>();
    r.max = node["max"].as<double>();
  } else if (node["one_of"]) {
    r.kind = RuleMapping::Kind::kOneOf;
    CG_ASSIGN_OR_RETURN(r.column, Column(node["one_of"], where));
    if (!node["values"] || !node["values"].IsSequence()) {
      return Error(where, "one_of needs a list of values");
    }
    for (const auto& v : node["values"]) r.values.push_back(Scalar(v));
  } else {
    return Error(where, "unknown rule (not_before, range, one_of)");
  }
  m_.rules.push_back(std::move(r));
  return Status::OK();
}

Status Parser::ParseResolution(const YAML::Node& node) {
  ResolutionConfig& c = m_.resolution;
  if (node["upper"]) c.upper = node["upper"].as<double>();
  if (node["lower"]) c.lower = node["lower"].as<double>();
  if (node["ambiguity_margin"]) c.ambiguity_margin = node["ambiguity_margin"].as<double>();
  if (node["name_similar_weight"]) c.name_similar_weight = node["name_similar_weight"].as<double>();
  if (node["max_block"]) c.max_block = node["max_block"].as<size_t>();
  if (c.lower > c.upper) return Error("resolution", "lower threshold above upper");
  if (const YAML::Node f = node["fields"]) {
    std::pair<const char*, FieldWeights*> fields[] = {{"name", &c.name},
                                                      {"birth_date", &c.birth_date},
                                                      {"sex", &c.sex},
                                                      {"address", &c.address},
                                                      {"phone", &c.phone}};
    for (const auto& kv : f) {
      std::string name = kv.first.as<std::string>();
      FieldWeights* w = nullptr;
      for (auto& [n, p] : fields) {
        if (name == n) w = p;
      }
      if (w == nullptr) return Error("resolution.fields", "unknown field '" + name + "'");
      if (kv.second["m"]) w->m = kv.second["m"].as<double>();
      if (kv.second["u"]) w->u = kv.second["u"].as<double>();
      if (!(w->m > 0 && w->m < 1 && w->u > 0 && w->u < 1)) {
        return Error("resolution.fields." + name, "m and u must lie strictly between 0 and 1");
      }
    }
  }
  return Status::OK();
}

}  // namespace citygraph::ingest::internal
