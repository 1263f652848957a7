// Sessions: random bearer tokens handed out by authenticate(), each bound to
// one user and role, expiring a fixed time after they were issued. Sessions
// live in server memory only: a restarted server forgets them and clients
// authenticate again.
//
// Thread-safety: all methods may be called concurrently.
#ifndef CITYGRAPH_API_SESSIONS_H_
#define CITYGRAPH_API_SESSIONS_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "citygraph/api/rbac.h"
#include "citygraph/status.h"

namespace citygraph::api {

struct SessionInfo {
  std::string user;
  Role role = Role::kAnalyst;
  std::chrono::system_clock::time_point expires_at;
};

class SessionManager {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `ttl`: lifetime of a session. `clock` is injectable for tests.
  explicit SessionManager(std::chrono::seconds ttl, Clock clock = nullptr);

  // Issues a new session: a 32-byte token from OpenSSL RAND_bytes, hex
  // encoded (64 characters). Internal if the random generator fails.
  StatusOr<std::string> Create(std::string_view user, Role role, SessionInfo* info = nullptr);

  // The session of `token`; Unauthenticated if unknown, signed out or
  // expired (an expired session is removed).
  StatusOr<SessionInfo> Check(std::string_view token);

  // Ends the session; Unauthenticated if there is none.
  Status Remove(std::string_view token);

  // Number of live (unexpired) sessions; drops expired ones.
  size_t Count();

 private:
  std::chrono::system_clock::time_point Now() const;

  std::chrono::seconds ttl_;
  Clock clock_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, SessionInfo> sessions_;
};

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_SESSIONS_H_
