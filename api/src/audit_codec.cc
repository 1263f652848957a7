// Encoding, hashing, verification and reading of audit entries.
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "citygraph/api/audit_log.h"

namespace citygraph::api {
namespace {

const std::string kGenesis(64, '0');

nlohmann::json Body(const AuditEntry& e) {
  const AuditRecord& r = e.record;
  return nlohmann::json{{"seq", e.seq},
                        {"time", r.time_micros},
                        {"user", r.user},
                        {"role", r.role},
                        {"method", r.method},
                        {"purpose", r.purpose},
                        {"params_digest", r.params_digest},
                        {"result_count", r.result_count},
                        {"outcome", r.outcome},
                        {"detail", r.detail},
                        {"prev_hash", e.prev_hash}};
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

uint64_t KeySeq(std::string_view key) {
  uint64_t seq = 0;
  for (size_t i = 1; i < key.size() && i <= 8; ++i) seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  return seq;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

std::string AuditEntryKey(uint64_t seq) {
  std::string key(9, '\0');
  key[0] = 'e';
  for (int i = 0; i < 8; ++i) key[8 - i] = static_cast<char>((seq >> (8 * i)) & 0xff);
  return key;
}

std::string ComputeAuditHash(const AuditEntry& entry) { return Sha256Hex(Dump(Body(entry))); }

std::string EncodeAuditEntry(const AuditEntry& entry) {
  nlohmann::json j = Body(entry);
  j["hash"] = entry.hash;
  return Dump(j);
}

StatusOr<AuditEntry> DecodeAuditEntry(std::string_view value) {
  try {
    auto j = nlohmann::json::parse(value);
    AuditEntry e;
    e.seq = j.at("seq").get<uint64_t>();
    AuditRecord& r = e.record;
    r.time_micros = j.at("time").get<int64_t>();
    r.user = j.at("user").get<std::string>();
    r.role = j.at("role").get<std::string>();
    r.method = j.at("method").get<std::string>();
    r.purpose = j.at("purpose").get<std::string>();
    r.params_digest = j.at("params_digest").get<std::string>();
    r.result_count = j.at("result_count").get<int64_t>();
    r.outcome = j.at("outcome").get<std::string>();
    r.detail = j.at("detail").get<std::string>();
    e.prev_hash = j.at("prev_hash").get<std::string>();
    e.hash = j.at("hash").get<std::string>();
    return e;
  } catch (const nlohmann::json::exception& ex) {
    return Corruption(std::string("audit entry does not decode: ") + ex.what());
  }
}

StatusOr<AuditVerifyReport> VerifyAudit(const AuditStore& store) {
  CG_ASSIGN_OR_RETURN(auto rows, store.Scan("e"));
  AuditVerifyReport report;
  uint64_t expected = 1;
  std::string prev_hash = kGenesis;
  auto problem = [&](std::string p) { report.problems.push_back(std::move(p)); };
  for (const auto& [key, value] : rows) {
    if (key.size() != 9) {
      problem("malformed audit key of " + std::to_string(key.size()) + " bytes");
      continue;
    }
    uint64_t seq = KeySeq(key);
    if (seq > expected) {
      problem(seq == expected + 1 ? "entry " + std::to_string(expected) + " removed"
                                  : "entries " + std::to_string(expected) + ".." +
                                        std::to_string(seq - 1) + " removed");
    }
    auto e = DecodeAuditEntry(value);
    if (!e.ok()) {
      problem("entry " + std::to_string(seq) + " changed: " + e.status().message());
      prev_hash.clear();
      expected = seq + 1;
      ++report.entries;
      continue;
    }
    if (e->seq != seq) {
      problem("entry " + std::to_string(seq) + " changed: its seq field says " +
              std::to_string(e->seq));
    } else if (ComputeAuditHash(*e) != e->hash) {
      problem("entry " + std::to_string(seq) + " changed: hash does not match its content");
    } else if (!prev_hash.empty() && e->prev_hash != prev_hash && seq == expected) {
      problem("entry " + std::to_string(seq) + ": prev_hash does not match entry " +
              std::to_string(seq - 1) + " (entry " + std::to_string(seq - 1) + " changed)");
    }
    prev_hash = e->hash;
    expected = seq + 1;
    ++report.entries;
  }
  auto head = store.Get("h");
  if (head.ok()) {
    try {
      auto j = nlohmann::json::parse(*head);
      uint64_t head_seq = j.at("seq").get<uint64_t>();
      report.head_hash = j.at("hash").get<std::string>();
      if (head_seq >= expected) {
        problem(head_seq == expected ? "entry " + std::to_string(expected) + " removed (tail)"
                                     : "entries " + std::to_string(expected) + ".." +
                                           std::to_string(head_seq) + " removed (tail)");
      } else if (head_seq + 1 == expected && report.head_hash != prev_hash) {
        problem("entry " + std::to_string(head_seq) + " changed: head hash does not match");
      } else if (head_seq + 1 < expected) {
        problem("entries after " + std::to_string(head_seq) + " are not covered by the head");
      }
    } catch (const nlohmann::json::exception& ex) {
      problem(std::string("audit head does not decode: ") + ex.what());
    }
  } else if (head.status().code() == StatusCode::kNotFound) {
    if (report.entries > 0) problem("audit head record removed");
  } else {
    return head.status();
  }
  return report;
}

StatusOr<std::vector<AuditEntry>> ReadAudit(const AuditStore& store, std::string_view user,
                                            std::string_view method, uint64_t from_seq,
                                            size_t limit) {
  CG_ASSIGN_OR_RETURN(auto rows, store.Scan("e"));
  std::vector<AuditEntry> out;
  for (const auto& [key, value] : rows) {
    if (key.size() != 9 || KeySeq(key) < from_seq) continue;
    CG_ASSIGN_OR_RETURN(AuditEntry e, DecodeAuditEntry(value));
    if (!user.empty() && e.record.user != user) continue;
    if (!method.empty() && e.record.method != method) continue;
    out.push_back(std::move(e));
  }
  if (limit > 0 && out.size() > limit) out.erase(out.begin(), out.end() - limit);
  return out;
}

}  // namespace citygraph::api
