// Loader of the golden test city.
#include "golden_city.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <vector>

namespace citygraph::testing {
namespace {

std::vector<std::string> Tokens(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string t; ss >> t;) out.push_back(t);
  return out;
}

StatusOr<Value> Parse(PropType type, const std::string& text) {
  switch (type) {
    case PropType::kString:
      return Value(text);
    case PropType::kInt64:
      return Value(static_cast<int64_t>(std::stoll(text)));
    case PropType::kDouble:
      return Value(std::stod(text));
    case PropType::kBool:
      return Value(text == "true");
    case PropType::kDate: {
      CG_ASSIGN_OR_RETURN(Date d, Date::Parse(text));
      return Value(d);
    }
    case PropType::kTimestamp:
      return InvalidArgument("timestamps are not supported in golden datasets");
  }
  return InvalidArgument("unknown type");
}

StatusOr<Date> ParseDate(const std::string& s, Date open) {
  if (s == "-") return open;
  return Date::Parse(s);
}

}  // namespace

GoldenCity::~GoldenCity() {
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

VertexId GoldenCity::Id(const std::string& alias) const {
  auto it = ids_.find(alias);
  return it == ids_.end() ? kNoVertex : it->second;
}

std::string GoldenCity::Alias(VertexId v) const {
  auto it = aliases_.find(v);
  if (it != aliases_.end()) return it->second;
  std::string s = "#";
  s.append(std::to_string(v));
  return s;
}

StatusOr<std::unique_ptr<Database>> CreateTempDatabase(const std::string& prefix,
                                                       const std::string& schema_path,
                                                       std::string* dir) {
  CG_ASSIGN_OR_RETURN(auto schema, Schema::ReadFile(schema_path));
  std::random_device rd;
  *dir = (std::filesystem::temp_directory_path() /
          std::string(prefix).append(std::to_string(rd())).append(std::to_string(rd())))
             .string();
  return Database::Create(*dir, schema);
}

StatusOr<std::unique_ptr<GoldenCity>> GoldenCity::Load(const std::string& dataset,
                                                       const std::string& schema_path) {
  auto city = std::unique_ptr<GoldenCity>(new GoldenCity());
  CG_ASSIGN_OR_RETURN(city->db_, CreateTempDatabase("cg_golden_", schema_path, &city->dir_));
  const std::shared_ptr<const Schema> schema = city->db_->schema();
  Database& db = *city->db_;
  std::ifstream in(dataset);
  if (!in) return IOError("cannot read " + dataset);
  CG_ASSIGN_OR_RETURN(SourceId self, db.RegisterSource("golden", dataset));

  // Two passes: vertices first (so edges may refer to any alias).
  std::vector<std::pair<int, std::vector<std::string>>> lines;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    auto t = Tokens(line);
    if (t.empty() || t[0][0] == '#') continue;
    lines.emplace_back(n, std::move(t));
  }
  auto source = [&](const std::string& spec) -> StatusOr<SourceRef> {
    size_t slash = spec.find('/'), colon = spec.rfind(':');
    if (slash == std::string::npos || colon == std::string::npos || colon < slash)
      return InvalidArgument("bad source '" + spec + "' (want dept/file:record)");
    CG_ASSIGN_OR_RETURN(SourceId id, db.RegisterSource(spec.substr(0, slash),
                                                       spec.substr(slash + 1, colon - slash - 1)));
    return SourceRef{id, static_cast<uint32_t>(std::stoul(spec.substr(colon + 1))), 0};
  };
  WriteBatch batch(schema);
  std::vector<std::string> new_aliases;
  for (const auto& [ln, t] : lines) {
    std::string where = dataset + ":" + std::to_string(ln);
    if (t[0] != "v") continue;
    if (t.size() < 3) return InvalidArgument(where + ": v ALIAS Label ...");
    auto label = schema->FindLabel(t[2]);
    if (!label.ok()) return label.status().WithContext(where);
    VertexRef ref = batch.AddVertex(*label);
    if (city->ids_.count(t[1])) return InvalidArgument(where + ": duplicate alias " + t[1]);
    city->ids_[t[1]] = ref.value;  // batch index; fixed after commit
    new_aliases.push_back(t[1]);
    for (size_t i = 3; i < t.size(); ++i) {
      size_t eq = t[i].find('=');
      if (eq == std::string::npos) return InvalidArgument(where + ": expected name=value");
      std::string name = t[i].substr(0, eq), value = t[i].substr(eq + 1);
      if (auto kind = schema->FindKeyKind(name); kind.ok()) {
        batch.AddKey(ref, *kind, value);
        continue;
      }
      auto pid = schema->FindVertexProperty(*label, name);
      if (!pid.ok()) return pid.status().WithContext(where);
      CG_ASSIGN_OR_RETURN(Value v, Parse(schema->labels()[*label].properties[*pid].type, value));
      batch.SetProperty(ref, *pid, v, SourceRef{self, static_cast<uint32_t>(ln), 0});
    }
  }
  auto vref = [&](const std::string& alias, const std::string& where) -> StatusOr<VertexRef> {
    auto it = city->ids_.find(alias);
    if (it == city->ids_.end()) return InvalidArgument(where + ": unknown alias " + alias);
    return VertexRef::New(it->second);
  };
  for (const auto& [ln, t] : lines) {
    std::string where = dataset + ":" + std::to_string(ln);
    if (t[0] == "e") {
      if (t.size() < 7) return InvalidArgument(where + ": e FROM TYPE TO FROM TO SRC ...");
      auto type = schema->FindEdgeType(t[2]);
      if (!type.ok()) return type.status().WithContext(where);
      EdgeSpec e;
      e.type = *type;
      CG_ASSIGN_OR_RETURN(e.src, vref(t[1], where));
      CG_ASSIGN_OR_RETURN(e.dst, vref(t[3], where));
      CG_ASSIGN_OR_RETURN(e.valid_from, ParseDate(t[4], Date::Min()));
      CG_ASSIGN_OR_RETURN(e.valid_to, ParseDate(t[5], Date::Max()));
      CG_ASSIGN_OR_RETURN(e.source, source(t[6]));
      for (size_t i = 7; i < t.size(); ++i) {
        size_t eq = t[i].find('=');
        auto pid = schema->FindEdgeProperty(*type, t[i].substr(0, eq));
        if (!pid.ok()) return pid.status().WithContext(where);
        CG_ASSIGN_OR_RETURN(
            Value v, Parse(schema->edge_types()[*type].properties[*pid].type, t[i].substr(eq + 1)));
        e.props.emplace_back(*pid, v);
      }
      batch.AddEdge(std::move(e));
    } else if (t[0] == "p") {
      if (t.size() != 4) return InvalidArgument(where + ": p ALIAS prop=value SRC");
      CG_ASSIGN_OR_RETURN(VertexRef ref, vref(t[1], where));
      size_t eq = t[2].find('=');
      // Labels are known from the v lines: find it through the batch.
      LabelId label = batch.new_labels()[ref.value];
      auto pid = schema->FindVertexProperty(label, t[2].substr(0, eq));
      if (!pid.ok()) return pid.status().WithContext(where);
      CG_ASSIGN_OR_RETURN(
          Value v, Parse(schema->labels()[label].properties[*pid].type, t[2].substr(eq + 1)));
      CG_ASSIGN_OR_RETURN(SourceRef src, source(t[3]));
      batch.SetProperty(ref, *pid, v, src);
    } else if (t[0] == "m") {
      if (t.size() != 5) return InvalidArgument(where + ": m SRC ALIAS SCORE DECISION");
      // Filled after commit, when vertex ids are known.
    } else if (t[0] != "v") {
      return InvalidArgument(where + ": unknown line kind '" + t[0] + "'");
    }
  }
  CG_ASSIGN_OR_RETURN(CommitResult r, db.Write(batch));
  for (const std::string& a : new_aliases) {
    VertexId id = r.vertex_ids[city->ids_[a]];
    city->ids_[a] = id;
    city->aliases_[id] = a;
  }
  WriteBatch aux(schema);
  for (const auto& [ln, t] : lines) {
    if (t[0] != "m") continue;
    CG_ASSIGN_OR_RETURN(SourceRef src, source(t[1]));
    VertexId v = city->Id(t[2]);
    if (v == kNoVertex)
      return InvalidArgument(dataset + ":" + std::to_string(ln) + ": unknown alias");
    nlohmann::json j{
        {"vertex", v},
        {"label", "Person"},
        {"score", std::stod(t[3])},
        {"decision", t[4]},
        {"fields", nlohmann::json::array({{{"field", "name"}, {"agree", true}, {"weight", 4.2}}})}};
    aux.PutAux("er.match", std::to_string(src.source) + ":" + std::to_string(src.record), j.dump());
  }
  if (!aux.aux().empty()) CG_RETURN_IF_ERROR(db.Write(aux).status());
  return city;
}

}  // namespace citygraph::testing
