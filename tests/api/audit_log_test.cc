#include "citygraph/api/audit_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "memory_audit_store.h"

namespace citygraph::api {
namespace {

AuditRecord Rec(std::string user, std::string method, int64_t count = 1) {
  AuditRecord r;
  r.time_micros = 1700000000000000 + count;
  r.user = std::move(user);
  r.role = "analyst";
  r.method = std::move(method);
  r.params_digest = Sha256Hex("params");
  r.result_count = count;
  r.outcome = "OK";
  return r;
}

void Fill(MemoryAuditStore* store, int n, int already = 0) {
  auto log = AuditLog::Open(store);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < n; ++i) (*log)->Submit(Rec(i % 2 ? "alice" : "bob", "profile", i));
  ASSERT_TRUE((*log)->Flush().ok());
  EXPECT_EQ((*log)->size(), static_cast<uint64_t>(already + n));
}

TEST(AuditLogTest, ChainVerifiesAndReads) {
  MemoryAuditStore store;
  Fill(&store, 50);
  auto report = VerifyAudit(store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->entries, 50u);
  auto alice = ReadAudit(store, "alice", "", 0, 0);
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->size(), 25u);
  auto last3 = ReadAudit(store, "", "", 0, 3);
  ASSERT_TRUE(last3.ok());
  ASSERT_EQ(last3->size(), 3u);
  EXPECT_EQ(last3->back().seq, 50u);
  EXPECT_EQ(last3->front().seq, 48u);
  EXPECT_EQ(last3->back().prev_hash, (*last3)[1].hash);
}

TEST(AuditLogTest, ReopenContinuesTheChain) {
  MemoryAuditStore store;
  Fill(&store, 10);
  Fill(&store, 10, 10);
  auto report = VerifyAudit(store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->entries, 20u);
}

TEST(AuditLogTest, DetectsAnEditedEntry) {
  MemoryAuditStore store;
  Fill(&store, 20);
  auto e = DecodeAuditEntry(*store.Get(AuditEntryKey(7)));
  ASSERT_TRUE(e.ok());
  e->record.user = "mallory";
  store.Put(AuditEntryKey(7), EncodeAuditEntry(*e));
  auto report = VerifyAudit(store);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("entry 7 changed"), std::string::npos)
      << report->problems.front();
}

TEST(AuditLogTest, DetectsAnEditedEntryWithRecomputedHash) {
  MemoryAuditStore store;
  Fill(&store, 20);
  auto e = DecodeAuditEntry(*store.Get(AuditEntryKey(7)));
  e->record.outcome = "PERMISSION_DENIED";
  e->hash = ComputeAuditHash(*e);
  store.Put(AuditEntryKey(7), EncodeAuditEntry(*e));
  auto report = VerifyAudit(store);
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("entry 7 changed"), std::string::npos)
      << report->problems.front();
}

TEST(AuditLogTest, DetectsRemovedEntries) {
  MemoryAuditStore store;
  Fill(&store, 20);
  store.Erase(AuditEntryKey(5));
  auto report = VerifyAudit(store);
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("entry 5 removed"), std::string::npos)
      << report->problems.front();

  MemoryAuditStore tail;
  Fill(&tail, 20);
  tail.Erase(AuditEntryKey(20));
  report = VerifyAudit(tail);
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("entry 20 removed"), std::string::npos)
      << report->problems.front();
}

TEST(AuditLogTest, DetectsGarbageEntry) {
  MemoryAuditStore store;
  Fill(&store, 5);
  store.Put(AuditEntryKey(3), "not json");
  auto report = VerifyAudit(store);
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("entry 3"), std::string::npos);
}

TEST(AuditLogTest, ConcurrentSubmittersGroupCommit) {
  MemoryAuditStore store;
  auto log = AuditLog::Open(&store);
  ASSERT_TRUE(log.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::string writer = std::to_string(t), reader = std::to_string(t);
      writer.insert(0, 1, 'w');
      reader.insert(0, 1, 'r');
      for (int i = 0; i < 500; ++i) {
        if (i % 50 == 0) {
          EXPECT_TRUE((*log)->AppendDurable(Rec(writer, "upsert", i)).ok());
        } else {
          (*log)->Submit(Rec(reader, "profile", i));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  (*log)->Close();
  EXPECT_EQ((*log)->size(), 4000u);
  EXPECT_LT(store.appends(), 4000);  // grouped
  auto report = VerifyAudit(store);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->entries, 4000u);
}

TEST(AuditLogTest, FailedWriteIsReportedToTheWaiter) {
  MemoryAuditStore store;
  auto log = AuditLog::Open(&store);
  ASSERT_TRUE((*log)->AppendDurable(Rec("a", "upsert")).ok());
  store.set_fail(true);
  EXPECT_EQ((*log)->AppendDurable(Rec("a", "upsert")).code(), StatusCode::kIOError);
  store.set_fail(false);
  ASSERT_TRUE((*log)->AppendDurable(Rec("a", "upsert")).ok());
  EXPECT_EQ((*log)->size(), 2u);
  EXPECT_EQ((*log)->lost(), 1u);
  (*log)->Close();
  EXPECT_EQ((*log)->AppendDurable(Rec("a", "upsert")).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(VerifyAudit(store)->ok());
}

}  // namespace
}  // namespace citygraph::api
