#include "citygraph/api/users.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "citygraph/api/password.h"

namespace citygraph::api {
namespace {

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A hash of a fixed password, verified when the user is unknown so that the
// answer takes as long as for a known user with a wrong password.
const std::string& DummyHash() {
  static const std::string kHash = [] {
    auto h = HashPassword("citygraph-dummy-password");
    return h.ok() ? *h : std::string();
  }();
  return kHash;
}

}  // namespace

StatusOr<UserStore> UserStore::Parse(std::string_view json_text, std::string_view origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string(origin) + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("users") || !doc["users"].is_array()) {
    return InvalidArgument(std::string(origin) + ": expected an object with a \"users\" array");
  }
  UserStore store;
  size_t i = 0;
  for (const auto& u : doc["users"]) {
    std::string where = std::string(origin) + ": users[" + std::to_string(i++) + "]";
    for (const char* f : {"name", "role", "password_hash"}) {
      if (!u.is_object() || !u.contains(f) || !u[f].is_string()) {
        return InvalidArgument(where + ": missing string field '" + f + "'");
      }
    }
    User user;
    user.name = u["name"].get<std::string>();
    if (!ValidName(user.name)) return InvalidArgument(where + ": invalid name '" + user.name + "'");
    auto role = ParseRole(u["role"].get<std::string>());
    if (!role.ok()) return role.status().WithContext(where);
    user.role = *role;
    user.password_hash = u["password_hash"].get<std::string>();
    if (user.password_hash.rfind("$argon2id$", 0) != 0) {
      return InvalidArgument(where + ": password_hash is not an argon2id hash");
    }
    if (store.users_.count(user.name)) {
      return InvalidArgument(where + ": duplicate user '" + user.name + "'");
    }
    store.users_.emplace(user.name, std::move(user));
  }
  return store;
}

StatusOr<UserStore> UserStore::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return NotFound("users file " + path + " does not exist");
    return IOError("cannot read users file " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Status UserStore::Add(std::string_view name, Role role, std::string_view password) {
  if (!ValidName(name)) {
    return InvalidArgument("invalid user name '" + std::string(name) +
                           "' (1-64 characters from A-Z a-z 0-9 _ . -)");
  }
  CG_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  users_[std::string(name)] = User{std::string(name), role, std::move(hash)};
  return Status::OK();
}

Status UserStore::Save(const std::string& path) const {
  nlohmann::json doc;
  doc["users"] = nlohmann::json::array();
  for (const auto& [name, u] : users_) {
    doc["users"].push_back({{"name", u.name},
                            {"role", std::string(RoleName(u.role))},
                            {"password_hash", u.password_hash}});
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IOError("cannot write users file " + tmp);
    out << doc.dump(2) << "\n";
    if (!out) return IOError("cannot write users file " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IOError("cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::OK();
}

const User* UserStore::Find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

std::vector<User> UserStore::List() const {
  std::vector<User> out;
  for (const auto& [name, u] : users_) out.push_back(u);
  return out;
}

StatusOr<User> UserStore::Authenticate(std::string_view name, std::string_view password) const {
  const User* u = Find(name);
  if (u == nullptr) {
    VerifyPassword(DummyHash(), password);  // same cost as a wrong password
    return Unauthenticated("wrong user name or password");
  }
  if (!VerifyPassword(u->password_hash, password)) {
    return Unauthenticated("wrong user name or password");
  }
  return *u;
}

}  // namespace citygraph::api
