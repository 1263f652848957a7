// An in-memory AuditStore for tests, with hooks to tamper with entries.
#ifndef CITYGRAPH_TESTS_API_MEMORY_AUDIT_STORE_H_
#define CITYGRAPH_TESTS_API_MEMORY_AUDIT_STORE_H_

#include <map>
#include <mutex>

#include "citygraph/api/audit_log.h"

namespace citygraph::api {

class MemoryAuditStore : public AuditStore {
 public:
  Status Append(const std::vector<std::pair<std::string, std::string>>& kvs) override {
    std::lock_guard lock(mu_);
    if (fail_) return IOError("injected failure");
    for (const auto& [k, v] : kvs) data_[k] = v;
    ++appends_;
    return Status::OK();
  }
  StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      std::string_view prefix) const override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, v] : data_) {
      if (k.rfind(prefix, 0) == 0) out.emplace_back(k, v);
    }
    return out;
  }
  StatusOr<std::string> Get(std::string_view key) const override {
    std::lock_guard lock(mu_);
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return NotFound("no key");
    return it->second;
  }
  void Put(const std::string& k, const std::string& v) {
    std::lock_guard lock(mu_);
    data_[k] = v;
  }
  void Erase(const std::string& k) {
    std::lock_guard lock(mu_);
    data_.erase(k);
  }
  void set_fail(bool f) {
    std::lock_guard lock(mu_);
    fail_ = f;
  }
  int appends() const {
    std::lock_guard lock(mu_);
    return appends_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> data_;
  bool fail_ = false;
  int appends_ = 0;
};

}  // namespace citygraph::api

#endif  // CITYGRAPH_TESTS_API_MEMORY_AUDIT_STORE_H_
