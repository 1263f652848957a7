// Mapping files with errors are refused, naming what is wrong, before
// anything is loaded.
#include "citygraph/ingest/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "people_fixture.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

using testing::CitySchema;
using ::testing::HasSubstr;
using testing::PeopleMapping;
using testing::TempDir;

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

Status ParseError(const std::string& yaml) {
  auto m = ParseMapping(yaml, "bad.yaml", *CitySchema());
  EXPECT_FALSE(m.ok());
  return m.ok() ? Status::OK() : m.status();
}

TEST(MappingTest, ValidMappingParses) {
  auto m = ParseMapping(PeopleMapping(), "people.yaml", *CitySchema(), "/data");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->file, "/data/people.csv");
  EXPECT_EQ(m->source_name, "people.csv");
  ASSERT_EQ(m->vertices.size(), 2u);
  EXPECT_EQ(m->vertices[0].on_missing, KeyPolicy::kResolve);
  EXPECT_EQ(m->vertices[1].on_missing, KeyPolicy::kSkip);
  ASSERT_EQ(m->edges.size(), 1u);
  EXPECT_EQ(m->edges[0].from, 0);
  EXPECT_EQ(m->edges[0].to, 1);
  EXPECT_EQ(m->columns.size(), 8u);
}

TEST(MappingTest, UnknownLabelIsNamed) {
  Status s = ParseError(Replace(PeopleMapping(), "label: House", "label: Houze"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown label 'Houze'"));
  EXPECT_THAT(s.message(), HasSubstr("bad.yaml"));
  EXPECT_THAT(s.message(), HasSubstr("vertices[1]"));
}

TEST(MappingTest, UnknownEdgeTypeIsNamed) {
  Status s = ParseError(Replace(PeopleMapping(), "type: OWNS", "type: OWNZ"));
  EXPECT_THAT(s.message(), HasSubstr("unknown edge type 'OWNZ'"));
}

TEST(MappingTest, UnknownPropertyIsNamed) {
  Status s = ParseError(Replace(PeopleMapping(), "birth_date: 出生日期}", "birthday: 出生日期}"));
  EXPECT_THAT(s.message(), HasSubstr("label Person has no property 'birthday'"));
}

TEST(MappingTest, UndeclaredColumnIsNamed) {
  Status s =
      ParseError(Replace(PeopleMapping(), "name: 姓名, birth_date", "name: 名字, birth_date"));
  EXPECT_THAT(s.message(), HasSubstr("column '名字' is not declared"));
}

TEST(MappingTest, UnknownNormaliserIsNamed) {
  Status s = ParseError(Replace(PeopleMapping(), "电话: [phone]", "电话: [fone]"));
  EXPECT_THAT(s.message(), HasSubstr("columns.电话"));
  EXPECT_THAT(s.message(), HasSubstr("fone"));
}

TEST(MappingTest, EdgeBetweenWrongLabelsIsRefused) {
  Status s = ParseError(Replace(PeopleMapping(), "type: OWNS", "type: MEMBER_OF"));
  EXPECT_THAT(s.message(), HasSubstr("MEMBER_OF does not link Person to House"));
}

TEST(MappingTest, UnknownKeyKindAndBadPolicyAreRefused) {
  EXPECT_THAT(ParseError(Replace(PeopleMapping(), "kind: cert_no", "kind: deed_no")).message(),
              HasSubstr("unknown key kind 'deed_no'"));
  EXPECT_THAT(ParseError(Replace(PeopleMapping(), "column: 房屋, missing: skip",
                                 "column: 房屋, missing: resolve"))
                  .message(),
              HasSubstr("Person vertices only"));
  EXPECT_THAT(ParseError(Replace(PeopleMapping(), "format: csv", "format: xlsx")).message(),
              HasSubstr("'xlsx' is not csv, tsv or jsonl"));
  EXPECT_THAT(ParseError(Replace(PeopleMapping(), "encoding: utf-8", "encoding: big5")).message(),
              HasSubstr("'big5'"));
}

TEST(MappingTest, InvalidYamlIsRefused) {
  auto m = ParseMapping("vertices: [unclosed", "broken.yaml", *CitySchema());
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("broken.yaml"));
}

TEST(MappingTest, MissingColumnInFileRefusedBeforeAnythingLoads) {
  TempDir dir;
  // A good file first, then a file lacking the declared column 电话: the run
  // must fail naming that file and column, with nothing of either loaded.
  testing::WriteFile(dir / "people.csv", std::string(testing::kPeopleHeader) +
                                             testing::IdNumber("19900101", 11) +
                                             ",张三,1990-01-01,武汉市,,H1,2020-01-01,1\n");
  testing::WriteFile(dir / "other/people.csv", "身份证号,姓名,出生日期,地址,房屋,起始,份额\n");
  auto db = testing::NewDb(dir / "db");
  Mapping good = testing::MustMapping(PeopleMapping(), dir.path());
  Mapping bad = testing::MustMapping(PeopleMapping(), dir / "other");
  auto r = Ingest(db.get(), {good, bad}, IngestOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("no column '电话'"));
  EXPECT_THAT(r.status().message(), HasSubstr("other/people.csv"));
  EXPECT_EQ(db->GetSnapshot()->num_vertices(), 0u);
}

TEST(MappingTest, GlobExpandsToOneSourcePerFile) {
  TempDir dir;
  testing::WriteFile(dir / "d/people_2.csv", testing::kPeopleHeader);
  testing::WriteFile(dir / "d/people_1.csv", testing::kPeopleHeader);
  Mapping m = testing::MustMapping(
      Replace(PeopleMapping(), "file: people.csv", "file: d/people_*.csv"), dir.path());
  auto files = ExpandFiles(m);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].source_name, "d/people_1.csv");
  EXPECT_EQ((*files)[1].source_name, "d/people_2.csv");
  Mapping none = testing::MustMapping(Replace(PeopleMapping(), "file: people.csv", "file: x/*.csv"),
                                      dir.path());
  EXPECT_EQ(ExpandFiles(none).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace citygraph::ingest
