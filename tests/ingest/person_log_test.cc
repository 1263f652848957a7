// The person index's log for bulk loads (PersonIndex::Log, IndexLogged):
// resolving against logged records gives exactly what resolving against an
// index of every record gives, and a bulk load into an existing database
// resolves as an incremental one does.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/resolver.h"
#include "people_fixture.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

using testing::IdNumber;
using testing::TempDir;

// Records drawn from small pools, so that blocks overlap, names are one
// character apart and fields are often missing.
MatchRecord RandomRecord(std::mt19937* rng) {
  static const char* kNames[] = {"张伟", "张卫", "李娜", "王芳", "王方", ""};
  static const int32_t kBirths[] = {100, 101, 102, MatchRecord::kNoDate};
  static const char* kSexes[] = {"男", "女", ""};
  auto pick = [&](const auto& pool) {
    return pool[std::uniform_int_distribution<size_t>(0, std::size(pool) - 1)(*rng)];
  };
  auto numbered = [&](const char* prefix) {
    const int i = std::uniform_int_distribution<int>(0, 69)(*rng);
    return i >= 60 ? std::string() : prefix + std::to_string(i);
  };
  return MatchRecord{pick(kNames), pick(kBirths), pick(kSexes), numbered("A"), numbered("p")};
}

void ExpectSameOutcome(const MatchOutcome& want, const MatchOutcome& got, const std::string& at) {
  EXPECT_EQ(want.decision, got.decision) << at;
  EXPECT_EQ(want.candidate, got.candidate) << at;
  EXPECT_EQ(want.score, got.score) << at;  // same sums in the same order: bit-identical
  ASSERT_EQ(want.fields.size(), got.fields.size()) << at;
  for (size_t i = 0; i < want.fields.size(); ++i) {
    EXPECT_EQ(want.fields[i].field, got.fields[i].field) << at;
    EXPECT_EQ(want.fields[i].agree, got.fields[i].agree) << at;
    EXPECT_EQ(want.fields[i].weight, got.fields[i].weight) << at;
  }
}

TEST(PersonLogTest, ResolvesExactlyAsAnIndexOfEveryRecord) {
  ResolutionConfig c;
  c.max_block = 3;  // block order decides which candidates are seen
  c.upper = 12;
  c.lower = 6;
  size_t merged = 0, with_candidate = 0, partial = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    auto vertex = [&] { return std::uniform_int_distribution<VertexId>(0, 199)(rng); };
    PersonIndex all, logged;
    // Persons known before the load (LoadFrom adds them).
    for (int i = 0; i < 100; ++i) {
      const VertexId v = vertex();
      const MatchRecord r = RandomRecord(&rng);
      all.Add(v, r);
      logged.Add(v, r);
    }
    // The load's keyed records; one Add in the middle is logged too.
    for (int i = 0; i < 600; ++i) {
      const VertexId v = vertex();
      const MatchRecord r = RandomRecord(&rng);
      all.Add(v, r);
      if (i == 300) {
        logged.Add(v, r);
      } else {
        logged.Log(v, r, BlockKeysOf(r));
      }
    }
    // The keyless records, resolved in order; each is then added (to its
    // candidate or as a new person), and so is a keyed record of some
    // person: random, or sharing the blocks of a later keyless record.
    std::vector<MatchRecord> keyless;
    for (int i = 0; i < 10; ++i) keyless.push_back(RandomRecord(&rng));
    std::vector<const MatchRecord*> probes;
    for (const MatchRecord& r : keyless) probes.push_back(&r);
    logged.IndexLogged(probes);
    partial += logged.size() < all.size();
    for (size_t i = 0; i < keyless.size(); ++i) {
      const std::string at = "seed " + std::to_string(seed) + " keyless " + std::to_string(i);
      const MatchOutcome want = all.Resolve(keyless[i], c);
      ExpectSameOutcome(want, logged.Resolve(keyless[i], c), at);
      merged += want.decision == MatchDecision::kMerged;
      with_candidate += want.candidate != kNoVertex;
      const VertexId v = want.decision == MatchDecision::kMerged ? want.candidate
                                                                 : static_cast<VertexId>(1000 + i);
      all.Add(v, keyless[i]);
      logged.Add(v, keyless[i]);
      const VertexId k = vertex();
      MatchRecord r = RandomRecord(&rng);
      if (i % 2 == 0 && i + 1 < keyless.size()) {
        const MatchRecord& later = keyless[i + 1 + rng() % (keyless.size() - i - 1)];
        r.birth_date = later.birth_date;
        r.address = later.address;
        r.phone = later.phone;
      }
      all.Add(k, r);
      logged.Add(k, r);
    }
  }
  // The cases above happen: merges, candidates, persons left logged.
  EXPECT_GT(merged, 40u);
  EXPECT_GT(with_candidate, 400u);
  EXPECT_GT(partial, 20u);
}

