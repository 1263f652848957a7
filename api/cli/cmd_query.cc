// `citygraph conflicts | locate | paths | neighbors | profile`: the query
// library on an embedded database opened read-only. Output: --format json
// (shapes in query/README.md), csv or table. A truncated result is printed
// and a "truncated: <reason>" line goes to stderr.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "citygraph/ingest/encoding.h"
#include "citygraph/query/conflicts.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/profile.h"
#include "citygraph/query/traverse.h"
#include "commands.h"
#include "query_common.h"

namespace citygraph::cli {
namespace {

struct CommonArgs {
  std::string db;
  std::string format = "table";
  std::string as_of;
  int64_t timeout_ms = 30'000;
  size_t max_rows = 10'000;
  size_t max_expansions = 10'000;
  query::Limits limits() const {
    query::Limits l;
    l.timeout = std::chrono::milliseconds(timeout_ms);
    l.max_rows = max_rows;
    l.max_expansions_per_vertex = max_expansions;
    return l;
  }
};

void AddCommon(CLI::App* cmd, CommonArgs* a, bool need_date) {
  cmd->add_option("--db", a->db, "Database directory")->required();
  cmd->add_option("--format", a->format, "json, csv or table")
      ->check(CLI::IsMember({"json", "csv", "table"}))
      ->capture_default_str();
  auto* d = cmd->add_option("--as-of", a->as_of, "Date YYYY-MM-DD: only facts valid that day");
  if (need_date) d->required();
  cmd->add_option("--timeout-ms", a->timeout_ms, "Deadline of the query")->capture_default_str();
  cmd->add_option("--max-rows", a->max_rows, "Maximum rows returned")->capture_default_str();
  cmd->add_option("--max-expansions", a->max_expansions, "Maximum edges examined per vertex")
      ->capture_default_str();
}

void NoteTruncation(const query::Truncation& t) {
  if (t.truncated)
    std::fprintf(stderr, "truncated: %s (%s)\n",
                 std::string(TruncationReasonName(t.reason)).c_str(), t.detail.c_str());
}

StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

StatusOr<std::vector<std::string>> ReadIdList(const std::string& path) {
  CG_ASSIGN_OR_RETURN(std::string bytes, ReadText(path));
  auto text = ingest::ToUtf8(bytes, "UTF-8");
  if (!text.ok()) {
    return InvalidArgument("identity number list '" + path + "': " + text.status().message() +
                           " (save the list as UTF-8)");
  }
  return query::SplitIdList(*text);
}

namespace {

struct ConflictsArgs : CommonArgs {
  std::string rules, program;
};
Status RunConflicts(const ConflictsArgs& a) {
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  CG_ASSIGN_OR_RETURN(std::optional<Date> d, OptionalDate(a.as_of));
  query::ConflictRules rules = query::ConflictRules::Default();
  if (!a.rules.empty()) {
    CG_ASSIGN_OR_RETURN(rules, query::ConflictRules::ReadFile(a.rules));
  }
  if (!a.program.empty()) rules.program = a.program;
  CG_ASSIGN_OR_RETURN(query::ConflictReport r, query::FindConflicts(o.ctx, rules, *d, a.limits()));
  PrintResult(r, a.format);
  NoteTruncation(r.truncation);
  return Status::OK();
}

struct LocateArgs : CommonArgs {
  std::string ids, ranking;
};
Status RunLocate(const LocateArgs& a) {
  CG_ASSIGN_OR_RETURN(std::vector<std::string> ids, ReadIdList(a.ids));
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  CG_ASSIGN_OR_RETURN(std::optional<Date> d, OptionalDate(a.as_of));
  query::RankingConfig rank = query::RankingConfig::Default();
  if (!a.ranking.empty()) {
    CG_ASSIGN_OR_RETURN(rank, query::RankingConfig::ReadFile(a.ranking));
  }
  CG_ASSIGN_OR_RETURN(query::LocateResult r, query::Locate(o.ctx, ids, *d, rank, a.limits()));
  PrintResult(r, a.format);
  NoteTruncation(r.truncation);
  return Status::OK();
}

struct PathsArgs : CommonArgs {
  std::string from, to, mode = "connections", via;
  int max_hops = 4, k = 5;
};
Status RunPaths(const PathsArgs& a) {
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  CG_ASSIGN_OR_RETURN(std::optional<Date> d, OptionalDate(a.as_of));
  CG_ASSIGN_OR_RETURN(VertexId from, query::ResolveKey(o.ctx.snap(), a.from));
  CG_ASSIGN_OR_RETURN(VertexId to, query::ResolveKey(o.ctx.snap(), a.to));
  query::ConnectionOptions c;
  c.as_of = d;
  c.max_hops = a.max_hops;
  c.max_paths = a.k;
  if (!a.via.empty()) {
    c.via_labels.clear();
    std::stringstream ss(a.via);
    for (std::string l; std::getline(ss, l, ',');) c.via_labels.push_back(l);
  }
  CG_ASSIGN_OR_RETURN(query::PathOptions po, query::ConnectionPathOptions(o.ctx.schema(), c));
  query::PathsResult r;
  if (a.mode == "connections") {
    CG_ASSIGN_OR_RETURN(r, query::Connections(o.ctx, from, to, c, a.limits()));
  } else if (a.mode == "shortest") {
    CG_ASSIGN_OR_RETURN(r, query::ShortestPath(o.ctx, from, to, po, a.limits()));
  } else if (a.mode == "all") {
    CG_ASSIGN_OR_RETURN(r, query::AllShortestPaths(o.ctx, from, to, po, a.limits()));
  } else {
    CG_ASSIGN_OR_RETURN(r, query::KShortestPaths(o.ctx, from, to, a.k, po, a.limits()));
  }
  PrintResult(r, a.format);
  NoteTruncation(r.truncation);
  return Status::OK();
}

struct NeighborsArgs : CommonArgs {
  std::string key, direction = "both", types, labels, shared_with;
  int hops = 1;
};
std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, ',');)
    if (!x.empty()) out.push_back(x);
  return out;
}
Status RunNeighbors(const NeighborsArgs& a) {
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  CG_ASSIGN_OR_RETURN(std::optional<Date> d, OptionalDate(a.as_of));
  CG_ASSIGN_OR_RETURN(VertexId v, query::ResolveKey(o.ctx.snap(), a.key));
  CG_ASSIGN_OR_RETURN(query::Direction dir, query::ParseDirection(a.direction));
  CG_ASSIGN_OR_RETURN(query::Filter f, query::MakeFilter(o.ctx.schema(), d, SplitComma(a.types),
                                                         SplitComma(a.labels), dir));
  if (!a.shared_with.empty()) {
    CG_ASSIGN_OR_RETURN(VertexId b, query::ResolveKey(o.ctx.snap(), a.shared_with));
    CG_ASSIGN_OR_RETURN(query::SharedResult r, query::CommonNeighbors(o.ctx, v, b, f, a.limits()));
    PrintResult(r, a.format);
    NoteTruncation(r.truncation);
  } else if (a.hops > 1) {
    CG_ASSIGN_OR_RETURN(query::Subgraph r, query::KHop(o.ctx, v, a.hops, f, a.limits()));
    PrintResult(r, a.format);
    NoteTruncation(r.truncation);
  } else {
    CG_ASSIGN_OR_RETURN(query::NeighborsResult r, query::Neighbors(o.ctx, v, f, a.limits()));
    PrintResult(r, a.format);
    NoteTruncation(r.truncation);
  }
  return Status::OK();
}

