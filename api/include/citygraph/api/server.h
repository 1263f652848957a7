// The CityGraph Thrift server: serves one open Database over TCP (optionally
// TLS) with TFramedTransport + TBinaryProtocol, one thread per connection up
// to ServerOptions::max_connections.
//
//   auto server = Server::Create(db.get(), std::move(users), options);
//   CG_RETURN_IF_ERROR((*server)->Start());   // listening when it returns
//   ... (*server)->port() ...
//   (*server)->Stop();                         // graceful: see Stop()
//
// Thread-safety: Start, Stop and Wait may be called from different threads;
// Stop is idempotent.
#ifndef CITYGRAPH_API_SERVER_H_
#define CITYGRAPH_API_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "citygraph/api/users.h"
#include "citygraph/status.h"

namespace citygraph {
class Database;
}

namespace citygraph::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 9090;  // 0: any free port (see Server::port())
  // Both set: TLS (PEM files). Start() then ignores SIGPIPE process-wide
  // (OpenSSL's writes to a closed connection raise it) unless the program
  // has its own handler.
  std::string tls_cert, tls_key;

  // Transport guardrails. A frame larger than max_frame_bytes, or one that
  // does not decode, closes that connection; the server stays up.
  int max_frame_bytes = 16 << 20;
  int max_connections = 512;
  int recv_timeout_ms = 15 * 60 * 1000;  // idle or stalled connections are closed

  // Request guardrails (see api/README.md).
  int default_deadline_ms = 5'000;
  int max_deadline_ms = 60'000;
  int default_max_rows = 10'000;
  int max_rows = 100'000;
  int max_locate_batch = 30'000;
  int max_upsert_records = 10'000;
  int max_conflicts_page = 1'000;

  std::chrono::seconds session_ttl{8 * 3600};

  // Upsert: directory of ingest mapping files, "<name>.yaml" per mapping.
  std::string mappings_dir;
  // Optional query configuration files; built-in defaults when empty.
  std::string locate_ranking_file;
  std::string conflict_rules_file;
};

class Server {
 public:
  // Prepares a server for `db` (not owned; must outlive the server) and the
  // given users. Opens the audit log in the database (Corruption if its head
  // does not decode); InvalidArgument for inconsistent options (TLS cert
  // without key, non-positive limits) or unreadable configuration files.
  static StatusOr<std::unique_ptr<Server>> Create(Database* db, UserStore users,
                                                  ServerOptions options);
  ~Server();  // Stop()

  // Binds and starts serving on background threads; returns once the socket
  // listens. IOError naming host:port when it cannot bind.
  Status Start();
  // The bound port (the chosen one when options.port was 0). After Start().
  int port() const;

  // Graceful shutdown: stops accepting, lets in-flight calls finish and
  // answer, closes idle connections, then flushes the audit log. Every write
  // acknowledged before Stop is durable (writes are synced when committed).
  void Stop();
  // Blocks until the server has stopped.
  void Wait();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_SERVER_H_
