// The Thrift service handler: session check, permission matrix, audit entry
// and error mapping around every method, then the query / ingest call.
// Private to citygraph_api (includes the generated headers).
//
// Thread-safety: one Handler serves all connections concurrently.
#ifndef CITYGRAPH_API_SRC_HANDLER_H_
#define CITYGRAPH_API_SRC_HANDLER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "CityGraph.h"
#include "citygraph/api/audit_log.h"
#include "citygraph/api/rbac.h"
#include "citygraph/api/server.h"
#include "citygraph/api/sessions.h"
#include "citygraph/api/users.h"
#include "citygraph/graph.h"
#include "citygraph/query/conflicts.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/locate.h"

namespace citygraph::api::internal {

// What one call knows about its caller and reports to the audit log.
struct CallContext {
  SessionInfo session;
  std::string purpose;
  int64_t result_count = 0;
  std::string detail;
  bool durable_audit = false;  // write calls: wait for the audit entry
};

// Shared server state the handler works on.
struct ServiceState {
  Database* db = nullptr;
  ServerOptions options;
  UserStore users;
  std::unique_ptr<SessionManager> sessions;
  std::unique_ptr<AuditStore> audit_store;
  std::unique_ptr<AuditLog> audit;
  query::RankingConfig ranking = query::RankingConfig::Default();
  query::ConflictRules rules = query::ConflictRules::Default();
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<bool> draining{false};
  std::array<std::atomic<int64_t>, kNumMethods> calls{};
  std::mutex conflicts_mu;  // guards the cached conflict report
  std::shared_ptr<const query::ConflictReport> conflicts_cache;
  std::string conflicts_cache_key;
  // Bumped by every upsert: the graph data changed. (Audit writes also commit
  // batches, so the snapshot's last_batch cannot key caches.)
  std::atomic<uint64_t> data_version{0};
};

class Handler : public rpc::CityGraphIf {
 public:
  explicit Handler(ServiceState* state) : state_(state) {}

  void authenticate(rpc::Session& out, const std::string& user,
                    const std::string& password) override;
  void signout(const std::string& token) override;
  void health(rpc::Health& out, const std::string& token) override;
  void stats(rpc::Stats& out, const std::string& token) override;
  void profile(rpc::Profile& out, const std::string& token,
               const rpc::ProfileRequest& req) override;
  void neighbors(rpc::NeighborsResult& out, const std::string& token,
                 const rpc::NeighborsRequest& req) override;
  void subgraph(rpc::Subgraph& out, const std::string& token,
                const rpc::SubgraphRequest& req) override;
  void paths(rpc::PathsResult& out, const std::string& token,
             const rpc::PathsRequest& req) override;
  void locate(rpc::LocateResponse& out, const std::string& token,
              const rpc::LocateRequest& req) override;
  void conflicts(rpc::ConflictsPage& out, const std::string& token,
                 const rpc::ConflictsRequest& req) override;
  void upsert(rpc::UpsertResult& out, const std::string& token,
              const rpc::UpsertRequest& req) override;
  void runAlgorithm(rpc::AlgorithmResult& out, const std::string& token,
                    const rpc::AlgorithmRequest& req) override;
  void auditQuery(std::vector<rpc::AuditEntry>& out, const std::string& token,
                  const rpc::AuditQuery& query) override;
  void auditVerify(rpc::AuditVerifyResult& out, const std::string& token) override;

 private:
  // Checks the session and the matrix, runs `body`, records the audit entry
  // and throws rpc::ApiError for a non-OK outcome.
  void Run(Method method, const std::string& token, const std::string& digest,
           const std::function<Status(CallContext&)>& body);

  // Request guardrails from the options of a request, clamped to the server maxima.
  query::Limits LimitsFor(const rpc::RequestOptions* options) const;
  StatusOr<std::optional<Date>> AsOfFor(const rpc::RequestOptions* options) const;
  // The vertex a request names; PermissionDenied if the role may not see it.
  StatusOr<VertexId> Resolve(const Snapshot& snap, const rpc::EntityRef& ref, Role role) const;
  // The query label filter for `role`: `requested` (names) restricted to what it may see.
  std::vector<std::string> VisibleLabels(const Schema& schema, Role role,
                                         const std::vector<std::string>& requested) const;

  Status DoLocate(CallContext& ctx, const rpc::LocateRequest& req, rpc::LocateResponse& out);
  Status DoConflicts(CallContext& ctx, const rpc::ConflictsRequest& req, rpc::ConflictsPage& out);
  Status DoUpsert(CallContext& ctx, const rpc::UpsertRequest& req, rpc::UpsertResult& out);
  Status DoAlgorithm(CallContext& ctx, const rpc::AlgorithmRequest& req, rpc::AlgorithmResult& out);

  ServiceState* state_;
};

// Today's date (UTC) on the server.
Date Today();
// Hex SHA-256 of a Thrift struct's binary encoding, prefixed by the method.
template <typename T>
std::string DigestOf(std::string_view method, const T& value);
std::string DigestOfBytes(std::string_view method, std::string_view bytes);

}  // namespace citygraph::api::internal

#include "digest_impl.h"

#endif  // CITYGRAPH_API_SRC_HANDLER_H_
