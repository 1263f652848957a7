// Every key in the generated files is valid except the planted bad ones,
// malformed rows are exactly the rows a strict reader rejects, and
// truth/record_entities.csv names the entity each row is about.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "city_reader.h"

namespace citygraph::datagen::testing {
namespace {

struct FileSpec {
  std::string path;
  char sep;
  bool gb18030;
  std::vector<std::string> date_cols;
  std::string id_col;
  std::string credit_col;  // a column that always holds a credit code
};

std::vector<FileSpec> Specs(const std::string& dir) {
  std::vector<FileSpec> specs = {
      {"police/hukou_persons.csv",
       ',',
       true,
       {"出生日期", "登记日期", "迁出日期"},
       "公民身份号码",
       ""},
      {"housing/property_rights.csv", ',', false, {"登记日期", "注销日期"}, "权利人证件号", ""},
      {"market/business_registry.tsv",
       '\t',
       false,
       {"成立日期", "吊销注销日期"},
       "证件号码",
       "统一社会信用代码"},
      {"civil/dibao_recipients.csv", ',', true, {"起始日期", "终止日期"}, "申请人身份证号", ""},
      {"court/execution_cases.csv", ',', false, {"立案日期", "结案日期"}, "证件号码", ""},
      {"telecom/mobile_subscribers.csv", ',', false, {"入网日期", "销户日期"}, "证件号码", ""}};
  for (const auto& e : std::filesystem::directory_iterator(dir + "/grid/reports")) {
    specs.push_back(
        {"grid/reports/" + e.path().filename().string(), ',', false, {"上报日期"}, "身份证号", ""});
  }
  return specs;
}

// Normalises a key field: a credit code for business entities, else an id.
std::optional<std::string> NormalizeKey(const std::string& raw, const std::string& kind) {
  return kind == "business" ? NormalizeCredit(raw) : NormalizeId(raw);
}

TEST(DatagenRecords, EveryEntityKeyPassesItsCheckCharacter) {
  const auto entities = ReadEntities(SmallCity());
  ASSERT_GT(entities.size(), 5000u);
  size_t persons = 0, businesses = 0;
  for (const auto& [where, e] : entities) {
    if (e.kind == "person") {
      ++persons;
      EXPECT_TRUE(ValidIdNumber(e.key)) << where.first << ":" << where.second << " " << e.key;
    } else if (e.kind == "business") {
      ++businesses;
      EXPECT_TRUE(ValidCreditCode(e.key)) << where.first << ":" << where.second << " " << e.key;
    } else {
      EXPECT_EQ(e.kind, "house");
    }
  }
  EXPECT_GT(persons, 0u);
  EXPECT_GT(businesses, 0u);
}

TEST(DatagenRecords, MalformedRowsAreExactlyTheRejectedOnes) {
  const std::string dir = SmallCity();
  const auto entities = ReadEntities(dir);
  size_t malformed = 0, bad_check = 0, bad_date = 0, bad_columns = 0, checked_rows = 0;
  for (const FileSpec& spec : Specs(dir)) {
    const Table t = ReadTable(dir + "/" + spec.path, spec.sep, spec.gb18030);
    const int id_col = t.Col(spec.id_col);
    ASSERT_GE(id_col, 0) << spec.path;
    for (const auto& [line, fields] : t.rows) {
      auto it = entities.find({spec.path, line});
      ASSERT_NE(it, entities.end()) << spec.path << ":" << line;
      const EntityRow& e = it->second;
      std::string reason;
      if (fields.size() != t.header.size()) {
        reason = "column_count";
      } else {
        for (const std::string& c : spec.date_cols) {
          const std::string& v = fields[t.Col(c)];
          if (!v.empty() && !ParseAnyDate(v)) reason = "bad_date";
        }
        const std::string& key = fields[id_col];
        if (!key.empty() && !NormalizeKey(key, e.kind)) reason = "bad_check";
        if (!spec.credit_col.empty() && !NormalizeCredit(fields[t.Col(spec.credit_col)]))
          reason = "bad_check";
        if (reason.empty() && e.kind != "house") {
          // An accepted row names its entity, or has no key and says so.
          if (key.empty()) {
            EXPECT_NE(e.noise.find("missing_id"), std::string::npos) << spec.path << ":" << line;
          } else {
            EXPECT_EQ(*NormalizeKey(key, e.kind), e.key) << spec.path << ":" << line;
          }
        }
      }
      ++checked_rows;
      if (e.status == "malformed") {
        ++malformed;
        EXPECT_EQ(reason, e.detail) << spec.path << ":" << line;
        bad_check += reason == "bad_check";
        bad_date += reason == "bad_date";
        bad_columns += reason == "column_count";
      } else {
        EXPECT_EQ(reason, "") << spec.path << ":" << line << " status " << e.status;
      }
    }
  }
  EXPECT_GT(checked_rows, 8000u);
  EXPECT_GT(malformed, 0u);
  EXPECT_GT(bad_check + bad_date + bad_columns, 0u);
}

TEST(DatagenRecords, VehicleJsonLinesParseUnlessMalformed) {
  const std::string dir = SmallCity();
  const auto entities = ReadEntities(dir);
  const std::string path = "vehicles/motor_vehicles.jsonl";
  size_t rows = 0;
  for (const Line& l : ReadLines(dir + "/" + path, false)) {
    ++rows;
    const EntityRow& e = entities.at({path, l.number});
    const auto j = nlohmann::json::parse(l.text, nullptr, false);
    std::string reason;
    if (j.is_discarded()) {
      reason = "bad_json";
    } else {
      for (const char* k : {"ccdjrq", "djrq", "zxrq"}) {
        const std::string v = j.at(k).get<std::string>();
        if (!v.empty() && !ParseAnyDate(v)) reason = "bad_date";
      }
      const std::string key = j.at("sfzmhm").get<std::string>();
      if (!key.empty() && !NormalizeKey(key, e.kind)) reason = "bad_check";
      if (reason.empty() && !key.empty()) {
        EXPECT_EQ(*NormalizeKey(key, e.kind), e.key) << l.number;
      }
      EXPECT_EQ(j.at("syrlx").get<std::string>() == "单位", e.kind == "business") << l.number;
    }
    EXPECT_EQ(reason, e.status == "malformed" ? e.detail : "") << path << ":" << l.number;
  }
  EXPECT_GT(rows, 100u);
}

TEST(DatagenRecords, DuplicatesRepeatTheLineBefore) {
  const std::string dir = SmallCity();
  const auto entities = ReadEntities(dir);
  const std::string path = "housing/property_rights.csv";
  const std::vector<Line> lines = ReadLines(dir + "/" + path, false);
  size_t duplicates = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const EntityRow& e = entities.at({path, lines[i].number});
    if (e.status != "duplicate") continue;
    ++duplicates;
    EXPECT_EQ(e.detail, std::to_string(lines[i - 1].number));
    EXPECT_EQ(lines[i].text, lines[i - 1].text);
  }
  EXPECT_GT(duplicates, 0u);
}

TEST(DatagenRecords, NoiseKindsAllOccur) {
  const auto entities = ReadEntities(SmallCity());
  std::set<std::string> kinds;
  for (const auto& [where, e] : entities) {
    size_t start = 0;
    while (start < e.noise.size()) {
      size_t end = e.noise.find(';', start);
      if (end == std::string::npos) end = e.noise.size();
      kinds.insert(e.noise.substr(start, end - start));
      start = end + 1;
    }
  }
  for (const char* k : {"id15", "lower_x", "fullwidth", "spaces", "missing_id", "credit_lower"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
}

TEST(DatagenRecords, HomonymsShareNameAndBirthButNotId) {
  const std::string dir = SmallCity();
  const Table h = ReadTable(dir + "/truth/homonyms.csv", ',', false);
  ASSERT_GT(h.rows.size(), 0u);
  const Table hukou = ReadTable(dir + "/police/hukou_persons.csv", ',', true);
  const auto entities = ReadEntities(dir);
  std::map<std::string, std::pair<std::string, std::string>> name_birth;  // id -> (name, birth)
  for (const auto& [line, f] : hukou.rows) {
    const EntityRow& e = entities.at({"police/hukou_persons.csv", line});
    if (e.status != "ok") continue;
    name_birth[e.key] = {f[hukou.Col("姓名")], f[hukou.Col("出生日期")]};
  }
  for (const auto& [line, f] : h.rows) {
    EXPECT_NE(f[2], f[3]);
    ASSERT_TRUE(name_birth.count(f[2]) && name_birth.count(f[3])) << line;
    EXPECT_EQ(name_birth[f[2]], name_birth[f[3]]) << line;
    EXPECT_EQ(name_birth[f[2]].first, f[0]);
  }
}

}  // namespace
}  // namespace citygraph::datagen::testing
