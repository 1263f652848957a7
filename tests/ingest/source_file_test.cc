// Reading department files: encodings, CSV quoting, unreadable files.
#include "citygraph/ingest/source_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "citygraph/ingest/ingester.h"
#include "iconv_util.h"
#include "people_fixture.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

// UTF-8 -> GB18030 with glibc iconv (the test's own encoder).
std::string ToGb18030(const std::string& utf8) {
  std::optional<std::string> out = testing::Iconv(utf8, "UTF-8", "GB18030");
  EXPECT_TRUE(out.has_value());
  return out.value_or("");
}

TEST(SplitFieldsTest, QuotingFollowsRfc4180) {
  std::vector<std::string> f;
  ASSERT_TRUE(SplitFields(R"(a,"b,c","say ""hi""",,)", ',', '"', &f).ok());
  EXPECT_THAT(f, ElementsAre("a", "b,c", "say \"hi\"", "", ""));
  ASSERT_TRUE(SplitFields("x\ty", '\t', '\0', &f).ok());
  EXPECT_THAT(f, ElementsAre("x", "y"));
  EXPECT_THAT(SplitFields(R"(a,"open)", ',', '"', &f).message(), HasSubstr("unterminated quote"));
  EXPECT_THAT(SplitFields(R"("a"b,c)", ',', '"', &f).message(),
              HasSubstr("after the closing quote"));
}

TEST(SplitFieldsTest, ViewsAreTheSameFields) {
  std::vector<std::string> want;
  std::vector<std::string_view> got;
  std::string unquoted = "stale";
  for (std::string_view text :
       {R"(a,"b,c","say ""hi""",,)", R"("x""y","""",z,"p""q""r")", R"("",)", ",", "", "abc",
        R"(a"b,c)", R"("a""b)", R"("a"b,c)", R"(a,"open)"}) {
    Status w = SplitFields(text, ',', '"', &want);
    Status g = SplitFieldViews(text, ',', '"', &got, &unquoted);
    ASSERT_EQ(g.ok(), w.ok()) << text;
    if (!w.ok()) {
      EXPECT_EQ(g.message(), w.message()) << text;
      continue;
    }
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << text << " field " << i;
  }
  ASSERT_TRUE(SplitFieldViews("x\ty\t", '\t', '\0', &got, &unquoted).ok());
  EXPECT_THAT(got, ElementsAre("x", "y", ""));
}

// The column values the full JSON parser gives (ExtractJsonFields' contract),
// or nullopt where it finds no JSON object.
std::optional<std::vector<std::string>> ParsedByNlohmann(std::string_view text, const Mapping& m) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  std::vector<std::string> values(m.columns.size());
  for (size_t c = 0; c < m.columns.size(); ++c) {
    auto it = j.find(m.columns[c].name);
    if (it == j.end() || it->is_null()) continue;
    values[c] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return values;
}

TEST(ExtractJsonFieldsTest, FlatAndOtherRecordsGiveTheParsersValues) {
  Mapping m;
  for (const char* name : {"hphm", "syr", "n", "b", "x"}) {
    ColumnSpec c;
    c.name = name;
    m.columns.push_back(c);
  }
  const std::string records[] = {
      R"({"hphm":"鄂A12345","syr":"林艳","n":42,"b":true,"x":null,"other":"z"})",
      R"(  { "syr" : "a b" , "n" : 0 }  )",
      R"({})",
      R"({"n":-3})",
      R"({"n":-0})",
      R"({"n":1.50})",
      R"({"n":1e3})",
      R"({"n":0123})",
      R"({"n":12345678901234567890123})",
      R"({"n":123456789012345678})",
      R"({"b":false,"x":"null"})",
      R"({"syr":"say \"hi\" \u5f20"})",
      R"({"syr":"a\tb"})",
      "{\"syr\":\"a\tb\"}",
      "{\"syr\":\"\xE5\xBC\"}",
      "{\"syr\":\"\xFF\"}",
      "{\"syr\":\"\xED\xA0\x80\"}",      // a surrogate
      "{\"syr\":\"\xC0\xAF\"}",          // an overlong form
      "{\"syr\":\"\xF0\x9F\x98\x80\"}",  // four bytes, valid
      R"({"syr":"a","syr":"b"})",
      R"({"other":"a","other":"b","syr":"c"})",
      R"({"n":{"a":1},"syr":"d"})",
      R"({"n":[1,2]})",
      R"({"syr":"a",})",
      R"({"syr":"a"} x)",
      R"({"syr":"a")",
      R"({"n":nul})",
      R"({"n":truex})",
      R"({"n":12x})",
      R"(["not","an","object"])",
      R"("text")",
      "",
      "not json"};
  for (const std::string& text : records) {
    std::optional<std::vector<std::string>> want = ParsedByNlohmann(text, m);
    std::vector<std::string> got = {"stale"};
    Status s = ExtractJsonFields(text, m, &got);
    ASSERT_EQ(s.ok(), want.has_value()) << text << ": " << s.ToString();
    if (want.has_value()) {
      EXPECT_EQ(got, *want) << text;
    }
  }
}

TEST(SourceFileTest, Gb18030FileLoadsWithChineseNames) {
  TempDir dir;
  std::string id = testing::IdNumber("19800203", 21);
  std::string utf8 = std::string(testing::kPeopleHeader) + id +
                     ",欧阳娜娜,1980年2月3日,武汉市武昌区中南路１号,13912345678,鄂(2016)"
                     "武汉市不动产权第0000001号,2016年7月9日,1.00\n";
  testing::WriteFile(dir / "people.csv", ToGb18030(utf8));
  std::string yaml = testing::PeopleMapping();
  yaml.replace(yaml.find("utf-8"), 5, "gb18030");
  Mapping m = testing::MustMapping(yaml, dir.path());
  auto db = testing::NewDb(dir / "db");
  auto r = Ingest(db.get(), {m}, IngestOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Totals().loaded, 1u);
  auto snap = db->GetSnapshot();
  const Schema& s = snap->schema();
  auto v = snap->FindByKey(*s.FindKeyKind("id_number"), id);
  ASSERT_TRUE(v.ok());
  LabelId person = *s.FindLabel("Person");
  EXPECT_EQ(ValueToString(snap->property(*v, *s.FindVertexProperty(person, "name"))), "欧阳娜娜");
  EXPECT_EQ(ValueToString(snap->property(*v, *s.FindVertexProperty(person, "birth_date"))),
            "1980-02-03");
  auto h = snap->FindByKey(*s.FindKeyKind("cert_no"), "鄂(2016)武汉市不动产权第0000001号");
  ASSERT_TRUE(h.ok());
  LabelId house = *s.FindLabel("House");
  EXPECT_EQ(ValueToString(snap->property(*h, *s.FindVertexProperty(house, "address"))),
            "武汉市武昌区中南路1号");  // full-width digit normalised
}

TEST(SourceFileTest, WrongEncodingIsAFileErrorAndLoadsNothing) {
  TempDir dir;
  std::string utf8 = std::string(testing::kPeopleHeader) + testing::IdNumber("19800203", 21) +
                     ",欧阳娜娜,1980-02-03,武汉市,,,2016-07-09,1\n";
  testing::WriteFile(dir / "people.csv", ToGb18030(utf8));  // but declared UTF-8
  Mapping m = testing::MustMapping(testing::PeopleMapping(), dir.path());
  auto db = testing::NewDb(dir / "db");
  auto r = Ingest(db.get(), {m}, IngestOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr(dir / "people.csv"));
  EXPECT_THAT(r.status().message(), HasSubstr("not valid utf-8"));
  EXPECT_EQ(db->GetSnapshot()->num_vertices(), 0u);
}

TEST(SourceFileTest, MissingFileIsNamed) {
  TempDir dir;
  Mapping m = testing::MustMapping(testing::PeopleMapping(), dir.path());
  auto f = SourceFile::Open(m);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(f.status().message(), HasSubstr(dir / "people.csv"));
}

TEST(SourceFileTest, JsonLinesFileThatIsNotJsonIsRefused) {
  TempDir dir;
  testing::WriteFile(dir / "v.jsonl", "hphm,syr\n鄂A12345,张三\n");
  std::string yaml = R"(department: 车管所
file: v.jsonl
format: jsonl
columns: {hphm: [plate], syr: [name]}
vertices:
  - {as: v, label: Vehicle, key: {kind: plate, column: hphm}}
)";
  Mapping m = testing::MustMapping(yaml, dir.path());
  auto f = SourceFile::Open(m);
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("is not JSON Lines"));
  EXPECT_THAT(f.status().message(), HasSubstr("v.jsonl"));
}

TEST(SourceFileTest, LinesCountPhysicalLinesIncludingQuotedBreaks) {
  TempDir dir;
  testing::WriteFile(dir / "people.csv",
                     std::string(testing::kPeopleHeader) + ",\"张\n三\",,,,,,\n\n,李四,,,,,,\n");
  Mapping m = testing::MustMapping(testing::PeopleMapping(), dir.path());
  auto f = SourceFile::Open(m);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ((*f)->records().size(), 2u);
  EXPECT_EQ((*f)->records()[0].line, 2u);
  EXPECT_EQ((*f)->records()[1].line, 5u);  // line 4 is empty
}

}  // namespace
}  // namespace citygraph::ingest
