#include "client_print.h"

#include <signal.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLSocket.h>
#include <thrift/transport/TSocket.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace citygraph::cli {

namespace tt = apache::thrift::transport;
namespace tp = apache::thrift::protocol;

Connection::~Connection() {
  try {
    if (client && !token.empty()) client->signout(token);
    if (transport) transport->close();
  } catch (const std::exception&) {
    // Closing a connection that already failed: nothing left to do.
  }
}

StatusOr<std::unique_ptr<Connection>> Connect(const ClientOptions& o) {
  std::string user = o.user;
  if (user.empty()) {
    if (const char* env = std::getenv("CITYGRAPH_USER")) user = env;
  }
  if (user.empty()) return InvalidArgument("no user: pass --user or set CITYGRAPH_USER");
  std::string password;
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file);
    if (!in) return IOError("cannot read password file " + o.password_file);
    std::getline(in, password);
  } else if (const char* env = std::getenv("CITYGRAPH_PASSWORD")) {
    password = env;
  } else {
    return InvalidArgument("no password: pass --password-file or set CITYGRAPH_PASSWORD");
  }
  auto c = std::make_unique<Connection>();
  Status st = CallGuard([&] {
    std::shared_ptr<tt::TSocket> socket;
    if (!o.tls_ca.empty()) {
      signal(SIGPIPE, SIG_IGN);  // a server that drops the connection is an error, not a kill
      auto factory = std::make_shared<tt::TSSLSocketFactory>(tt::SSLTLS);
      factory->loadTrustedCertificates(o.tls_ca.c_str());
      factory->authenticate(true);
      socket = factory->createSocket(o.host, o.port);
    } else {
      socket = std::make_shared<tt::TSocket>(o.host, o.port);
    }
    socket->setConnTimeout(5000);
    c->transport = std::make_shared<tt::TFramedTransport>(socket);
    c->client =
        std::make_unique<rpc::CityGraphClient>(std::make_shared<tp::TBinaryProtocol>(c->transport));
    c->transport->open();
    rpc::Session s;
    c->client->authenticate(s, user, password);
    c->token = s.token;
    return Status::OK();
  });
  if (!st.ok()) return st;
  return c;
}

Status CallGuard(const std::function<Status()>& fn) {
  try {
    return fn();
  } catch (const rpc::ApiError& e) {
    auto it = rpc::_ErrorCode_VALUES_TO_NAMES.find(e.code);
    std::string name = it == rpc::_ErrorCode_VALUES_TO_NAMES.end() ? "?" : it->second;
    StatusCode code = StatusCode::kInternal;
    switch (e.code) {
      case rpc::ErrorCode::NOT_FOUND:
        code = StatusCode::kNotFound;
        break;
      case rpc::ErrorCode::INVALID_ARGUMENT:
        code = StatusCode::kInvalidArgument;
        break;
      case rpc::ErrorCode::PERMISSION_DENIED:
        code = StatusCode::kPermissionDenied;
        break;
      case rpc::ErrorCode::LIMIT_EXCEEDED:
        code = StatusCode::kResourceExhausted;
        break;
      case rpc::ErrorCode::DEADLINE_EXCEEDED:
        code = StatusCode::kDeadlineExceeded;
        break;
      case rpc::ErrorCode::UNAUTHENTICATED:
        code = StatusCode::kUnauthenticated;
        break;
      default:
        break;
    }
    return Status(code, "server: " + name + ": " + e.message);
  } catch (const apache::thrift::TException& e) {
    return IOError(std::string("thrift: ") + e.what());
  }
}

namespace {
std::string Ent(const rpc::Entity& e) {
  std::string s = e.label + " " + e.display;
  if (!e.keys.empty() && e.keys[0].value != e.display) s += " [" + e.keys[0].value + "]";
  return s + " #" + std::to_string(e.id);
}
std::string Src(const rpc::Source& s) {
  return s.department + "/" + s.file + ":" + std::to_string(s.record);
}
std::string Span(const rpc::Edge& e) {
  return "[" + (e.valid_from.empty() ? std::string("…") : e.valid_from) + ", " +
         (e.valid_to.empty() ? std::string("…") : e.valid_to) + ")";
}
void Trunc(const rpc::Truncation& t) {
  if (t.truncated) std::printf("  (truncated: %s)\n", t.reason.c_str());
}
}  // namespace

void PrintHealth(const rpc::Health& h) {
  std::printf("status %s, version %s (API %d), up %lld ms, server time %s\n", h.status.c_str(),
              h.version.c_str(), h.api_version_major, static_cast<long long>(h.uptime_ms),
              h.server_time.c_str());
}

void PrintStats(const rpc::Stats& s) {
  std::printf(
      "vertices %lld, edges %lld, memory %.1f MiB, disk %.1f MiB, sessions %lld, audit entries "
      "%lld\n",
      static_cast<long long>(s.num_vertices), static_cast<long long>(s.num_edges),
      s.memory_bytes / 1048576.0, s.disk_bytes / 1048576.0,
      static_cast<long long>(s.active_sessions), static_cast<long long>(s.audit_entries));
  for (const auto& [l, n] : s.vertices_per_label)
    std::printf("  %-12s %lld\n", l.c_str(), static_cast<long long>(n));
  for (const auto& [t, n] : s.edges_per_type)
    std::printf("  %-14s %lld\n", t.c_str(), static_cast<long long>(n));
}

