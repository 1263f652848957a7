// Helpers of `citygraph client`: connecting and signing in, turning Thrift
// exceptions into Status, and printing results for humans.
#ifndef CITYGRAPH_API_CLI_CLIENT_PRINT_H_
#define CITYGRAPH_API_CLI_CLIENT_PRINT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "CityGraph.h"
#include "citygraph/status.h"

namespace citygraph::cli {

struct ClientOptions {
  std::string host = "127.0.0.1";
  int port = 9090;
  std::string user;
  std::string password_file;
  std::string tls_ca;
};

// An open, signed-in connection; signs out and closes when destroyed.
struct Connection {
  std::shared_ptr<apache::thrift::transport::TTransport> transport;
  std::unique_ptr<rpc::CityGraphClient> client;
  std::string token;
  ~Connection();
};

// Connects and authenticates (user from options or $CITYGRAPH_USER; password
// from the file or $CITYGRAPH_PASSWORD).
StatusOr<std::unique_ptr<Connection>> Connect(const ClientOptions& options);

// Runs `fn`, converting rpc::ApiError and Thrift exceptions into a Status.
Status CallGuard(const std::function<Status()>& fn);

void PrintHealth(const rpc::Health& h);
void PrintStats(const rpc::Stats& s);
void PrintProfile(const rpc::Profile& p);
void PrintNeighbors(const rpc::NeighborsResult& r);
void PrintSubgraph(const rpc::Subgraph& g);
void PrintPaths(const rpc::PathsResult& r);
void PrintLocate(const rpc::LocateResponse& r);
void PrintConflicts(const rpc::ConflictsPage& p, int page);
void PrintAlgorithm(const rpc::AlgorithmResult& r);
void PrintUpsert(const rpc::UpsertResult& r);
void PrintAudit(const std::vector<rpc::AuditEntry>& entries);
void PrintAuditVerify(const rpc::AuditVerifyResult& r);

}  // namespace citygraph::cli

#endif  // CITYGRAPH_API_CLI_CLIENT_PRINT_H_
