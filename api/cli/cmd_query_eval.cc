// `citygraph eval-queries --db DIR --truth DIR`: accuracy of the mission
// queries against datagen's truth files (truth/conflicts.json, locate.json,
// paths.json): conflicts precision / recall and decoys flagged, locate top-1
// accuracy and "found" answers for numbers that do not exist or are invalid,
// path lengths equal to the truth. Prints a report (json or text) and exits
// 1 when a target is missed.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "citygraph/keys.h"
#include "citygraph/query/conflicts.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "commands.h"
#include "query_common.h"

namespace citygraph::cli {
namespace {

using nlohmann::json;

struct EvalArgs {
  std::string db, truth, format = "table";
  size_t max_pairs = 2000;
};

StatusOr<json> ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read '" + path + "'");
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("'" + path + "' is not valid JSON");
  return j;
}

double Secs(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

StatusOr<json> EvalConflicts(const query::QueryContext& ctx, const json& truth) {
  CG_ASSIGN_OR_RETURN(Date d, Date::Parse(truth.at("audit_date").get<std::string>()));
  query::ConflictRules rules = query::ConflictRules::Default();
  rules.program = truth.value("program_code", "DIBAO");
  auto t0 = std::chrono::steady_clock::now();
  CG_ASSIGN_OR_RETURN(query::ConflictReport r,
                      query::FindConflicts(ctx, rules, d, query::Limits::Unlimited()));
  double secs = Secs(t0);
  std::set<std::string> got, want, decoys;
  for (const auto& h : r.households) got.insert(h.household.key);
  for (const auto& h : truth.at("ineligible")) want.insert(h.at("household_no").get<std::string>());
  for (const auto& h : truth.at("decoys")) decoys.insert(h.at("household_no").get<std::string>());
  size_t tp = 0, decoys_flagged = 0;
  json false_pos = json::array(), false_neg = json::array();
  for (const auto& h : got) {
    if (want.count(h))
      ++tp;
    else if (false_pos.size() < 20)
      false_pos.push_back(h);
    if (decoys.count(h)) ++decoys_flagged;
  }
  for (const auto& h : want)
    if (!got.count(h) && false_neg.size() < 20) false_neg.push_back(h);
  double precision = got.empty() ? 1.0 : double(tp) / got.size();
  double recall = want.empty() ? 1.0 : double(tp) / want.size();
  return json{{"recipients_checked", r.recipients_checked},
              {"truth_checked", truth.value("households_checked", 0)},
              {"flagged", got.size()},
              {"truth_ineligible", want.size()},
              {"true_positives", tp},
              {"precision", precision},
              {"recall", recall},
              {"decoys", decoys.size()},
              {"decoys_flagged", decoys_flagged},
              {"seconds", secs},
              {"pass", precision >= 0.99 && recall >= 0.99 && decoys_flagged == 0},
              {"false_positives_sample", false_pos},
              {"false_negatives_sample", false_neg}};
}

// A valid identity number that nobody in the database has, derived from `id`.
std::string Nonexistent(const query::QueryContext& ctx, const std::string& id, int salt) {
  KeyKindId kind = *ctx.schema().FindKeyKind("id_number");
  for (int s = 0; s < 1000; ++s) {
    std::string first17 = id.substr(0, 14);
    // Unsigned: 0..999 whatever `salt` is, so it always fits three digits
    // (signed, a negative value would not fit and a large one would overflow).
    unsigned n = (static_cast<unsigned>(salt) * 7u + static_cast<unsigned>(s) * 13u) % 1000u;
    char seq[4];
    std::snprintf(seq, sizeof seq, "%03u", n);
    first17 += seq;
    auto check = keys::IdNumberCheckChar(first17);
    if (!check.ok()) continue;
    std::string full = first17 + *check;
    if (!ctx.snap().FindByKey(kind, full).ok()) return full;
  }
  return "";
}

StatusOr<json> EvalLocate(const query::QueryContext& ctx, const json& truth) {
  CG_ASSIGN_OR_RETURN(Date d, Date::Parse(truth.at("as_of").get<std::string>()));
  std::vector<std::string> ids, want;
  for (const auto& deb : truth.at("debtors")) {
    ids.push_back(deb.at("id_number").get<std::string>());
    want.push_back(deb.at("residence").at("cert_no").get<std::string>());
  }
  const size_t n_true = ids.size();
  size_t n_fake = 0, n_invalid = 0;
  for (size_t i = 0; i < n_true && i < 500; ++i) {
    std::string fake = Nonexistent(ctx, ids[i], static_cast<int>(i));
    if (!fake.empty()) {
      ids.push_back(fake);
      ++n_fake;
    }
    std::string bad = ids[i];
    bad.back() = bad.back() == '0' ? '1' : '0';  // wrong check character
    if (!keys::NormalizeIdNumber(bad).ok()) {
      ids.push_back(bad);
      ++n_invalid;
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  CG_ASSIGN_OR_RETURN(
      query::LocateResult r,
      query::Locate(ctx, ids, d, query::RankingConfig::Default(), query::Limits::Unlimited()));
  double secs = Secs(t0);
  size_t top1 = 0, found = 0, ambiguous = 0, bad_found = 0;
  json misses = json::array();
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const query::LocateRow& row = r.rows[i];
    bool is_found =
        row.status == query::LocateStatus::kFound || row.status == query::LocateStatus::kAmbiguous;
    if (i >= n_true) {
      if (is_found) ++bad_found;
      continue;
    }
    if (is_found) ++found;
    if (row.status == query::LocateStatus::kAmbiguous) ++ambiguous;
    if (!row.candidates.empty() && row.candidates[0].house.key == want[i]) {
      ++top1;
    } else if (misses.size() < 10) {
      misses.push_back(json{{"id", ids[i]},
                            {"want", want[i]},
                            {"got", row.candidates.empty() ? "" : row.candidates[0].house.key},
                            {"status", std::string(query::LocateStatusName(row.status))}});
    }
  }
  double acc = n_true ? double(top1) / n_true : 1.0;
  return json{{"debtors", n_true},
              {"found", found},
              {"ambiguous", ambiguous},
              {"top1_correct", top1},
              {"top1_accuracy", acc},
              {"nonexistent_asked", n_fake},
              {"invalid_asked", n_invalid},
              {"nonexistent_or_invalid_found", bad_found},
              {"seconds", secs},
              {"pass", acc >= 0.98 && bad_found == 0},
              {"misses_sample", misses}};
}

StatusOr<json> EvalPaths(const query::QueryContext& ctx, const json& truth, size_t max_pairs) {
  CG_ASSIGN_OR_RETURN(Date d, Date::Parse(truth.at("as_of").get<std::string>()));
  std::vector<std::string> types;
  for (const auto& t : truth.at("edge_types")) types.push_back(t.get<std::string>());
  query::PathOptions po;
  CG_ASSIGN_OR_RETURN(po.filter, query::MakeFilter(ctx.schema(), d, types, {}));
  KeyKindId kind = *ctx.schema().FindKeyKind("id_number");
  size_t total = 0, equal = 0, truncated = 0, unknown = 0;
  json diffs = json::array();
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& pair : truth.at("pairs")) {
    if (total >= max_pairs) break;
    ++total;
    int want = pair.at("distance").get<int>();
    auto a = ctx.snap().FindByKey(kind, pair.at("a").get<std::string>());
    auto b = ctx.snap().FindByKey(kind, pair.at("b").get<std::string>());
    if (!a.ok() || !b.ok()) {
      ++unknown;
      continue;
    }
    po.max_hops = want < 0 ? 12 : want + 2;
    query::Truncation trunc;
    query::Limits lim = query::Limits::Unlimited();
    CG_ASSIGN_OR_RETURN(std::optional<int> got,
                        query::ShortestDistance(ctx, *a, *b, po, lim, &trunc));
    if (trunc.truncated) ++truncated;
    int g = got ? *got : -1;
    if (want < 0 && g > 12) g = -1;
    if (g == want) {
      ++equal;
    } else if (diffs.size() < 10) {
      diffs.push_back(json{{"a", pair["a"]}, {"b", pair["b"]}, {"want", want}, {"got", g}});
    }
  }
  return json{{"pairs", total},
              {"equal", equal},
              {"unknown_persons", unknown},
              {"truncated", truncated},
              {"seconds", Secs(t0)},
              {"pass", equal == total},
              {"differences_sample", diffs}};
}

Status RunEval(const EvalArgs& a) {
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  json report;
  bool pass = true;
  auto section = [&](const char* name, const std::string& file, auto fn) -> Status {
    CG_ASSIGN_OR_RETURN(json truth, ReadJson(a.truth + "/" + file));
    StatusOr<json> r = fn(truth);
    if (!r.ok()) return r.status().WithContext(name);
    report[name] = *r;
    pass = pass && (*r)["pass"].get<bool>();
    return Status::OK();
  };
  CG_RETURN_IF_ERROR(section("conflicts", "conflicts.json",
                             [&](const json& t) { return EvalConflicts(o.ctx, t); }));
  CG_RETURN_IF_ERROR(
      section("locate", "locate.json", [&](const json& t) { return EvalLocate(o.ctx, t); }));
  CG_RETURN_IF_ERROR(section("paths", "paths.json",
                             [&](const json& t) { return EvalPaths(o.ctx, t, a.max_pairs); }));
  report["pass"] = pass;
  if (a.format == "json") {
    std::printf("%s\n", report.dump(2).c_str());
  } else {
    const json& c = report["conflicts"];
    std::printf(
        "conflicts  precision %.4f  recall %.4f  flagged %zu / truth %zu  decoys flagged %zu"
        " of %zu  (%.3f s)  %s\n",
        c["precision"].get<double>(), c["recall"].get<double>(), c["flagged"].get<size_t>(),
        c["truth_ineligible"].get<size_t>(), c["decoys_flagged"].get<size_t>(),
        c["decoys"].get<size_t>(), c["seconds"].get<double>(),
        c["pass"].get<bool>() ? "PASS" : "FAIL");
    const json& l = report["locate"];
    std::printf(
        "locate     top-1 %.4f (%zu / %zu)  nonexistent/invalid reported found %zu of %zu"
        "  (%.3f s)  %s\n",
        l["top1_accuracy"].get<double>(), l["top1_correct"].get<size_t>(),
        l["debtors"].get<size_t>(), l["nonexistent_or_invalid_found"].get<size_t>(),
        l["nonexistent_asked"].get<size_t>() + l["invalid_asked"].get<size_t>(),
        l["seconds"].get<double>(), l["pass"].get<bool>() ? "PASS" : "FAIL");
    const json& p = report["paths"];
    std::printf("paths      equal %zu / %zu  (unknown persons %zu, truncated %zu, %.3f s)  %s\n",
                p["equal"].get<size_t>(), p["pairs"].get<size_t>(),
                p["unknown_persons"].get<size_t>(), p["truncated"].get<size_t>(),
                p["seconds"].get<double>(), p["pass"].get<bool>() ? "PASS" : "FAIL");
    for (const char* s : {"conflicts", "locate", "paths"})
      for (const char* k : {"false_positives_sample", "false_negatives_sample", "misses_sample",
                            "differences_sample"})
        if (report[s].contains(k) && !report[s][k].empty())
          std::printf("  %s %s: %s\n", s, k, report[s][k].dump().c_str());
  }
  if (!pass) SetExitCode(1);
  return Status::OK();
}

}  // namespace

void RegisterQueryEvalCommands(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* e = app.add_subcommand("eval-queries",
                                   "Accuracy of conflicts, locate and paths against datagen truth");
  e->add_option("--db", a->db, "Database directory (ingested datagen city)")->required();
  e->add_option("--truth", a->truth, "datagen truth directory (OUT/truth)")->required();
  e->add_option("--format", a->format, "json or table")
      ->check(CLI::IsMember({"json", "table"}))
      ->capture_default_str();
  e->add_option("--max-pairs", a->max_pairs, "Path pairs to check")->capture_default_str();
  e->callback([a] { Report(RunEval(*a)); });
}

}  // namespace citygraph::cli
