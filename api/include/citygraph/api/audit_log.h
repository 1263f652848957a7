// The tamper-evident audit log: every service call, allowed or refused, is
// appended as one entry; entries are hash-chained so that any changed or
// removed entry is detected by VerifyAudit.
//
// Storage: an AuditStore, in production the database's auxiliary namespace
// "audit" (DatabaseAuditStore). Keys:
//   "e" + 8-byte big-endian sequence number (1, 2, ...)  -> entry (JSON)
//   "h"                                                   -> head {seq, hash}
// An entry's JSON holds seq, time, user, role, method, purpose,
// params_digest, result_count, outcome, detail, prev_hash and hash, where
//   hash = hex SHA-256 of the entry's JSON without "hash" (keys sorted,
//          compact), and prev_hash = hash of entry seq-1 (64 zeros for seq 1).
// The head record, rewritten with every group, pins the newest entry so that
// removing entries at the tail is detected too.
//
// Writing: AuditLog hands entries to one appender thread that assigns
// sequence numbers, chains the hashes and writes whatever has queued up as
// one durable store write (group commit). Read calls do not wait for that
// write; write calls (upsert) wait until their entry is durable before they
// are acknowledged.
//
// Thread-safety: AuditLog's methods may be called from any thread.
// AuditStore implementations must allow concurrent Scan/Get with Append.
#ifndef CITYGRAPH_API_AUDIT_LOG_H_
#define CITYGRAPH_API_AUDIT_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "citygraph/status.h"

namespace citygraph {
class Database;
}

namespace citygraph::api {

inline constexpr std::string_view kAuditNamespace = "audit";

// What the service records about one call.
struct AuditRecord {
  int64_t time_micros = 0;  // call start, Unix epoch microseconds
  std::string user;         // "" when unauthenticated
  std::string role;
  std::string method;
  std::string purpose;        // court case number, or ""
  std::string params_digest;  // hex SHA-256 of the serialized arguments
  int64_t result_count = 0;
  std::string outcome;  // "OK" or an error code name ("PERMISSION_DENIED", ...)
  std::string detail;   // short free text, e.g. "refused=3"
};

// An entry as stored.
struct AuditEntry {
  uint64_t seq = 0;
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// Where entries live. Append must be atomic and durable when it returns OK.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual Status Append(const std::vector<std::pair<std::string, std::string>>& kvs) = 0;
  // Every (key, value) whose key starts with `prefix`, in key order.
  virtual StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      std::string_view prefix) const = 0;
  // NotFound when absent.
  virtual StatusOr<std::string> Get(std::string_view key) const = 0;
};

// The database's aux namespace "audit". `db` must outlive the store.
std::unique_ptr<AuditStore> MakeDatabaseAuditStore(Database* db);

// Hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Encoding helpers (exposed for verify and for tests that tamper with entries).
std::string AuditEntryKey(uint64_t seq);
std::string EncodeAuditEntry(const AuditEntry& entry);  // JSON incl. hash
// Parses an entry; Corruption naming the key when it does not decode.
StatusOr<AuditEntry> DecodeAuditEntry(std::string_view value);
// The hash `entry` must carry given its other fields.
std::string ComputeAuditHash(const AuditEntry& entry);

class AuditLog {
 public:
  // Continues the chain found in `store` (not owned; must outlive the log)
  // and starts the appender thread. Corruption if the head does not decode.
  static StatusOr<std::unique_ptr<AuditLog>> Open(AuditStore* store);
  ~AuditLog();  // Close()

  // Queues `record`. Never blocks on I/O.
  void Submit(AuditRecord record);
  // Queues `record` and blocks until it is durable; the store's error if the
  // write failed, FailedPrecondition after Close().
  Status AppendDurable(AuditRecord record);
  // Blocks until everything submitted before the call is durable.
  Status Flush();
  // Flushes and stops the appender; later submissions are dropped with
  // FailedPrecondition (AppendDurable) or counted as lost (Submit).
  void Close();

  // Entries durably written (including those found at Open).
  uint64_t size() const;
  // Entries dropped because a store write failed or the log was closed.
  uint64_t lost() const;

 private:
  struct Pending {
    AuditRecord record;
    std::shared_ptr<std::promise<Status>> done;  // null: nobody waits
  };
  explicit AuditLog(AuditStore* store) : store_(store) {}
  void Run();
  std::shared_ptr<std::promise<Status>> Enqueue(AuditRecord record, bool wait);

  AuditStore* store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool closed_ = false;
  uint64_t next_seq_ = 1;  // appender thread only
  std::string prev_hash_;  // appender thread only
  uint64_t written_ = 0;
  uint64_t lost_ = 0;
  std::thread thread_;
};

// What VerifyAudit found.
struct AuditVerifyReport {
  uint64_t entries = 0;
  std::vector<std::string> problems;  // empty when the chain is intact
  std::string head_hash;
  bool ok() const { return problems.empty(); }
};

// Walks the whole chain and reports every changed, removed, reordered or
// undecodable entry by sequence number. Returns an error only when the store
// cannot be read.
StatusOr<AuditVerifyReport> VerifyAudit(const AuditStore& store);

// The newest `limit` entries (0 = all) with seq >= from_seq whose user /
// method match the filters (empty = any), oldest first.
StatusOr<std::vector<AuditEntry>> ReadAudit(const AuditStore& store, std::string_view user,
                                            std::string_view method, uint64_t from_seq,
                                            size_t limit);

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_AUDIT_LOG_H_
