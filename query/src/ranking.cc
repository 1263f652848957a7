// RankingConfig: parsing the locate ranking YAML.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "citygraph/query/locate.h"

namespace citygraph::query {
namespace {

Status ParseKind(const YAML::Node& n, const std::string& where, double* reliability, bool* decays) {
  if (n.IsScalar()) {  // shorthand: just the reliability
    *reliability = n.as<double>();
  } else if (n.IsMap()) {
    if (n["reliability"]) *reliability = n["reliability"].as<double>();
    if (n["decays"]) *decays = n["decays"].as<bool>();
  } else {
    return InvalidArgument(where + " must be a number or {reliability, decays}");
  }
  if (!(*reliability >= 0 && *reliability <= 1))
    return InvalidArgument(where + ": reliability must be in [0, 1]");
  return Status::OK();
}

}  // namespace

StatusOr<RankingConfig> RankingConfig::Parse(std::string_view yaml_text, std::string_view origin) {
  const std::string o(origin);
  RankingConfig c;
  c.reliability.clear();
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsMap()) return InvalidArgument(o + ": top level must be a mapping");
    if (root["half_life_days"]) c.half_life_days = root["half_life_days"].as<double>();
    if (!(c.half_life_days > 0)) return InvalidArgument(o + ": half_life_days must be > 0");
    if (root["max_candidates"]) c.max_candidates = root["max_candidates"].as<int>();
    if (c.max_candidates < 1) return InvalidArgument(o + ": max_candidates must be >= 1");
    if (root["aggregate"]) {
      std::string a = root["aggregate"].as<std::string>();
      if (a != "max" && a != "sum")
        return InvalidArgument(o + ": aggregate must be 'max' or 'sum', got '" + a + "'");
      c.aggregate_sum = a == "sum";
    }
    if (root["default"])
      CG_RETURN_IF_ERROR(
          ParseKind(root["default"], o + ": default", &c.default_reliability, &c.default_decays));
    if (YAML::Node kinds = root["kinds"]) {
      if (!kinds.IsMap()) return InvalidArgument(o + ": 'kinds' must be a mapping");
      for (const auto& kv : kinds) {
        std::string kind = kv.first.as<std::string>();
        double rel = c.default_reliability;
        bool dec = c.default_decays;
        CG_RETURN_IF_ERROR(ParseKind(kv.second, o + ": kinds." + kind, &rel, &dec));
        c.reliability[kind] = rel;
        c.decays[kind] = dec;
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(o + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                           std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return c;
}

StatusOr<RankingConfig> RankingConfig::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read ranking file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

RankingConfig RankingConfig::Default() {
  RankingConfig c;
  c.half_life_days = 365;
  c.max_candidates = 5;
  c.aggregate_sum = false;
  c.default_reliability = 0.5;
  c.default_decays = true;
  c.reliability = {{"rental_registration", 0.9},
                   {"home_visit", 0.9},
                   {"household_registration", 0.3},
                   {"ownership", 0.2}};
  c.decays = {{"rental_registration", true},
              {"home_visit", true},
              {"household_registration", false},
              {"ownership", false}};
  return c;
}

double RankingConfig::Reliability(const std::string& kind) const {
  auto it = reliability.find(kind);
  return it == reliability.end() ? default_reliability : it->second;
}

bool RankingConfig::Decays(const std::string& kind) const {
  auto it = decays.find(kind);
  return it == decays.end() ? default_decays : it->second;
}

}  // namespace citygraph::query
