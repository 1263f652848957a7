// `citygraph client ...`: the embedded CLI's queries over Thrift.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "client_print.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct ClientArgs {
  ClientOptions conn;
  std::string key, key2;
  std::string as_of;
  std::string direction = "both";
  std::vector<std::string> edge_types, labels, ids, params;
  std::string ids_file, case_no, program = "DIBAO", mode = "shortest", name, mapping, file;
  std::string user_filter;
  int hops = 2, max_hops = 4, k = 3, page_size = 20, limit = 20, top = 10, deadline_ms = 0;
  bool all_pages = false;
};

rpc::EntityRef Ref(const std::string& spec) {
  rpc::EntityRef r;
  if (spec.rfind("vertex:", 0) == 0) {
    r.__set_id(std::stoll(spec.substr(7)));
  } else {
    r.__set_key(spec);
  }
  return r;
}

rpc::RequestOptions Options(const ClientArgs& a) {
  rpc::RequestOptions o;
  if (!a.as_of.empty()) o.__set_as_of(a.as_of);
  if (a.deadline_ms > 0) o.__set_deadline_ms(a.deadline_ms);
  return o;
}

StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return IOError("cannot read " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

Status Dispatch(const std::string& cmd, const ClientArgs& a) {
  CG_ASSIGN_OR_RETURN(auto conn, Connect(a.conn));
  Connection& c = *conn;
  auto& cl = *c.client;
  if (cmd == "health") {
    rpc::Health h;
    cl.health(h, c.token);
    PrintHealth(h);
  } else if (cmd == "stats") {
    rpc::Stats s;
    cl.stats(s, c.token);
    PrintStats(s);
  } else if (cmd == "profile") {
    rpc::ProfileRequest req;
    req.entity = Ref(a.key);
    req.__set_options(Options(a));
    rpc::Profile p;
    cl.profile(p, c.token, req);
    PrintProfile(p);
  } else if (cmd == "neighbors") {
    rpc::NeighborsRequest req;
    req.entity = Ref(a.key);
    req.direction = a.direction == "out"  ? rpc::Direction::OUT
                    : a.direction == "in" ? rpc::Direction::IN
                                          : rpc::Direction::BOTH;
    req.edge_types = a.edge_types;
    req.labels = a.labels;
    req.__set_options(Options(a));
    rpc::NeighborsResult r;
    cl.neighbors(r, c.token, req);
    PrintNeighbors(r);
  } else if (cmd == "subgraph") {
    rpc::SubgraphRequest req;
    req.entity = Ref(a.key);
    req.hops = a.hops;
    req.edge_types = a.edge_types;
    req.labels = a.labels;
    req.__set_options(Options(a));
    rpc::Subgraph g;
    cl.subgraph(g, c.token, req);
    PrintSubgraph(g);
  } else if (cmd == "paths") {
    rpc::PathsRequest req;
    req.from_entity = Ref(a.key);
    req.to_entity = Ref(a.key2);
    req.max_hops = a.max_hops;
    req.k = a.k;
    req.mode = a.mode == "all" ? rpc::PathMode::ALL_SHORTEST
               : a.mode == "k" ? rpc::PathMode::K_SHORTEST
                               : rpc::PathMode::SHORTEST;
    req.edge_types = a.edge_types;
    req.__set_options(Options(a));
    rpc::PathsResult r;
    cl.paths(r, c.token, req);
    PrintPaths(r);
  } else if (cmd == "locate") {
    rpc::LocateRequest req;
    req.ids = a.ids;
    if (!a.ids_file.empty()) {
      CG_ASSIGN_OR_RETURN(auto lines, ReadLines(a.ids_file));
      req.ids.insert(req.ids.end(), lines.begin(), lines.end());
    }
    if (!a.case_no.empty()) {
      rpc::Purpose p;
      p.case_no = a.case_no;
      req.__set_purpose(p);
    }
    req.__set_options(Options(a));
    rpc::LocateResponse r;
    cl.locate(r, c.token, req);
    PrintLocate(r);
  } else if (cmd == "conflicts") {
    rpc::ConflictsRequest req;
    req.as_of = a.as_of;
    req.program = a.program;
    req.page_size = a.page_size;
    if (a.deadline_ms > 0) req.__set_options(Options(a));
    int page = 0;
    while (true) {
      rpc::ConflictsPage p;
      cl.conflicts(p, c.token, req);
      PrintConflicts(p, page++);
      if (!a.all_pages || p.next_cursor.empty()) break;
      req.cursor = p.next_cursor;
    }
  } else if (cmd == "algo") {
    rpc::AlgorithmRequest req;
    req.name = a.name;
    req.top_k = a.top;
    for (const auto& kv : a.params) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) return InvalidArgument("--param wants key=value, got " + kv);
      req.params[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    req.__set_options(Options(a));
    rpc::AlgorithmResult r;
    cl.runAlgorithm(r, c.token, req);
    PrintAlgorithm(r);
  } else if (cmd == "upsert") {
    rpc::UpsertRequest req;
    req.mapping = a.mapping;
    CG_ASSIGN_OR_RETURN(auto lines, ReadLines(a.file));
    req.records = std::move(lines);
    req.source_file = a.file.substr(a.file.find_last_of('/') + 1);
    rpc::UpsertResult r;
    cl.upsert(r, c.token, req);
    PrintUpsert(r);
  } else if (cmd == "audit-show") {
    rpc::AuditQuery q;
    if (!a.user_filter.empty()) q.__set_user(a.user_filter);
    q.limit = a.limit;
    std::vector<rpc::AuditEntry> entries;
    cl.auditQuery(entries, c.token, q);
    PrintAudit(entries);
  } else if (cmd == "audit-verify") {
    rpc::AuditVerifyResult r;
    cl.auditVerify(r, c.token);
    PrintAuditVerify(r);
    if (!r.ok) SetExitCode(3);
  }
  return Status::OK();
}

void Run(const std::string& cmd, const ClientArgs& a) {
  Report(CallGuard([&] { return Dispatch(cmd, a); }));
}

}  // namespace

