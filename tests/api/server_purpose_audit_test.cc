// End to end: purpose binding of court locates, audit entries of calls, and
// audit verification catching an edited and a deleted entry in the database.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cstdlib>

#include "api_test_util.h"
#include "citygraph/api/audit_log.h"

namespace citygraph::api::testing {
namespace {

rpc::LocateResponse CourtLocate(Client& c, const std::string& case_no,
                                std::vector<std::string> ids) {
  rpc::LocateRequest r;
  r.ids = std::move(ids);
  rpc::Purpose p;
  p.case_no = case_no;
  r.__set_purpose(p);
  rpc::LocateResponse out;
  c->locate(out, c.token, r);
  return out;
}

TEST(PurposeBindingTest, OpenClosedAndOtherCases) {
  auto city = TestCity::Create();
  auto server = StartServer(city.get());
  Client court = SignIn(server->port(), "court_executor");

  // Open case: its debtors are located, anyone else is refused.
  auto open =
      CourtLocate(court, kOpenCase, {IdNumber(0), IdNumber(1), IdNumber(2), IdNumber(4), "123"});
  ASSERT_EQ(open.results.size(), 5u);
  EXPECT_EQ(open.results[0].status, rpc::LocateStatus::FOUND);
  ASSERT_FALSE(open.results[0].candidates.empty());
  EXPECT_EQ(open.results[0].candidates[0].address, "No. 0 Test Road");
  EXPECT_EQ(open.results[0].candidates[0].grid_code, "G001");
  EXPECT_EQ(open.results[1].status, rpc::LocateStatus::FOUND);
  bool rents_house_1 = false;
  for (const auto& c : open.results[1].candidates) rents_house_1 |= c.address == "No. 1 Test Road";
  EXPECT_TRUE(rents_house_1);
  EXPECT_EQ(open.results[2].status, rpc::LocateStatus::REFUSED);  // creditor, not debtor
  EXPECT_TRUE(open.results[2].candidates.empty());
  EXPECT_FALSE(open.results[2].__isset.person);
  EXPECT_EQ(open.results[3].status, rpc::LocateStatus::REFUSED);  // debtor of another case
  EXPECT_EQ(open.results[4].status, rpc::LocateStatus::INVALID_ID);

  // Closed case: refused outright, even for its own debtor.
  EXPECT_EQ(ErrorCodeOf([&] { CourtLocate(court, kClosedCase, {IdNumber(3)}); }),
            rpc::ErrorCode::PERMISSION_DENIED);
  // Unknown case and no case at all: refused.
  EXPECT_EQ(ErrorCodeOf([&] { CourtLocate(court, "(2099)鄂0102执404号", {IdNumber(0)}); }),
            rpc::ErrorCode::PERMISSION_DENIED);
  rpc::LocateRequest none;
  none.ids = {IdNumber(0)};
  rpc::LocateResponse out;
  EXPECT_EQ(ErrorCodeOf([&] { court->locate(out, court.token, none); }),
            rpc::ErrorCode::PERMISSION_DENIED);
  // The other case locates its own debtor.
  auto other = CourtLocate(court, kOtherCase, {IdNumber(4), IdNumber(0)});
  EXPECT_EQ(other.results[0].status, rpc::LocateStatus::FOUND);
  EXPECT_EQ(other.results[1].status, rpc::LocateStatus::REFUSED);

  // Every one of those calls is in the audit log with its purpose and outcome.
  Client admin = SignIn(server->port(), "admin");
  rpc::AuditQuery q;
  q.__set_user("court_executor");
  q.__set_method("locate");
  q.limit = 100;
  std::vector<rpc::AuditEntry> entries;
  admin->auditQuery(entries, admin.token, q);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].purpose, kOpenCase);
  EXPECT_EQ(entries[0].outcome, "OK");
  EXPECT_EQ(entries[0].result_count, 2);
  EXPECT_NE(entries[0].detail.find("refused=2"), std::string::npos) << entries[0].detail;
  EXPECT_EQ(entries[1].purpose, kClosedCase);
  EXPECT_EQ(entries[1].outcome, "PERMISSION_DENIED");
  EXPECT_NE(entries[1].detail.find("closed"), std::string::npos);
  EXPECT_EQ(entries[3].outcome, "PERMISSION_DENIED");
  EXPECT_EQ(entries[4].purpose, kOtherCase);
  EXPECT_EQ(entries[4].params_digest.size(), 64u);
  EXPECT_NE(entries[0].params_digest, entries[4].params_digest);
}

