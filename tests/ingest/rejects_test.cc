// Every kind of malformed row is rejected with file, line, column, raw value
// and reason; it is never loaded and never stops the run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/report.h"
#include "citygraph/ingest/source_file.h"
#include "people_fixture.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

struct Row {
  std::string file, line, column, raw, kind, reason;
};

std::map<int, Row> ReadRejects(const std::string& path) {
  std::map<int, Row> out;
  std::string text = testing::ReadFile(path);
  size_t pos = text.find('\n') + 1;  // header
  while (pos < text.size()) {
    // Records may contain quoted line breaks: find the record end by quotes.
    bool in_q = false;
    size_t end = pos;
    for (; end < text.size(); ++end) {
      if (text[end] == '"') in_q = !in_q;
      if (text[end] == '\n' && !in_q) break;
    }
    std::vector<std::string> f;
    EXPECT_TRUE(SplitFields(text.substr(pos, end - pos), ',', '"', &f).ok());
    EXPECT_EQ(f.size(), 6u);
    if (f.size() == 6) out[std::stoi(f[1])] = Row{f[0], f[1], f[2], f[3], f[4], f[5]};
    pos = end + 1;
  }
  return out;
}

TEST(RejectsTest, EachMalformedRowIsReportedAndNotLoaded) {
  TempDir dir;
  std::string good = testing::IdNumber("19900101", 11);
  std::string bad = testing::BadCheck(testing::IdNumber("19900102", 13));
  std::string rows =
      std::string(testing::kPeopleHeader) + good +
      ",张三,1990-01-01,武汉市A,13912345678,H1,2020-01-01,0.5\n" +          // 2 ok
      good + ",张三,1990-01-01\n" +                                         // 3 column_count
      "\"" + good + "\"x,张三,1990-01-01,,,,,\n" +                          // 4 bad_quoting
      testing::IdNumber("19900103", 15) + ",王五,2019年2月30日,,,,,\n" +    // 5 bad_value
      bad + ",赵六,1990-01-02,,,,,\n" +                                     // 6 invalid_key
      testing::IdNumber("19900104", 17) + ",钱七,,,,H2,2020-01-01,1.5\n" +  // 7 rule
      testing::IdNumber("19900105", 19) + ", ,,,,,,\n" +                    // 8 missing_value
      testing::IdNumber("19900106", 21) + ",孙八,,,12345,,,\n" +            // 9 bad_value (phone)
      good + ",张三,1990-01-01,武汉市A,13912345678,H1,2020-01-01,0.5\n";    // 10 duplicate of 2
  testing::WriteFile(dir / "people.csv", rows);
  Mapping m = testing::MustMapping(testing::PeopleMapping(), dir.path());
  auto db = testing::NewDb(dir / "db");
  RejectWriter rejects;
  ASSERT_TRUE(rejects.Open(dir / "rejects.csv").ok());
  IngestOptions opt;
  opt.rejects = &rejects;
  auto r = Ingest(db.get(), {m}, opt);
  ASSERT_TRUE(rejects.Close().ok());
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  auto got = ReadRejects(dir / "rejects.csv");
  ASSERT_EQ(got.size(), 7u);
  for (const auto& [line, row] : got) EXPECT_EQ(row.file, dir / "people.csv") << line;
  EXPECT_EQ(got[3].kind, "column_count");
  EXPECT_THAT(got[3].reason, HasSubstr("expected 8 fields, found 3"));
  EXPECT_EQ(got[3].raw, good + ",张三,1990-01-01");
  EXPECT_EQ(got[4].kind, "bad_quoting");
  EXPECT_EQ(got[5].kind, "bad_value");
  EXPECT_EQ(got[5].column, "出生日期");
  EXPECT_EQ(got[5].raw, "2019年2月30日");
  EXPECT_EQ(got[6].kind, "invalid_key");
  EXPECT_EQ(got[6].column, "身份证号");
  EXPECT_EQ(got[6].raw, bad);
  EXPECT_THAT(got[6].reason, HasSubstr("check"));
  EXPECT_EQ(got[7].kind, "rule");
  EXPECT_EQ(got[7].column, "份额");
  EXPECT_EQ(got[7].raw, "1.5");
  EXPECT_EQ(got[8].kind, "missing_value");
  EXPECT_EQ(got[8].column, "姓名");
  EXPECT_EQ(got[9].kind, "bad_value");
  EXPECT_EQ(got[9].column, "电话");
  EXPECT_EQ(got[9].raw, "12345");

  QualityCounts t = r->Totals();
  EXPECT_EQ(t.rows, 9u);
  EXPECT_EQ(t.rejected, 7u);
  EXPECT_EQ(t.loaded, 2u);
  EXPECT_EQ(t.duplicates, 1u);
  EXPECT_EQ(t.invalid_keys, 1u);
  EXPECT_EQ(t.rejects_by_reason.at("bad_value"), 2u);
  // Only the good row's person and house exist.
  auto snap = db->GetSnapshot();
  EXPECT_EQ(snap->num_vertices(), 2u);
  EXPECT_EQ(snap->num_edges(), 1u);
  // The report renders both ways.
  EXPECT_THAT(r->ToJson(), HasSubstr("\"column_count\": 1"));
  EXPECT_THAT(r->ToTable(), HasSubstr("people.csv"));
}

TEST(RejectsTest, MissingKeyRejectedWhenPolicyIsReject) {
  TempDir dir;
  testing::WriteFile(dir / "people.csv",
                     std::string(testing::kPeopleHeader) + ",张三,1990-01-01,武汉市A,,,,\n");
  Mapping m = testing::MustMapping(testing::PeopleMapping("reject"), dir.path());
  auto db = testing::NewDb(dir / "db");
  RejectWriter rejects;
  ASSERT_TRUE(rejects.Open(dir / "rejects.jsonl").ok());
  IngestOptions opt;
  opt.rejects = &rejects;
  auto r = Ingest(db.get(), {m}, opt);
  ASSERT_TRUE(rejects.Close().ok());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Totals().rejects_by_reason.at("missing_key"), 1u);
  EXPECT_EQ(r->Totals().missing_keys, 1u);
  std::string text = testing::ReadFile(dir / "rejects.jsonl");
  EXPECT_THAT(text, HasSubstr("\"kind\":\"missing_key\""));
  EXPECT_THAT(text, HasSubstr("\"line\":2"));
  EXPECT_THAT(text, HasSubstr("\"column\":\"身份证号\""));
  EXPECT_EQ(db->GetSnapshot()->num_vertices(), 0u);
}

}  // namespace
}  // namespace citygraph::ingest