void RegisterClientCommands(CLI::App& app) {
  auto a = std::make_shared<ClientArgs>();
  auto* client = app.add_subcommand("client", "Query a CityGraph server over Thrift");
  client->require_subcommand(1);
  client->add_option("--host", a->conn.host, "Server address")->capture_default_str();
  client->add_option("--port", a->conn.port, "Server port")->capture_default_str();
  client->add_option("--user", a->conn.user, "User name (or $CITYGRAPH_USER)");
  client->add_option("--password-file", a->conn.password_file,
                     "File whose first line is the password (else $CITYGRAPH_PASSWORD)");
  client->add_option("--tls-ca", a->conn.tls_ca, "CA / server certificate: connect with TLS");
  client->add_option("--deadline-ms", a->deadline_ms, "Per-request deadline");
  client->add_option("--as-of", a->as_of, "Only facts valid on this date (YYYY-MM-DD)");

  auto sub = [&](const char* name, const char* help) {
    auto* s = client->add_subcommand(name, help);
    s->callback([a, n = std::string(name)] { Run(n, *a); });
    return s;
  };
  sub("health", "Server version and status");
  sub("stats", "Graph size and call counters");
  sub("profile", "Every property of an entity, with sources")
      ->add_option("key", a->key, "Entity: id number, kind:value or vertex:ID")
      ->required();
  auto* nb = sub("neighbors", "Neighbours of an entity with the linking edges");
  nb->add_option("key", a->key, "Entity")->required();
  nb->add_option("--direction", a->direction, "out, in or both")->capture_default_str();
  nb->add_option("--edge-types", a->edge_types, "Edge types to follow");
  nb->add_option("--labels", a->labels, "Neighbour labels");
  auto* sg = sub("subgraph", "k-hop neighbourhood");
  sg->add_option("key", a->key, "Entity")->required();
  sg->add_option("--hops", a->hops, "Hops")->capture_default_str();
  sg->add_option("--edge-types", a->edge_types, "Edge types to follow");
  sg->add_option("--labels", a->labels, "Labels to reach");
  auto* pa = sub("paths", "Paths between two entities, each hop evidenced");
  pa->add_option("from", a->key, "From entity")->required();
  pa->add_option("to", a->key2, "To entity")->required();
  pa->add_option("--max-hops", a->max_hops, "Longest path")->capture_default_str();
  pa->add_option("--mode", a->mode, "shortest, all or k")->capture_default_str();
  pa->add_option("--k", a->k, "Paths for --mode k")->capture_default_str();
  pa->add_option("--edge-types", a->edge_types, "Edge types to follow");
  auto* lo = sub("locate", "Where do these people live now (court: --case required)");
  lo->add_option("ids", a->ids, "Identity numbers");
  lo->add_option("--ids", a->ids_file, "File of identity numbers, one per line");
  lo->add_option("--case", a->case_no, "Execution case number (purpose)");
  auto* co = sub("conflicts", "Welfare recipients whose household owns what the rules forbid");
  co->add_option("--program", a->program, "Programme key")->capture_default_str();
  co->add_option("--page-size", a->page_size, "Households per page")->capture_default_str();
  co->add_flag("--all", a->all_pages, "Fetch every page");
  auto* al = sub("algo", "Run a graph algorithm (pagerank, wcc, cdlp, lcc, bfs, sssp)");
  al->add_option("name", a->name, "Algorithm")->required();
  al->add_option("--param", a->params, "key=value parameters");
  al->add_option("--top", a->top, "Top entities to show")->capture_default_str();
  auto* up = sub("upsert", "Apply a file of records through a server mapping (admin)");
  up->add_option("--mapping", a->mapping, "Mapping name")->required();
  up->add_option("--file", a->file, "Records, one per line")->required();
  auto* as = sub("audit-show", "Newest audit entries (admin)");
  as->add_option("--user", a->user_filter, "Only this user");
  as->add_option("--limit", a->limit, "Entries")->capture_default_str();
  sub("audit-verify", "Verify the audit hash chain (admin)");
}

}  // namespace citygraph::cli