TEST(PersonLogTest, IndexLoggedWithoutProbesOrRecords) {
  PersonIndex empty;
  empty.IndexLogged({});
  EXPECT_EQ(empty.size(), 0u);
  empty.Log(3, MatchRecord{"张伟", 100, "", "A1", ""}, BlockKeysOf({"张伟", 100, "", "A1", ""}));
  EXPECT_EQ(empty.size(), 1u);  // after IndexLogged, Log is Add
  PersonIndex logged;
  const MatchRecord r{"张伟", 100, "男", "A1", "p1"};
  logged.Log(7, r, BlockKeysOf(r));
  logged.IndexLogged({});
  EXPECT_EQ(logged.size(), 0u);  // nothing probes its blocks
  logged.Add(7, MatchRecord{"张卫", MatchRecord::kNoDate, "", "", ""});
  EXPECT_EQ(logged.size(), 1u);
}

// A bulk load into a database that already has persons resolves keyless
// rows as an incremental load (whose index has every record) does: the
// candidate found through the database's blocks also knows the load's
// records of it, and a candidate seen only in an earlier file is found.
TEST(PersonLogTest, BulkLoadIntoExistingDatabaseResolvesAsIncremental) {
  TempDir dir;
  const std::string a = IdNumber("19900101", 11), b = IdNumber("19850505", 22);
  const std::string header = testing::kPeopleHeader;
  testing::WriteFile(dir / "people.csv",
                     header + a + ",张伟,1990-01-01,武汉市A路1号,,H1,2020-01-01,1\n");
  // A's other name, with no blocking field; B, new in this load.
  testing::WriteFile(dir / "people2.csv", header + a + ",张卫,,,,H7,2021-01-01,1\n" + b +
                                              ",李娜,1985-05-05,武汉市D路4号,13900000004,H9,"
                                              "2021-01-01,1\n");
  testing::WriteFile(dir / "people3.csv", header +
                                              ",张卫,1990-01-01,武汉市A路1号,,H8,2022-01-01,1\n"
                                              ",李娜,,,13900000004,H10,2022-01-01,1\n");
  auto mapping = [&](const std::string& file) {
    std::string yaml = testing::PeopleMapping();
    yaml.replace(yaml.find("people.csv"), 10, file);
    return testing::MustMapping(yaml, dir.path());
  };
  const std::vector<Mapping> later = {mapping("people2.csv"), mapping("people3.csv")};
  std::vector<nlohmann::json> explanations[2];
  for (int incremental = 0; incremental < 2; ++incremental) {
    auto db = testing::NewDb(dir / ("db" + std::to_string(incremental)));
    ASSERT_TRUE(Ingest(db.get(), {mapping("people.csv")}, IngestOptions{}).ok());
    IngestOptions options;
    options.mode = incremental ? IngestMode::kIncremental : IngestMode::kBulk;
    auto report = Ingest(db.get(), later, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->Totals().matched, 2u);
    auto snap = db->GetSnapshot();
    const KeyKindId id = *snap->schema().FindKeyKind("id_number");
    const KeyKindId cert = *snap->schema().FindKeyKind("cert_no");
    auto owner = [&](const std::string& house) {
      auto h = snap->FindByKey(cert, house);
      EXPECT_TRUE(h.ok()) << house;
      for (const AdjEntry& e : snap->in_edges(*h)) return e.nbr;
      return kNoVertex;
    };
    EXPECT_EQ(owner("H8"), *snap->FindByKey(id, a));
    EXPECT_EQ(owner("H10"), *snap->FindByKey(id, b));
    const SourceId sid = report->sources[1].source;
    for (uint32_t line : {2u, 3u}) {
      auto v = db->GetAux("er.match", std::to_string(sid) + ":" + std::to_string(line));
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      explanations[incremental].push_back(nlohmann::json::parse(*v));
    }
    // 张卫 agrees exactly: the load's record of A's other name was compared.
    bool name_agrees = false;
    for (const auto& f : explanations[incremental][0]["fields"]) {
      if (f["field"] == "name") name_agrees = f["agree"];
    }
    EXPECT_TRUE(name_agrees) << explanations[incremental][0].dump();
  }
  EXPECT_EQ(explanations[0], explanations[1]);
}

}  // namespace
}  // namespace citygraph::ingest
