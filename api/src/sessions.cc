#include "citygraph/api/sessions.h"

#include <openssl/rand.h>

#include <array>

namespace citygraph::api {

SessionManager::SessionManager(std::chrono::seconds ttl, Clock clock)
    : ttl_(ttl), clock_(std::move(clock)) {}

std::chrono::system_clock::time_point SessionManager::Now() const {
  return clock_ ? clock_() : std::chrono::system_clock::now();
}

StatusOr<std::string> SessionManager::Create(std::string_view user, Role role, SessionInfo* info) {
  std::array<unsigned char, 32> raw;
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return Internal("RAND_bytes failed while creating a session token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(raw.size() * 2);
  for (unsigned char b : raw) {
    token.push_back(kHex[b >> 4]);
    token.push_back(kHex[b & 15]);
  }
  SessionInfo s{std::string(user), role, Now() + ttl_};
  if (info != nullptr) *info = s;
  std::unique_lock lock(mu_);
  sessions_.emplace(token, std::move(s));
  return token;
}

StatusOr<SessionInfo> SessionManager::Check(std::string_view token) {
  if (token.empty()) return Unauthenticated("no session token: call authenticate first");
  auto now = Now();
  {
    std::shared_lock lock(mu_);
    auto it = sessions_.find(std::string(token));
    if (it == sessions_.end()) return Unauthenticated("unknown or signed-out session");
    if (it->second.expires_at > now) return it->second;
  }
  std::unique_lock lock(mu_);
  sessions_.erase(std::string(token));
  return Unauthenticated("session expired: authenticate again");
}

Status SessionManager::Remove(std::string_view token) {
  std::unique_lock lock(mu_);
  if (sessions_.erase(std::string(token)) == 0) {
    return Unauthenticated("unknown or signed-out session");
  }
  return Status::OK();
}

size_t SessionManager::Count() {
  auto now = Now();
  std::unique_lock lock(mu_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires_at <= now; });
  return sessions_.size();
}

}  // namespace citygraph::api