void PrintProfile(const rpc::Profile& p) {
  std::printf("%s\n", Ent(p.entity).c_str());
  for (const auto& k : p.entity.keys)
    std::printf("  key %-12s %s\n", k.kind.c_str(), k.value.c_str());
  for (const auto& pr : p.properties) {
    std::printf("  %-12s %-30s  from %s\n", pr.name.c_str(), pr.value.c_str(),
                Src(pr.source).c_str());
  }
  for (const auto& [t, n] : p.degree_by_edge_type)
    std::printf("  edges %-12s %lld\n", t.c_str(), static_cast<long long>(n));
}

void PrintNeighbors(const rpc::NeighborsResult& r) {
  std::printf("%s: %zu neighbour(s)\n", Ent(r.center).c_str(), r.neighbors.size());
  for (const auto& n : r.neighbors) {
    std::printf("  %s %-11s %s %s  from %s\n", n.direction == rpc::Direction::OUT ? "->" : "<-",
                n.edge.type.c_str(), Ent(n.entity).c_str(), Span(n.edge).c_str(),
                Src(n.edge.source).c_str());
  }
  Trunc(r.truncation);
}

void PrintSubgraph(const rpc::Subgraph& g) {
  std::printf("%zu vertices, %zu edges\n", g.vertices.size(), g.edges.size());
  for (const auto& v : g.vertices) std::printf("  %s\n", Ent(v).c_str());
  Trunc(g.truncation);
}

void PrintPaths(const rpc::PathsResult& r) {
  std::printf("%zu path(s)\n", r.paths.size());
  for (size_t i = 0; i < r.paths.size(); ++i) {
    const auto& p = r.paths[i];
    std::printf("path %zu (%zu hops)\n  %s\n", i + 1, p.edges.size(), Ent(p.vertices[0]).c_str());
    for (size_t j = 0; j < p.edges.size(); ++j) {
      const auto& e = p.edges[j];
      std::printf("    -%s- %s  (from %s)\n  %s\n", e.type.c_str(), Span(e).c_str(),
                  Src(e.source).c_str(), Ent(p.vertices[j + 1]).c_str());
    }
  }
  Trunc(r.truncation);
}

void PrintLocate(const rpc::LocateResponse& r) {
  for (const auto& row : r.results) {
    auto it = rpc::_LocateStatus_VALUES_TO_NAMES.find(row.status);
    std::printf("%-20s %-10s", row.input.c_str(),
                it == rpc::_LocateStatus_VALUES_TO_NAMES.end() ? "?" : it->second);
    if (row.__isset.person) std::printf(" %s", Ent(row.person).c_str());
    if (!row.message.empty()) std::printf(" (%s)", row.message.c_str());
    std::printf("\n");
    for (const auto& c : row.candidates) {
      std::printf("    %.2f  %s  grid %s\n", c.confidence, c.address.c_str(), c.grid_code.c_str());
      for (const auto& ev : c.evidence) {
        std::printf("          %s %s from %s\n", ev.kind.c_str(), ev.date.c_str(),
                    Src(ev.source).c_str());
      }
    }
    if (row.__isset.grid_worker) std::printf("    send: %s\n", Ent(row.grid_worker).c_str());
  }
  Trunc(r.truncation);
}

void PrintConflicts(const rpc::ConflictsPage& p, int page) {
  if (page == 0) std::printf("%lld household(s) flagged\n", static_cast<long long>(p.total));
  for (const auto& h : p.households) {
    std::printf("%s (%zu members)\n", Ent(h.household).c_str(), h.members.size());
    for (const auto& hit : h.hits) {
      std::printf("  %-22s %s\n", hit.rule.c_str(), Ent(hit.member).c_str());
      for (const auto& ev : hit.evidence) {
        std::printf("      %s %s from %s\n", ev.kind.c_str(), ev.detail.c_str(),
                    Src(ev.source).c_str());
      }
    }
    for (const auto& l : h.probabilistic_links) {
      std::printf("  probabilistic link #%lld score %.2f: %s\n", static_cast<long long>(l.vertex),
                  l.score, l.explanation.c_str());
    }
  }
  Trunc(p.truncation);
}

void PrintAlgorithm(const rpc::AlgorithmResult& r) {
  std::printf("%s\n", r.name.c_str());
  for (const auto& [k, v] : r.summary) std::printf("  %-14s %g\n", k.c_str(), v);
  for (const auto& s : r.top) std::printf("  %12.6g  %s\n", s.value, Ent(s.entity).c_str());
  Trunc(r.truncation);
}

void PrintUpsert(const rpc::UpsertResult& r) {
  std::printf("accepted %lld, rejected %lld, batch %lld, vertices added %lld, edges added %lld\n",
              static_cast<long long>(r.accepted), static_cast<long long>(r.rejected),
              static_cast<long long>(r.batch), static_cast<long long>(r.vertices_added),
              static_cast<long long>(r.edges_added));
  for (const auto& j : r.rejects) {
    std::printf("  line %lld column %s value '%s': %s\n", static_cast<long long>(j.line),
                j.column.c_str(), j.value.c_str(), j.reason.c_str());
  }
}

void PrintAudit(const std::vector<rpc::AuditEntry>& entries) {
  for (const auto& e : entries) {
    std::printf("%-6lld %s %-12s %-15s %-13s %-18s %lld %s %s\n", static_cast<long long>(e.seq),
                e.time.c_str(), e.user.c_str(), e.role.c_str(), e.method.c_str(), e.outcome.c_str(),
                static_cast<long long>(e.result_count), e.purpose.c_str(), e.detail.c_str());
  }
}

void PrintAuditVerify(const rpc::AuditVerifyResult& r) {
  std::printf("%s: %lld entries, head %s\n", r.ok ? "intact" : "TAMPERED",
              static_cast<long long>(r.entries), r.head_hash.c_str());
  for (const auto& p : r.problems) std::printf("  %s\n", p.c_str());
}

}  // namespace citygraph::cli
