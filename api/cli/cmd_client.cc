// `citygraph client ...`: the embedded CLI's queries over Thrift. Each
// subcommand is one function from its arguments to a printed result; they
// share the connection options of `client` and the option helpers below.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
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
  bool all_pages = false, no_header = false;
};

// A subcommand: sends its request over the signed-in connection and prints
// the answer. Thrift exceptions are turned into a Status by the caller.
using Handler = Status (*)(Connection& c, const ClientArgs& a);

// "vertex:ID" names an internal id; anything else is an external key that the
// server normalises and resolves.
StatusOr<rpc::EntityRef> Ref(const std::string& spec) {
  rpc::EntityRef r;
  constexpr std::string_view kVertex = "vertex:";
  if (spec.rfind(kVertex, 0) != 0) {
    r.__set_key(spec);
    return r;
  }
  int64_t id = 0;
  const char* first = spec.data() + kVertex.size();
  const char* last = spec.data() + spec.size();
  auto [end, ec] = std::from_chars(first, last, id);
  if (ec != std::errc() || end != last || first == last) {
    return InvalidArgument("'" + spec + "': vertex: wants a number");
  }
  r.__set_id(id);
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

// The fields neighbors and subgraph requests share.
template <typename Request>
Status FillTraversal(const ClientArgs& a, Request* req) {
  CG_ASSIGN_OR_RETURN(req->entity, Ref(a.key));
  req->edge_types = a.edge_types;
  req->labels = a.labels;
  req->__set_options(Options(a));
  return Status::OK();
}

Status Health(Connection& c, const ClientArgs&) {
  rpc::Health h;
  c.client->health(h, c.token);
  PrintHealth(h);
  return Status::OK();
}

Status Stats(Connection& c, const ClientArgs&) {
  rpc::Stats s;
  c.client->stats(s, c.token);
  PrintStats(s);
  return Status::OK();
}

Status Profile(Connection& c, const ClientArgs& a) {
  rpc::ProfileRequest req;
  CG_ASSIGN_OR_RETURN(req.entity, Ref(a.key));
  req.__set_options(Options(a));
  rpc::Profile p;
  c.client->profile(p, c.token, req);
  PrintProfile(p);
  return Status::OK();
}

Status Neighbors(Connection& c, const ClientArgs& a) {
  rpc::NeighborsRequest req;
  CG_RETURN_IF_ERROR(FillTraversal(a, &req));
  req.direction = a.direction == "out"  ? rpc::Direction::OUT
                  : a.direction == "in" ? rpc::Direction::IN
                                        : rpc::Direction::BOTH;
  rpc::NeighborsResult r;
  c.client->neighbors(r, c.token, req);
  PrintNeighbors(r);
  return Status::OK();
}

Status Subgraph(Connection& c, const ClientArgs& a) {
  rpc::SubgraphRequest req;
  CG_RETURN_IF_ERROR(FillTraversal(a, &req));
  req.hops = a.hops;
  rpc::Subgraph g;
  c.client->subgraph(g, c.token, req);
  PrintSubgraph(g);
  return Status::OK();
}

Status Paths(Connection& c, const ClientArgs& a) {
  rpc::PathsRequest req;
  CG_ASSIGN_OR_RETURN(req.from_entity, Ref(a.key));
  CG_ASSIGN_OR_RETURN(req.to_entity, Ref(a.key2));
  req.max_hops = a.max_hops;
  req.k = a.k;
  req.mode = a.mode == "all" ? rpc::PathMode::ALL_SHORTEST
             : a.mode == "k" ? rpc::PathMode::K_SHORTEST
                             : rpc::PathMode::SHORTEST;
  req.edge_types = a.edge_types;
  req.__set_options(Options(a));
  rpc::PathsResult r;
  c.client->paths(r, c.token, req);
  PrintPaths(r);
  return Status::OK();
}

Status Locate(Connection& c, const ClientArgs& a) {
  rpc::LocateRequest req;
  req.ids = a.ids;
  if (!a.ids_file.empty()) {
    CG_ASSIGN_OR_RETURN(auto lines, ReadIdList(a.ids_file));
    req.ids.insert(req.ids.end(), lines.begin(), lines.end());
  }
  if (!a.case_no.empty()) {
    rpc::Purpose p;
    p.case_no = a.case_no;
    req.__set_purpose(p);
  }
  req.__set_options(Options(a));
  rpc::LocateResponse r;
  c.client->locate(r, c.token, req);
  PrintLocate(r);
  return Status::OK();
}

Status Conflicts(Connection& c, const ClientArgs& a) {
  rpc::ConflictsRequest req;
  req.as_of = a.as_of;  // a field of its own here, not an option
  req.program = a.program;
  req.page_size = a.page_size;
  if (a.deadline_ms > 0) req.__set_options(Options(a));
  for (int page = 0;; ++page) {
    rpc::ConflictsPage p;
    c.client->conflicts(p, c.token, req);
    PrintConflicts(p, page);
    if (!a.all_pages || p.next_cursor.empty()) break;
    req.cursor = p.next_cursor;
  }
  return Status::OK();
}

Status Algorithm(Connection& c, const ClientArgs& a) {
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
  c.client->runAlgorithm(r, c.token, req);
  PrintAlgorithm(r);
  return Status::OK();
}

Status Upsert(Connection& c, const ClientArgs& a) {
  rpc::UpsertRequest req;
  req.mapping = a.mapping;
  CG_ASSIGN_OR_RETURN(req.records, ReadLines(a.file));
  // The server wants the header line apart from the records.
  if (!a.no_header && !req.records.empty()) {
    req.__set_header(std::move(req.records.front()));
    req.records.erase(req.records.begin());
  }
  req.source_file = a.file.substr(a.file.find_last_of('/') + 1);
  rpc::UpsertResult r;
  c.client->upsert(r, c.token, req);
  PrintUpsert(r);
  return Status::OK();
}

Status AuditShow(Connection& c, const ClientArgs& a) {
  rpc::AuditQuery q;
  if (!a.user_filter.empty()) q.__set_user(a.user_filter);
  q.limit = a.limit;
  std::vector<rpc::AuditEntry> entries;
  c.client->auditQuery(entries, c.token, q);
  PrintAudit(entries);
  return Status::OK();
}

Status AuditVerify(Connection& c, const ClientArgs&) {
  rpc::AuditVerifyResult r;
  c.client->auditVerify(r, c.token);
  PrintAuditVerify(r);
  if (!r.ok) SetExitCode(3);
  return Status::OK();
}

void Run(Handler handler, const ClientArgs& a) {
  Report(CallGuard([&]() -> Status {
    CG_ASSIGN_OR_RETURN(auto conn, Connect(a.conn));
    return handler(*conn, a);
  }));
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

  auto sub = [&](const char* name, const char* help, Handler handler) {
    auto* s = client->add_subcommand(name, help);
    s->callback([a, handler] { Run(handler, *a); });
    return s;
  };
  // Options that several subcommands take, each bound to the one field.
  auto entity = [&](CLI::App* s, const char* help = "Entity") {
    s->add_option("key", a->key, help)->required();
  };
  auto edge_types = [&](CLI::App* s) {
    s->add_option("--edge-types", a->edge_types, "Edge types to follow");
  };
  auto labels = [&](CLI::App* s, const char* help) { s->add_option("--labels", a->labels, help); };

  sub("health", "Server version and status", Health);
  sub("stats", "Graph size and call counters", Stats);
  entity(sub("profile", "Every property of an entity, with sources", Profile),
         "Entity: id number, kind:value or vertex:ID");

  auto* nb = sub("neighbors", "Neighbours of an entity with the linking edges", Neighbors);
  entity(nb);
  nb->add_option("--direction", a->direction, "out, in or both")
      ->check(CLI::IsMember({"out", "in", "both"}))
      ->capture_default_str();
  edge_types(nb);
  labels(nb, "Neighbour labels");

  auto* sg = sub("subgraph", "k-hop neighbourhood", Subgraph);
  entity(sg);
  sg->add_option("--hops", a->hops, "Hops")->capture_default_str();
  edge_types(sg);
  labels(sg, "Labels to reach");

  auto* pa = sub("paths", "Paths between two entities, each hop evidenced", Paths);
  pa->add_option("from", a->key, "From entity")->required();
  pa->add_option("to", a->key2, "To entity")->required();
  pa->add_option("--max-hops", a->max_hops, "Longest path")->capture_default_str();
  pa->add_option("--mode", a->mode, "shortest, all or k")
      ->check(CLI::IsMember({"shortest", "all", "k"}))
      ->capture_default_str();
  pa->add_option("--k", a->k, "Paths for --mode k")->capture_default_str();
  edge_types(pa);

  auto* lo = sub("locate", "Where do these people live now (court: --case required)", Locate);
  lo->add_option("ids", a->ids, "Identity numbers");
  lo->add_option("--ids", a->ids_file,
                 "File of identity numbers (UTF-8; one per line or comma/tab separated)");
  lo->add_option("--case", a->case_no, "Execution case number (purpose)");

  auto* co =
      sub("conflicts", "Welfare recipients whose household owns what the rules forbid", Conflicts);
  co->add_option("--program", a->program, "Programme key")->capture_default_str();
  co->add_option("--page-size", a->page_size, "Households per page")->capture_default_str();
  co->add_flag("--all", a->all_pages, "Fetch every page");

  auto* al = sub("algo", "Run a graph algorithm (pagerank, wcc, cdlp, lcc, bfs, sssp)", Algorithm);
  al->add_option("name", a->name, "Algorithm")->required();
  al->add_option("--param", a->params, "key=value parameters");
  al->add_option("--top", a->top, "Top entities to show")->capture_default_str();

  auto* up = sub("upsert", "Apply a file of records through a server mapping (admin)", Upsert);
  up->add_option("--mapping", a->mapping, "Mapping name")->required();
  up->add_option("--file", a->file, "Records, one per line, after a header line")->required();
  up->add_flag("--no-header", a->no_header, "The file has no header line (mapping header: false)");

  auto* as = sub("audit-show", "Newest audit entries (admin)", AuditShow);
  as->add_option("--user", a->user_filter, "Only this user");
  as->add_option("--limit", a->limit, "Entries")->capture_default_str();
  sub("audit-verify", "Verify the audit hash chain (admin)", AuditVerify);
}

}  // namespace citygraph::cli
