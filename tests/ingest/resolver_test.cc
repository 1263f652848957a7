// Entity resolution rules: homonyms with different valid identity numbers
// stay apart; a keyless record is merged with an explanation; a candidate
// between the thresholds is recorded for review, not merged.
#include "citygraph/ingest/resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "citygraph/ingest/ingester.h"
#include "people_fixture.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

using testing::IdNumber;
using testing::TempDir;

TEST(PersonIndexTest, ScoresFollowFellegiSunterWeights) {
  PersonIndex index;
  ResolutionConfig c;
  index.Add(7, MatchRecord{"张伟", 100, "男", "地址1", "13900000001"});
  MatchOutcome o = index.Resolve(MatchRecord{"张伟", 100, "", "地址1", ""}, c);
  EXPECT_EQ(o.decision, MatchDecision::kMerged);
  EXPECT_EQ(o.candidate, 7u);
  double expected = std::log2(c.name.m / c.name.u) + std::log2(c.birth_date.m / c.birth_date.u) +
                    std::log2(c.address.m / c.address.u);
  EXPECT_NEAR(o.score, expected, 1e-9);
  ASSERT_EQ(o.fields.size(), 3u);
  EXPECT_EQ(o.fields[0].field, "name");
  EXPECT_TRUE(o.fields[0].agree);
  // Nothing shares a block with this record: no candidate at all.
  EXPECT_EQ(index.Resolve(MatchRecord{"李娜", 5, "", "别处", ""}, c).candidate, kNoVertex);
}

TEST(TextHashTest, DistinctTextsGetDistinctHashes) {
  // Every length around the eight-byte steps, texts that differ in one byte
  // at every position, a trailing zero byte, and the seed.
  std::set<uint64_t> seen;
  size_t n = 0;
  for (size_t len = 0; len <= 40; ++len) {
    std::string base(len, 'a');
    seen.insert(TextHash(base));
    ++n;
    for (size_t i = 0; i < len; ++i) {
      std::string t = base;
      t[i] = 'b';
      seen.insert(TextHash(t));
      ++n;
    }
  }
  EXPECT_EQ(seen.size(), n);
  EXPECT_NE(TextHash(std::string_view("ab", 2)), TextHash(std::string_view("ab\0", 3)));
  EXPECT_NE(TextHash("420106199001010117", 1), TextHash("420106199001010117", 2));
  std::string s = "武汉市江岸区某路1号";
  EXPECT_EQ(TextHash(s, 5), TextHash(std::string(s), 5));
}

TEST(TextHashTest, ManyIdentityNumbersDoNotCollide) {
  std::set<uint64_t> seen;
  for (uint32_t i = 0; i < 200000; ++i) {
    char id[19];
    std::snprintf(id, sizeof id, "4201061990%08u", i);
    seen.insert(TextHash(id));
  }
  EXPECT_EQ(seen.size(), 200000u);
}

TEST(PersonIndexTest, TwoEquallyGoodCandidatesAreNotMerged) {
  PersonIndex index;
  ResolutionConfig c;
  index.Add(1, MatchRecord{"张伟", 100, "男", "地址1", ""});
  index.Add(2, MatchRecord{"张伟", 100, "男", "地址2", ""});
  // Name + birth date only: both homonyms score the same.
  MatchOutcome o = index.Resolve(MatchRecord{"张伟", 100, "男", "", ""}, c);
  EXPECT_NE(o.decision, MatchDecision::kMerged);
}

class ResolutionIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = IdNumber("19900101", 11);
    b_ = IdNumber("19900101", 13);  // a different valid id, same birth date
    f_ = IdNumber("19850505", 22);
    std::string rows = std::string(testing::kPeopleHeader) + a_ +
                       ",张伟,1990-01-01,武汉市A路1号,13900000001,H1,2020-01-01,1\n" +  // 2
                       b_ +
                       ",张伟,1990-01-01,武汉市B路2号,13900000002,H2,2020-01-01,1\n" +  // 3 homonym
                       f_ + ",王芳,1985-05-05,武汉市C路3号,13900000003,H3,2020-01-01,1\n" +  // 4
                       ",张伟,1990-01-01,武汉市A路1号,,H4,2021-01-01,1\n" +  // 5 keyless -> a_
                       ",李娜,,武汉市D路4号,,H5,2021-01-01,1\n" +            // 6 keyless, nobody
                       ",王芳,1986-02-02,武汉市C路3号,,H6,2021-01-01,1\n";   // 7 between thresholds
    testing::WriteFile(dir_ / "people.csv", rows);
    mapping_ = testing::MustMapping(testing::PeopleMapping(), dir_.path());
    db_ = testing::NewDb(dir_ / "db");
    auto r = Ingest(db_.get(), {mapping_}, IngestOptions{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    report_ = *r;
    snap_ = db_->GetSnapshot();
    id_kind_ = *snap_->schema().FindKeyKind("id_number");
    sid_ = report_.sources[0].source;
  }

  VertexId Owner(const std::string& cert) {
    auto h = snap_->FindByKey(*snap_->schema().FindKeyKind("cert_no"), cert);
    EXPECT_TRUE(h.ok());
    for (const AdjEntry& e : snap_->in_edges(*h)) return e.nbr;
    return kNoVertex;
  }

  nlohmann::json Aux(const std::string& ns, uint32_t line) {
    auto v = db_->GetAux(ns, std::to_string(sid_) + ":" + std::to_string(line));
    EXPECT_TRUE(v.ok()) << ns << " line " << line << ": " << v.status().ToString();
    return v.ok() ? nlohmann::json::parse(*v) : nlohmann::json();
  }

  TempDir dir_;
  std::string a_, b_, f_;
  Mapping mapping_;
  std::unique_ptr<Database> db_;
  QualityReport report_;
  std::shared_ptr<const Snapshot> snap_;
  KeyKindId id_kind_ = 0;
  SourceId sid_ = 0;
};

