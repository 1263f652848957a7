// Parsing and schema validation of mapping files (see mapping.h and
// ingest/README.md for the format).
#include "citygraph/ingest/mapping.h"

#include <glob.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace citygraph::ingest {
namespace {

namespace fs = std::filesystem;

// Collects context for messages: "mapping m.yaml: vertices[1].key: ...".
class Parser {
 public:
  Parser(const std::string& path, const Schema& schema, const std::string& data_dir)
      : path_(path), schema_(schema), data_dir_(data_dir) {}

  Status Error(const std::string& where, const std::string& what) const {
    return InvalidArgument("mapping " + path_ + ": " + where + ": " + what);
  }

  StatusOr<Mapping> Run(const YAML::Node& root);

 private:
  Status ParseFormat(const YAML::Node& root);
  Status ParseColumns(const YAML::Node& node);
  StatusOr<int> Column(const YAML::Node& node, const std::string& where) const;
  StatusOr<int> ColumnName(const std::string& name, const std::string& where) const;
  StatusOr<ValueSource> Source(const YAML::Node& node, const std::string& where) const;
  Status ParseVertex(const YAML::Node& node, size_t index);
  Status ParseEdge(const YAML::Node& node, size_t index);
  Status ParseRule(const YAML::Node& node, size_t index);
  Status ParseResolution(const YAML::Node& node);
  StatusOr<int> Alias(const YAML::Node& node, const std::string& where) const;
  StatusOr<std::vector<Condition>> When(const YAML::Node& node, const std::string& where) const;

  std::string path_;
  const Schema& schema_;
  std::string data_dir_;
  Mapping m_;
};

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : ""; }

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

