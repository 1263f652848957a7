// Parsing and schema validation of mapping files (see mapping.h and
// ingest/README.md for the format): the format, columns and conditions, and
// the public entry points. Vertices, edges and rules: mapping_entities.cc.
#include "citygraph/ingest/mapping.h"

#include <glob.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mapping_parser.h"

namespace citygraph::ingest {

namespace fs = std::filesystem;

namespace internal {

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : ""; }

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
    if (d == "\\t" || d == "tab") d.assign(1, '\t');  // not = "\t": GCC 12 false -Wrestrict
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

}  // namespace internal

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
    return internal::Parser(path, schema, data_dir).Run(root);
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