struct ProfileArgs : CommonArgs {
  std::string key;
  bool household = false;
};
Status RunProfile(const ProfileArgs& a) {
  CG_ASSIGN_OR_RETURN(OpenedDb o, OpenForQuery(a.db));
  CG_ASSIGN_OR_RETURN(std::optional<Date> d, OptionalDate(a.as_of));
  CG_ASSIGN_OR_RETURN(VertexId v, query::ResolveKey(o.ctx.snap(), a.key));
  if (a.household) {
    CG_ASSIGN_OR_RETURN(auto r, query::GetHouseholds(o.ctx, v, d, a.limits()));
    PrintResult(r, a.format);
    return Status::OK();
  }
  CG_ASSIGN_OR_RETURN(query::Profile r, query::GetProfile(o.ctx, v, d, a.limits()));
  PrintResult(r, a.format);
  NoteTruncation(r.truncation);
  return Status::OK();
}

constexpr const char* kKeyHelp =
    "Entity key: KIND:VALUE (id_number:420106..., plate:鄂A12345, cert_no:..., vertex:17) or a "
    "bare identity number in any pasted format";

}  // namespace

void RegisterQueryCommands(CLI::App& app) {
  auto ca = std::make_shared<ConflictsArgs>();
  ca->max_rows = 1'000'000;
  CLI::App* c = app.add_subcommand("conflicts", "Welfare asset-conflict audit as of a date");
  AddCommon(c, ca.get(), true);
  c->add_option("--rules", ca->rules, "Rules file (YAML); default query/rules/dibao.yaml rules");
  c->add_option("--program", ca->program, "Programme code to audit (overrides the rules file)");
  c->callback([ca] { Report(RunConflicts(*ca)); });

  auto la = std::make_shared<LocateArgs>();
  la->max_rows = 1'000'000;
  CLI::App* l = app.add_subcommand("locate", "Batch locate identity numbers as of a date");
  AddCommon(l, la.get(), true);
  l->add_option("--ids", la->ids, "File of identity numbers (one per line or comma-separated)")
      ->required();
  l->add_option("--ranking", la->ranking, "Ranking file (YAML); default query/ranking/locate.yaml");
  l->callback([la] { Report(RunLocate(*la)); });

  auto pa = std::make_shared<PathsArgs>();
  CLI::App* p = app.add_subcommand("paths", "Connections between two entities, each hop evidenced");
  AddCommon(p, pa.get(), false);
  p->add_option("--from", pa->from, kKeyHelp)->required();
  p->add_option("--to", pa->to, kKeyHelp)->required();
  p->add_option("--max-hops", pa->max_hops, "Maximum path length in edges")->capture_default_str();
  p->add_option("--mode", pa->mode, "connections, shortest, all (all shortest) or k (Yen)")
      ->check(CLI::IsMember({"connections", "shortest", "all", "k"}))
      ->capture_default_str();
  p->add_option("--k", pa->k, "Paths to return (connections, k)")->capture_default_str();
  p->add_option("--via", pa->via,
                "Comma-separated labels paths may pass through "
                "(default Person,House,Household,Business,Case,Phone)");
  p->callback([pa] { Report(RunPaths(*pa)); });

  auto na = std::make_shared<NeighborsArgs>();
  CLI::App* n = app.add_subcommand("neighbors", "Neighbours, k-hop subgraph or shared neighbours");
  AddCommon(n, na.get(), false);
  n->add_option("--key", na->key, kKeyHelp)->required();
  n->add_option("--direction", na->direction, "out, in or both")->capture_default_str();
  n->add_option("--types", na->types, "Comma-separated edge types to follow (default all)");
  n->add_option("--labels", na->labels, "Comma-separated labels to reach (default all)");
  n->add_option("--hops", na->hops, "k > 1: the k-hop neighbourhood as a subgraph");
  n->add_option("--shared-with", na->shared_with, "Another key: the neighbours both share");
  n->callback([na] { Report(RunNeighbors(*na)); });

  auto fa = std::make_shared<ProfileArgs>();
  CLI::App* f = app.add_subcommand("profile", "Every key and property of an entity with sources");
  AddCommon(f, fa.get(), false);
  f->add_option("--key", fa->key, kKeyHelp)->required();
  f->add_flag("--household", fa->household, "Show the household view (members, address, aid)");
  f->callback([fa] { Report(RunProfile(*fa)); });
}

}  // namespace citygraph::cli