Status Parser::ParseFormat(const YAML::Node& root) {
  m_.department = Scalar(root["department"]);
  if (m_.department.empty()) return Error("department", "missing");
  std::string file = Scalar(root["file"]);
  if (file.empty()) return Error("file", "missing");
  fs::path p(file);
  if (p.is_relative()) {
    p = (data_dir_.empty() ? fs::path(path_).parent_path() : fs::path(data_dir_)) / p;
  }
  m_.file = p.lexically_normal().string();
  m_.source_name = file;
  std::string format = Scalar(root["format"]);
  if (format == "csv") {
    m_.format = FileFormat::kCsv;
  } else if (format == "tsv") {
    m_.format = FileFormat::kTsv;
    m_.delimiter = '\t';
  } else if (format == "jsonl") {
    m_.format = FileFormat::kJsonl;
  } else {
    return Error("format", "'" + format + "' is not csv, tsv or jsonl");
  }
  if (root["encoding"]) m_.encoding = Scalar(root["encoding"]);
  std::string enc;
  for (char c : m_.encoding) {
    if (c != '-' && c != '_') enc += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (enc != "UTF8" && enc != "GB18030" && enc != "GBK" && enc != "CP936" && enc != "GB2312") {
    return Error("encoding", "'" + m_.encoding + "' is not utf-8, gb18030 or gbk");
  }
  if (root["delimiter"]) {
    std::string d = Scalar(root["delimiter"]);
    if (d == "\\t" || d == "tab") d = "\t";
    if (d.size() != 1) return Error("delimiter", "must be one character");
    m_.delimiter = d[0];
  }
  if (root["quote"]) {
    std::string q = Scalar(root["quote"]);
    if (q.size() > 1) return Error("quote", "must be one character or empty");
    m_.quote = q.empty() ? '\0' : q[0];
  }
  if (root["header"]) m_.header = root["header"].as<bool>();
  if (m_.format == FileFormat::kJsonl) m_.header = false;
  return Status::OK();
}

Status Parser::ParseColumns(const YAML::Node& node) {
  if (!node || !(node.IsMap() || node.IsSequence())) {
    return Error("columns", "missing (a map from column name to its normalisers)");
  }
  auto add = [&](const std::string& name, const YAML::Node& spec) -> Status {
    ColumnSpec c;
    c.name = name;
    auto add_names = [&c](const YAML::Node& chain) {
      if (chain.IsSequence()) {
        for (const auto& n : chain) c.normalizer_names.push_back(Scalar(n));
      } else if (chain.IsScalar() && !Scalar(chain).empty()) {
        c.normalizer_names.push_back(Scalar(chain));
      }
    };
    if (spec && spec.IsMap()) {
      if (spec["normalize"]) add_names(spec["normalize"]);
      if (spec["required"]) c.required = spec["required"].as<bool>();
    } else if (spec) {
      add_names(spec);
    }
    auto found = FindNormalizers(c.normalizer_names);
    if (!found.ok()) return Error("columns." + name, found.status().message());
    c.chain = std::move(found).value();
    if (m_.FindColumn(name) >= 0) return Error("columns." + name, "declared twice");
    m_.columns.push_back(std::move(c));
    return Status::OK();
  };
  if (node.IsMap()) {
    for (const auto& kv : node) CG_RETURN_IF_ERROR(add(kv.first.as<std::string>(), kv.second));
  } else {
    for (const auto& n : node) CG_RETURN_IF_ERROR(add(Scalar(n), YAML::Node()));
  }
  return Status::OK();
}

StatusOr<int> Parser::ColumnName(const std::string& name, const std::string& where) const {
  int c = m_.FindColumn(name);
  if (c < 0) return Error(where, "column '" + name + "' is not declared in columns");
  return c;
}

StatusOr<int> Parser::Column(const YAML::Node& node, const std::string& where) const {
  if (!node) return -1;
  return ColumnName(Scalar(node), where);
}

StatusOr<std::vector<Condition>> Parser::When(const YAML::Node& node,
                                              const std::string& where) const {
  std::vector<Condition> out;
  if (!node) return out;
  std::vector<YAML::Node> items;
  if (node.IsSequence()) {
    for (const auto& n : node) items.push_back(n);
  } else {
    items.push_back(node);
  }
  static const std::pair<const char*, Condition::Kind> kKinds[] = {
      {"equals", Condition::Kind::kEquals}, {"not_equals", Condition::Kind::kNotEquals},
      {"prefix", Condition::Kind::kPrefix}, {"not_prefix", Condition::Kind::kNotPrefix},
      {"empty", Condition::Kind::kEmpty},   {"not_empty", Condition::Kind::kNotEmpty}};
  for (const auto& n : items) {
    Condition c;
    CG_ASSIGN_OR_RETURN(c.column, ColumnName(Scalar(n["column"]), where + ".when"));
    bool found = false;
    for (const auto& [name, kind] : kKinds) {
      if (!n[name]) continue;
      found = true;
      c.kind = kind;
      if (n[name].IsSequence()) {
        for (const auto& v : n[name]) c.values.push_back(Scalar(v));
      } else {
        c.values.push_back(Scalar(n[name]));
      }
    }
    if (!found) {
      return Error(where + ".when",
                   "needs one of equals, not_equals, prefix, not_prefix, "
                   "empty, not_empty");
    }
    out.push_back(std::move(c));
  }
  return out;
}

StatusOr<ValueSource> Parser::Source(const YAML::Node& node, const std::string& where) const {
  ValueSource s;
  if (node.IsMap() && node["value"]) {
    s.constant = Scalar(node["value"]);
    if (s.constant.empty()) return Error(where, "constant value is empty");
    return s;
  }
  CG_ASSIGN_OR_RETURN(s.column, ColumnName(Scalar(node), where));
  return s;
}

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

StatusOr<Mapping> Parser::Run(const YAML::Node& root) {
  if (!root.IsMap()) return Error("top level", "not a YAML map");
  m_.path = path_;
  CG_RETURN_IF_ERROR(ParseFormat(root));
  CG_RETURN_IF_ERROR(ParseColumns(root["columns"]));
  const YAML::Node vertices = root["vertices"];
  if (!vertices || !vertices.IsSequence() || vertices.size() == 0) {
    return Error("vertices", "missing (a list of vertex mappings)");
  }
  for (size_t i = 0; i < vertices.size(); ++i) CG_RETURN_IF_ERROR(ParseVertex(vertices[i], i));
  int resolvable = 0;
  for (const auto& v : m_.vertices) {
    resolvable += v.on_missing == KeyPolicy::kResolve || v.on_invalid == KeyPolicy::kResolve;
  }
  if (resolvable > 1) {
    return Error("vertices", "at most one vertex per row may use key policy 'resolve'");
  }
  if (root["subject"]) {
    CG_ASSIGN_OR_RETURN(m_.subject, Alias(root["subject"], "subject"));
  }
  if (const YAML::Node edges = root["edges"]) {
    for (size_t i = 0; i < edges.size(); ++i) CG_RETURN_IF_ERROR(ParseEdge(edges[i], i));
  }
  if (const YAML::Node rules = root["rules"]) {
    for (size_t i = 0; i < rules.size(); ++i) CG_RETURN_IF_ERROR(ParseRule(rules[i], i));
  }
  if (const YAML::Node report = root["report"]) {
    CG_ASSIGN_OR_RETURN(m_.grid_column, Column(report["grid"], "report.grid"));
    CG_ASSIGN_OR_RETURN(m_.date_column, Column(report["date"], "report.date"));
  }
  if (const YAML::Node res = root["resolution"]) CG_RETURN_IF_ERROR(ParseResolution(res));
  return std::move(m_);
}

}  // namespace

int Mapping::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

StatusOr<Mapping> ParseMapping(std::string_view yaml_text, const std::string& path,
                               const Schema& schema, const std::string& data_dir) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return Parser(path, schema, data_dir).Run(root);
  } catch (const YAML::Exception& e) {
    return InvalidArgument("mapping " + path + ": " + e.what());
  }
}

StatusOr<Mapping> LoadMapping(const std::string& path, const Schema& schema,
                              const std::string& data_dir) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read mapping file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseMapping(ss.str(), path, schema, data_dir);
}

StatusOr<std::vector<Mapping>> ExpandFiles(const Mapping& mapping) {
  if (mapping.file.find_first_of("*?[") == std::string::npos) return std::vector<Mapping>{mapping};
  glob_t g{};
  int rc = ::glob(mapping.file.c_str(), 0, nullptr, &g);
  std::vector<std::string> paths;
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  if (paths.empty()) {
    return NotFound("mapping " + mapping.path + ": no data file matches " + mapping.file);
  }
  std::sort(paths.begin(), paths.end());
  // The registered name keeps the mapping's relative prefix with the matched file name.
  fs::path rel_dir = fs::path(mapping.source_name).parent_path();
  std::vector<Mapping> out;
  for (const auto& p : paths) {
    Mapping m = mapping;
    m.file = p;
    m.source_name = (rel_dir / fs::path(p).filename()).string();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace citygraph::ingest