TEST_F(ResolutionIngestTest, HomonymsWithDifferentValidIdsAreNeverMerged) {
  auto va = snap_->FindByKey(id_kind_, a_);
  auto vb = snap_->FindByKey(id_kind_, b_);
  ASSERT_TRUE(va.ok());
  ASSERT_TRUE(vb.ok());
  EXPECT_NE(*va, *vb);
  EXPECT_EQ(Owner("H1"), *va);
  EXPECT_EQ(Owner("H2"), *vb);
  // Records with a valid key get no probabilistic explanation.
  EXPECT_FALSE(db_->GetAux("er.match", std::to_string(sid_) + ":2").ok());
}

TEST_F(ResolutionIngestTest, KeylessRecordMergedWithExplanation) {
  VertexId va = *snap_->FindByKey(id_kind_, a_);
  EXPECT_EQ(Owner("H4"), va);
  nlohmann::json j = Aux("er.match", 5);
  EXPECT_EQ(j["vertex"], va);
  EXPECT_EQ(j["label"], "Person");
  EXPECT_EQ(j["decision"], "merged");
  EXPECT_GE(j["score"].get<double>(), mapping_.resolution.upper);
  bool name_agrees = false, address_agrees = false;
  for (const auto& f : j["fields"]) {
    if (f["field"] == "name") name_agrees = f["agree"];
    if (f["field"] == "address") address_agrees = f["agree"];
    EXPECT_TRUE(f.contains("weight"));
  }
  EXPECT_TRUE(name_agrees);
  EXPECT_TRUE(address_agrees);
  EXPECT_EQ(report_.Totals().matched, 1u);
}

TEST_F(ResolutionIngestTest, KeylessRecordMatchingNobodyBecomesUnresolvedPerson) {
  VertexId v = Owner("H5");
  ASSERT_NE(v, kNoVertex);
  const Schema& s = snap_->schema();
  LabelId person = *s.FindLabel("Person");
  EXPECT_EQ(snap_->label(v), person);
  EXPECT_EQ(ValueToString(snap_->property(v, *s.FindVertexProperty(person, "unresolved"))), "true");
  EXPECT_TRUE(snap_->keys(v).empty());
  nlohmann::json j = Aux("er.match", 6);
  EXPECT_EQ(j["decision"], "new");
  EXPECT_EQ(j["vertex"], v);
}

TEST_F(ResolutionIngestTest, BetweenThresholdCandidateRecordedForReview) {
  VertexId vf = *snap_->FindByKey(id_kind_, f_);
  VertexId v = Owner("H6");
  EXPECT_NE(v, vf);  // not merged
  nlohmann::json j = Aux("er.review", 7);
  EXPECT_EQ(j["decision"], "possible");
  EXPECT_EQ(j["candidate"], vf);
  EXPECT_EQ(j["vertex"], v);
  double score = j["score"];
  EXPECT_GE(score, mapping_.resolution.lower);
  EXPECT_LT(score, mapping_.resolution.upper);
  EXPECT_EQ(report_.Totals().review, 1u);
  EXPECT_EQ(report_.Totals().unresolved, 2u);
}

TEST_F(ResolutionIngestTest, ReingestKeepsDecisionsAndIds) {
  size_t vertices = snap_->num_vertices(), edges = snap_->num_edges();
  auto again = Ingest(db_.get(), {mapping_}, IngestOptions{});
  ASSERT_TRUE(again.ok());
  auto snap = db_->GetSnapshot();
  EXPECT_EQ(snap->num_vertices(), vertices);
  EXPECT_EQ(snap->num_edges(), edges);
  EXPECT_EQ(again->Totals().matched, report_.Totals().matched);
  EXPECT_EQ(again->Totals().unresolved, report_.Totals().unresolved);
  EXPECT_EQ(again->Totals().review, report_.Totals().review);
}

}  // namespace
}  // namespace citygraph::ingest
