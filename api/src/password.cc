#include "citygraph/api/password.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

namespace citygraph::api {
namespace {
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  if (password.empty()) return InvalidArgument("password must not be empty");
  std::array<unsigned char, kSaltBytes> salt;
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Internal("RAND_bytes failed while salting a password hash");
  }
  size_t len = argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism,
                                 kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(len);
  int rc = argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism,
                                 password.data(), password.size(), salt.data(), salt.size(),
                                 kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Internal(std::string("argon2id: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  std::string enc(encoded);  // argon2 wants a NUL-terminated string
  return argon2id_verify(enc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace citygraph::api
