// The users file: who may sign in, with which role, and their password hash.
//
// Format (JSON), written by `citygraph users add`:
//   {"users": [{"name": "alice", "role": "investigator",
//               "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$..."}]}
//
// Thread-safety: a UserStore is immutable after Load; Add/Save are for the
// single-threaded `users` command.
#ifndef CITYGRAPH_API_USERS_H_
#define CITYGRAPH_API_USERS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/api/rbac.h"
#include "citygraph/status.h"

namespace citygraph::api {

struct User {
  std::string name;
  Role role = Role::kAnalyst;
  std::string password_hash;  // HashPassword() encoding
};

class UserStore {
 public:
  // Reads `path`. NotFound if it does not exist; InvalidArgument naming the
  // file and the entry when it is not valid JSON, a field is missing, a role
  // is unknown or a name repeats.
  static StatusOr<UserStore> Load(const std::string& path);
  // Parses the JSON text (`origin` names it in errors).
  static StatusOr<UserStore> Parse(std::string_view json_text, std::string_view origin);

  // Adds or replaces `name` with a fresh hash of `password`. InvalidArgument
  // for an empty name or password or a name with characters other than
  // [A-Za-z0-9_.-].
  Status Add(std::string_view name, Role role, std::string_view password);
  // Writes the store to `path` atomically (temp file + rename), mode 0600.
  Status Save(const std::string& path) const;

  // The user named `name`, or nullptr.
  const User* Find(std::string_view name) const;
  size_t size() const { return users_.size(); }
  // Every user, by name.
  std::vector<User> List() const;

  // Checks `password` for `name`. Returns the user, or Unauthenticated with
  // the same message whether the user is unknown or the password wrong.
  StatusOr<User> Authenticate(std::string_view name, std::string_view password) const;

 private:
  std::map<std::string, User, std::less<>> users_;
};

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_USERS_H_
