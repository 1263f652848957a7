// The audit appender: one thread, group commit, hash chain.
#include "citygraph/api/audit_log.h"

#include <nlohmann/json.hpp>

#include "citygraph/graph.h"

namespace citygraph::api {
namespace {

constexpr size_t kMaxGroup = 4096;

class DatabaseAuditStore : public AuditStore {
 public:
  explicit DatabaseAuditStore(Database* db) : db_(db) {}
  Status Append(const std::vector<std::pair<std::string, std::string>>& kvs) override {
    WriteBatch batch(db_->schema());
    for (const auto& [k, v] : kvs) batch.PutAux(std::string(kAuditNamespace), k, v);
    auto r = db_->Write(batch);
    return r.ok() ? Status::OK() : r.status();
  }
  StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      std::string_view prefix) const override {
    return db_->ScanAux(kAuditNamespace, prefix);
  }
  StatusOr<std::string> Get(std::string_view key) const override {
    return db_->GetAux(kAuditNamespace, key);
  }

 private:
  Database* db_;
};

}  // namespace

std::unique_ptr<AuditStore> MakeDatabaseAuditStore(Database* db) {
  return std::make_unique<DatabaseAuditStore>(db);
}

StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(AuditStore* store) {
  std::unique_ptr<AuditLog> log(new AuditLog(store));
  log->prev_hash_ = std::string(64, '0');
  auto head = store->Get("h");
  if (head.ok()) {
    try {
      auto j = nlohmann::json::parse(*head);
      log->next_seq_ = j.at("seq").get<uint64_t>() + 1;
      log->prev_hash_ = j.at("hash").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      return Corruption(std::string("audit head does not decode: ") + e.what());
    }
  } else if (head.status().code() != StatusCode::kNotFound) {
    return head.status();
  }
  log->written_ = log->next_seq_ - 1;
  log->thread_ = std::thread([l = log.get()] { l->Run(); });
  return log;
}

AuditLog::~AuditLog() { Close(); }

std::shared_ptr<std::promise<Status>> AuditLog::Enqueue(AuditRecord record, bool wait) {
  auto done = wait ? std::make_shared<std::promise<Status>>() : nullptr;
  std::lock_guard lock(mu_);
  if (closed_) {
    ++lost_;
    if (done) done->set_value(FailedPrecondition("audit log is closed"));
    return done;
  }
  queue_.push_back(Pending{std::move(record), done});
  cv_.notify_one();
  return done;
}

void AuditLog::Submit(AuditRecord record) { Enqueue(std::move(record), false); }

Status AuditLog::AppendDurable(AuditRecord record) {
  auto done = Enqueue(std::move(record), true);
  return done->get_future().get();
}

Status AuditLog::Flush() { return AppendDurable(AuditRecord{}); }

void AuditLog::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

uint64_t AuditLog::size() const {
  std::lock_guard lock(mu_);
  return written_;
}

uint64_t AuditLog::lost() const {
  std::lock_guard lock(mu_);
  return lost_;
}

void AuditLog::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) break;  // closed and drained
    std::vector<Pending> group;
    while (!queue_.empty() && group.size() < kMaxGroup) {
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();

    // A record with an empty method is a flush marker: it is not written.
    std::vector<std::pair<std::string, std::string>> kvs;
    uint64_t seq = next_seq_;
    std::string prev = prev_hash_;
    for (const Pending& p : group) {
      if (p.record.method.empty()) continue;
      AuditEntry e{seq++, p.record, prev, ""};
      e.hash = ComputeAuditHash(e);
      prev = e.hash;
      kvs.emplace_back(AuditEntryKey(e.seq), EncodeAuditEntry(e));
    }
    Status s = Status::OK();
    if (!kvs.empty()) {
      nlohmann::json head{{"seq", seq - 1}, {"hash", prev}};
      kvs.emplace_back("h", head.dump());
      s = store_->Append(kvs);
    }
    size_t n = kvs.empty() ? 0 : kvs.size() - 1;
    if (s.ok()) {
      next_seq_ = seq;
      prev_hash_ = prev;
    }
    lock.lock();
    if (s.ok()) {
      written_ += n;
    } else {
      lost_ += n;
    }
    for (Pending& p : group) {
      if (p.done) p.done->set_value(s);
    }
  }
}

}  // namespace citygraph::api