TEST(AuditTest, EveryCallIsLoggedAndChained) {
  auto city = TestCity::Create();
  auto server = StartServer(city.get());
  Client c = Connect(server->port());
  rpc::Health h;
  EXPECT_EQ(ErrorCodeOf([&] { c->health(h, "bogus"); }), rpc::ErrorCode::UNAUTHENTICATED);
  rpc::Session s;
  EXPECT_EQ(ErrorCodeOf([&] { c->authenticate(s, "analyst", "wrong"); }),
            rpc::ErrorCode::UNAUTHENTICATED);
  Client analyst = SignIn(server->port(), "analyst");
  analyst->health(h, analyst.token);
  rpc::AuditVerifyResult v;
  EXPECT_EQ(ErrorCodeOf([&] { analyst->auditVerify(v, analyst.token); }),
            rpc::ErrorCode::PERMISSION_DENIED);

  Client admin = SignIn(server->port(), "admin");
  rpc::AuditQuery q;
  q.limit = 0;
  std::vector<rpc::AuditEntry> e;
  admin->auditQuery(e, admin.token, q);
  // health(bogus), authenticate(wrong), authenticate(analyst), health, auditVerify,
  // authenticate(admin)
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].method, "health");
  EXPECT_EQ(e[0].outcome, "UNAUTHENTICATED");
  EXPECT_EQ(e[1].method, "authenticate");
  EXPECT_EQ(e[1].user, "analyst");
  EXPECT_EQ(e[1].outcome, "UNAUTHENTICATED");
  EXPECT_EQ(e[4].method, "auditVerify");
  EXPECT_EQ(e[4].outcome, "PERMISSION_DENIED");
  EXPECT_EQ(e[4].role, "analyst");
  for (size_t i = 1; i < e.size(); ++i) EXPECT_EQ(e[i].prev_hash, e[i - 1].hash);
  admin->auditVerify(v, admin.token);
  EXPECT_TRUE(v.ok);
  EXPECT_GE(v.entries, 6);
}

// Finds the raw RocksDB key under which the audit entry `seq` is stored (any
// column family), so the test can tamper below the Database API.
void TamperRaw(const std::string& dir, const std::string& value, const std::string* replacement) {
  std::vector<std::string> cf_names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &cf_names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : cf_names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, cfs, &handles, &raw).ok());
  int found = 0;
  for (auto* h : handles) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), h));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->value().ToString() != value) continue;
      ++found;
      std::string key = it->key().ToString();
      if (replacement) {
        ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), h, key, *replacement).ok());
      } else {
        ASSERT_TRUE(raw->Delete(rocksdb::WriteOptions(), h, key).ok());
      }
    }
  }
  EXPECT_EQ(found, 1);
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}

int AuditVerifyCli(const std::string& dir, std::string* output) {
  std::string args = "audit verify --db '";
  args.append(dir).append("'");
  return RunCitygraph(args, output);
}

TEST(AuditTest, VerifyCatchesEditedAndDeletedEntries) {
  auto city = TestCity::Create();
  {
    auto server = StartServer(city.get());
    for (int i = 0; i < 4; ++i) {
      Client c = SignIn(server->port(), "investigator");
      rpc::Health h;
      c->health(h, c.token);
    }
    server->Stop();
  }
  auto store = MakeDatabaseAuditStore(city->db());
  auto report = VerifyAudit(*store);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->ok());
  ASSERT_GE(report->entries, 8u);
  std::string entry3 = *store->Get(AuditEntryKey(3));
  std::string entry6 = *store->Get(AuditEntryKey(6));
  city->Close();
  std::string out;
  ASSERT_EQ(AuditVerifyCli(city->dir(), &out), 0) << out;

  // Edit entry 3 (a refused call turned into a successful one) below the API.
  auto edited = DecodeAuditEntry(entry3);
  ASSERT_TRUE(edited.ok());
  edited->record.user = "someone_else";
  std::string edited_value = EncodeAuditEntry(*edited);
  TamperRaw(city->dir(), entry3, &edited_value);
  EXPECT_EQ(AuditVerifyCli(city->dir(), &out), 3) << out;
  EXPECT_NE(out.find("entry 3 changed"), std::string::npos) << out;

  // Delete entry 6.
  TamperRaw(city->dir(), entry6, nullptr);
  EXPECT_EQ(AuditVerifyCli(city->dir(), &out), 3) << out;
  EXPECT_NE(out.find("entry 3 changed"), std::string::npos) << out;
  EXPECT_NE(out.find("entry 6 removed"), std::string::npos) << out;
}

}  // namespace
}  // namespace citygraph::api::testing
