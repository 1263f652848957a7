// Rules and ranking files, pasted-number splitting and the CSV/table printers.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "citygraph/query/conflicts.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/render.h"

namespace citygraph::query {
namespace {

TEST(ConflictRulesTest, DefaultFileEqualsBuiltInDefault) {
  auto r = ConflictRules::ReadFile(std::string(CITYGRAPH_QUERY_DIR) + "/rules/dibao.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ConflictRules d = ConflictRules::Default();
  EXPECT_EQ(r->program, d.program);
  ASSERT_EQ(r->rules.size(), d.rules.size());
  for (size_t i = 0; i < d.rules.size(); ++i) {
    EXPECT_EQ(r->rules[i].id, d.rules[i].id);
    EXPECT_EQ(r->rules[i].edge, d.rules[i].edge);
    EXPECT_EQ(r->rules[i].target, d.rules[i].target);
    EXPECT_EQ(r->rules[i].min_count, d.rules[i].min_count);
    EXPECT_EQ(r->rules[i].where, d.rules[i].where);
    EXPECT_EQ(r->rules[i].active, d.rules[i].active);
    EXPECT_EQ(r->rules[i].description, d.rules[i].description);
  }
}

TEST(ConflictRulesTest, ErrorsNameTheRuleAndField) {
  auto r = ConflictRules::Parse("rules:\n  - id: a\n    target: House\n", "f.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("f.yaml: rule 1 ('a')"), std::string::npos);
  EXPECT_NE(r.status().message().find("'edge'"), std::string::npos);

  r = ConflictRules::Parse("rules:\n  - {id: a, edge: OWNS, target: House, min_count: zero}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("min_count"), std::string::npos);

  r = ConflictRules::Parse("rules: [\n", "bad.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.yaml: line"), std::string::npos);

  r = ConflictRules::Parse(
      "rules:\n  - {id: a, edge: OWNS, target: House}\n"
      "  - {id: a, edge: OWNS, target: Vehicle}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate"), std::string::npos);
}

TEST(ConflictRulesTest, ValidateChecksNamesAgainstTheSchema) {
  auto schema = Schema::ReadFile(CITYGRAPH_SCHEMA_FILE);
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(ConflictRules::Default().Validate(**schema).ok());
  auto r = ConflictRules::Parse("rules:\n  - {id: x, edge: OWNS, target: Castle}\n");
  ASSERT_TRUE(r.ok());
  Status s = r->Validate(**schema);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("Castle"), std::string::npos);
  r = ConflictRules::Parse("rules:\n  - {id: x, edge: OWNS, target: Business}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Validate(**schema).code(), StatusCode::kInvalidArgument);
  r = ConflictRules::Parse(
      "rules:\n  - {id: x, edge: LEGAL_REP, target: Business, where: {colour: red}}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->Validate(**schema).message().find("colour"), std::string::npos);
}

TEST(RankingConfigTest, DefaultFileEqualsBuiltInDefault) {
  auto r = RankingConfig::ReadFile(std::string(CITYGRAPH_QUERY_DIR) + "/ranking/locate.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  RankingConfig d = RankingConfig::Default();
  EXPECT_EQ(r->half_life_days, d.half_life_days);
  EXPECT_EQ(r->max_candidates, d.max_candidates);
  EXPECT_EQ(r->aggregate_sum, d.aggregate_sum);
  EXPECT_EQ(r->reliability, d.reliability);
  EXPECT_EQ(r->decays, d.decays);
  EXPECT_EQ(r->default_reliability, d.default_reliability);
}

TEST(RankingConfigTest, RejectsBadValues) {
  EXPECT_FALSE(RankingConfig::Parse("half_life_days: 0\n").ok());
  EXPECT_FALSE(RankingConfig::Parse("kinds: {home_visit: 1.5}\n").ok());
  EXPECT_FALSE(RankingConfig::Parse("aggregate: mean\n").ok());
  auto r = RankingConfig::Parse(
      "kinds: {home_visit: 0.7, utility: {reliability: 0.4, decays: false}}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->Reliability("home_visit"), 0.7);
  EXPECT_FALSE(r->Decays("utility"));
  EXPECT_DOUBLE_EQ(r->Reliability("unknown_kind"), r->default_reliability);
}

TEST(SplitIdListTest, AcceptsWhatUsersPaste) {
  auto ids = SplitIdList(
      "身份证号\n420106198001010015\r\n 4201 0619 8202 020025 ,42010619920328027x\n"
      "# comment\n\n420106800101001;４２０１\n");
  std::vector<std::string> want = {"420106198001010015", "4201 0619 8202 020025",
                                   "42010619920328027x", "420106800101001", "４２０１"};
  EXPECT_EQ(ids, want);
}

TEST(RenderTest, CsvQuotesAndTextAligns) {
  Table t{{"a", "b"}, {{"x,y", "say \"hi\""}, {"张三", "1"}}};
  EXPECT_EQ(RenderCsv(t), "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n张三,1\n");
  std::string text = RenderText(t);
  // Column b starts at the same display column on every line ("张三" is 4 wide).
  EXPECT_NE(text.find("a     b\n"), std::string::npos) << text;
  EXPECT_NE(text.find("张三  1\n"), std::string::npos) << text;
}

TEST(RenderTest, TruncationJson) {
  Truncation t;
  t.Set(TruncationReason::kMaxRows, "stopped");
  t.Set(TruncationReason::kDeadline, "later");  // the first reason wins
  auto j = ToJson(t);
  EXPECT_EQ(j["truncated"], true);
  EXPECT_EQ(j["reason"], "max_rows");
  EXPECT_EQ(j["detail"], "stopped");
}

}  // namespace
}  // namespace citygraph::query
