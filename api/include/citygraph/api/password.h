// Password hashing for CityGraph users: salted argon2id (libargon2), stored
// in the standard PHC encoded form "$argon2id$v=19$m=...,t=...,p=...$salt$hash"
// so the parameters travel with each hash and can be raised later.
//
// Thread-safety: stateless functions; safe to call concurrently.
#ifndef CITYGRAPH_API_PASSWORD_H_
#define CITYGRAPH_API_PASSWORD_H_

#include <string>
#include <string_view>

#include "citygraph/status.h"

namespace citygraph::api {

// argon2id cost parameters. The defaults follow the OWASP minimum for
// argon2id (19 MiB, 2 passes, 1 lane): ~30 ms per hash on the 2-core box.
struct PasswordParams {
  uint32_t time_cost = 2;
  uint32_t memory_kib = 19 * 1024;
  uint32_t parallelism = 1;
};

// Hashes `password` with a fresh 16-byte random salt (OpenSSL RAND_bytes).
// Returns the encoded hash; InvalidArgument for an empty password; Internal
// if the random generator or libargon2 fails.
StatusOr<std::string> HashPassword(std::string_view password, const PasswordParams& params = {});

// True iff `password` matches `encoded` (a HashPassword result). A malformed
// `encoded` never matches. Runs in time independent of where they differ.
bool VerifyPassword(std::string_view encoded, std::string_view password);

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_PASSWORD_H_
