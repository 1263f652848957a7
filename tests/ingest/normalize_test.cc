// Tests for citygraph/ingest/normalize.h.
#include "citygraph/ingest/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citygraph::ingest {
namespace {

using ::testing::HasSubstr;

Date Ymd(int y, int m, int d) {
  StatusOr<Date> date = Date::FromYmd(y, m, d);
  EXPECT_TRUE(date.ok()) << date.status().ToString();
  return date.ok() ? *date : Date{};
}

TEST(ParseDateTest, EveryDepartmentStyle) {
  const Date want = Ymd(2016, 7, 9);
  for (const char* raw : {"2016-07-09",
                          "2016-7-9",
                          "2016/7/9",
                          "2016/07/09",
                          "2016.7.9",
                          "2016.07.09",
                          "20160709",
                          "2016年7月9日",
                          "2016年07月09日",
                          "2016 年 7 月 9 日",
                          "2016年7月9号",
                          "2016年7月9",
                          " 2016-07-09 ",
                          "\u30002016/7/9\u3000",
                          "２０１６年７月９日",
                          "２０１６－０７－０９",
                          "２０１６０７０９",
                          "2016-07-09 08:30:00",
                          "2016-07-09T08:30",
                          "2016/7/9 8:05",
                          "2016-07-09 23:59:59.123",
                          "2016年7月9日 08:30"}) {
    StatusOr<Date> d = ParseDate(raw);
    ASSERT_TRUE(d.ok()) << raw << ": " << d.status().ToString();
    EXPECT_EQ(*d, want) << raw;
  }
  EXPECT_EQ(*ParseDate("2000-02-29"), Ymd(2000, 2, 29));
  EXPECT_EQ(*ParseDate("1999年12月31日"), Ymd(1999, 12, 31));
}

TEST(ParseDateTest, RejectsImpossibleDates) {
  for (const char* raw : {"2019-02-30", "2019年2月30日", "2019/13/5", "2019-02-29", "1900-02-29",
                          "2016-00-10", "2016-07-00", "2016-04-31", "20190230"}) {
    StatusOr<Date> d = ParseDate(raw);
    ASSERT_FALSE(d.ok()) << raw;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(d.status().message(), HasSubstr(std::string("'") + raw + "'"));
    EXPECT_THAT(d.status().message(), HasSubstr("impossible")) << raw;
  }
}

TEST(ParseDateTest, RejectsGarbage) {
  for (const char* raw : {"yesterday", "2016", "2016-07", "2016年7月", "2016-07/09", "2016.7/9",
                          "16-07-09", "2016-007-09", "2016-07-091", "201607091", "2016-07-09x",
                          "2016-07-0908:30", "2016-07-09 25:00", "2016-07-09 08:30 pm",
                          "2016年7-9日", "-2016-07-09", "2016 07 09", "7/9/2016"}) {
    StatusOr<Date> d = ParseDate(raw);
    ASSERT_FALSE(d.ok()) << raw;
    EXPECT_THAT(d.status().message(), HasSubstr("is not a date")) << raw;
    EXPECT_THAT(d.status().message(), HasSubstr(raw));
  }
  StatusOr<Date> empty = ParseDate("  ");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty"));
}

TEST(NormalizeNameTest, ChineseAndAsciiNames) {
  EXPECT_EQ(*NormalizeName("  张三  "), "张三");
  EXPECT_EQ(*NormalizeName("张 三"), "张三");
  EXPECT_EQ(*NormalizeName("张\u3000\u3000三"), "张三");
  EXPECT_EQ(*NormalizeName("欧阳 娜 娜"), "欧阳娜娜");
  EXPECT_EQ(*NormalizeName(" John   Smith "), "John Smith");
  EXPECT_EQ(*NormalizeName("Ｊｏｈｎ　Ｓｍｉｔｈ"), "John Smith");
  EXPECT_EQ(*NormalizeName("买买提 · 艾力"), "买买提·艾力");
  EXPECT_EQ(*NormalizeName("买买提•艾力"), "买买提·艾力");
  EXPECT_EQ(*NormalizeName("买买提・艾力"), "买买提·艾力");
  EXPECT_EQ(*NormalizeName("武汉 ABC 公司"), "武汉ABC公司");
  EXPECT_EQ(*NormalizeName("李"), "李");
}

TEST(NormalizeNameTest, RejectsEmpty) {
  for (const char* raw : {"", "   ", "\u3000", "\t\r\n"}) {
    StatusOr<std::string> n = NormalizeName(raw);
    ASSERT_FALSE(n.ok());
    EXPECT_THAT(n.status().message(), HasSubstr("empty"));
  }
}

TEST(ParseAmountTest, AcceptsDepartmentStyles) {
  const std::vector<std::pair<const char*, double>> cases = {{"1,234.50", 1234.5},
                                                             {"￥1234.5", 1234.5},
                                                             {"¥1234.5", 1234.5},
                                                             {"1234.5元", 1234.5},
                                                             {"RMB 1234", 1234.0},
                                                             {"１２３４．５", 1234.5},
                                                             {"１，２３４元", 1234},
                                                             {" 0.1 ", 0.1},
                                                             {"-12.25", -12.25},
                                                             {"￥-3", -3},
                                                             {"-￥3", -3},
                                                             {"+7", 7},
                                                             {"1,234,567", 1234567},
                                                             {"0", 0},
                                                             {".5", 0.5}};
  for (const auto& [raw, want] : cases) {
    StatusOr<double> a = ParseAmount(raw);
    ASSERT_TRUE(a.ok()) << raw << ": " << a.status().ToString();
    EXPECT_DOUBLE_EQ(*a, want) << raw;
  }
}

TEST(ParseAmountTest, RejectsGarbage) {
  for (const char* raw : {"abc", "12a", "1.2.3", "￥", "元", "1,23", "12,", ",123", "1,2345", "12.",
                          "--5", "5-", "1 2 3 4,5", "1e5", "nan", "inf", "0x10"}) {
    StatusOr<double> a = ParseAmount(raw);
    ASSERT_FALSE(a.ok()) << raw;
    EXPECT_THAT(a.status().message(), HasSubstr(std::string("'") + raw + "'"));
  }
  EXPECT_FALSE(ParseAmount("").ok());
}

TEST(ParseIntTest, ValidAndInvalid) {
  EXPECT_EQ(*ParseInt("42"), 42);
  EXPECT_EQ(*ParseInt(" -7 "), -7);
  EXPECT_EQ(*ParseInt("+8"), 8);
  EXPECT_EQ(*ParseInt("４２"), 42);
  EXPECT_EQ(*ParseInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(*ParseInt("-9223372036854775808"), INT64_MIN);
  StatusOr<int64_t> over = ParseInt("9223372036854775808");
  ASSERT_FALSE(over.ok());
  EXPECT_THAT(over.status().message(), HasSubstr("out of the 64-bit range"));
  for (const char* raw : {"", "abc", "4 2", "4.2", "+-3", "+", "-", "1,000", "0x1F"}) {
    EXPECT_FALSE(ParseInt(raw).ok()) << raw;
  }
}

TEST(ParseBoolTest, ValidAndInvalid) {
  for (const char* raw :
       {"1", "true", "TRUE", "True", "t", "yes", "Y", "y", "是", " 是 ", "真", "有", "Ｙ"}) {
    StatusOr<bool> b = ParseBool(raw);
    ASSERT_TRUE(b.ok()) << raw;
    EXPECT_TRUE(*b) << raw;
  }
  for (const char* raw : {"0", "false", "FALSE", "f", "no", "N", "n", "否", "假", "无", "０"}) {
    StatusOr<bool> b = ParseBool(raw);
    ASSERT_TRUE(b.ok()) << raw;
    EXPECT_FALSE(*b) << raw;
  }
  for (const char* raw : {"", "2", "maybe", "是的", "yes!"}) {
    StatusOr<bool> b = ParseBool(raw);
    ASSERT_FALSE(b.ok()) << raw;
    EXPECT_THAT(b.status().message(), HasSubstr("boolean"));
  }
}

// Each named normaliser on one valid and one invalid input (the key
// normalisers' own rules are tested in tests/core/keys_test.cc).
TEST(NormalizerRegistryTest, EveryNameWorks) {
  struct Case {
    const char* name;
    const char* raw;
    const char* want;  // nullptr: must fail
  };
  const std::vector<Case> cases = {
      {"trim", " \u3000a b\u00A0 ", "a b"},
      {"collapse", "  a \u3000 b ", "a b"},
      {"fullwidth", "ＡＢ１\u3000", "AB1 "},
      {"upper", "ab中c", "AB中C"},
      {"lower", "AB中C", "ab中c"},
      {"id_number", "11010519491231002x", "11010519491231002X"},
      {"id_number", "110105194912310021", nullptr},
      {"credit_code", "91350100M000100Y43", "91350100M000100Y43"},
      {"credit_code", "91350100M000100Y44", nullptr},
      {"plate", "鄂a·12345", "鄂A12345"},
      {"plate", "XA12345", nullptr},
      {"phone", "+86 138-1234-5678", "13812345678"},
      {"phone", "027-87654321", nullptr},
      {"name", " 张 三 ", "张三"},
      {"name", " ", nullptr},
      {"date", "2016年7月9日", "2016-07-09"},
      {"date", "2016/12/31", "2016-12-31"},
      {"date", "2019-02-30", nullptr},
      {"amount", "￥1,234.50", "1234.5"},
      {"amount", "-3元", "-3"},
      {"amount", "0.1", "0.1"},
      {"amount", "1.2.3", nullptr},
      {"int", " ０４２ ", "42"},
      {"int", "x", nullptr},
      {"bool", "是", "true"},
      {"bool", "N", "false"},
      {"bool", "maybe", nullptr},
  };
  for (const Case& c : cases) {
    StatusOr<Normalizer> n = FindNormalizer(c.name);
    ASSERT_TRUE(n.ok()) << c.name;
    StatusOr<std::string> out = (*n)(c.raw);
    if (c.want == nullptr) {
      EXPECT_FALSE(out.ok()) << c.name << "(" << c.raw << ") gave " << (out.ok() ? *out : "");
      if (!out.ok()) {
        EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
      }
    } else {
      ASSERT_TRUE(out.ok()) << c.name << "(" << c.raw << "): " << out.status().ToString();
      EXPECT_EQ(*out, c.want) << c.name << "(" << c.raw << ")";
    }
  }
}

TEST(NormalizerRegistryTest, NamesAreListedAndFindable) {
  const std::vector<std::string> expected = {
      "trim",  "collapse", "fullwidth", "upper", "lower",  "id_number", "credit_code",
      "plate", "phone",    "name",      "date",  "amount", "int",       "bool"};
  EXPECT_EQ(NormalizerNames(), expected);
  for (const std::string& name : NormalizerNames()) EXPECT_TRUE(FindNormalizer(name).ok()) << name;
}

TEST(NormalizerRegistryTest, UnknownNameIsNotFoundAndListsKnownNames) {
  StatusOr<Normalizer> n = FindNormalizer("idnumber");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(n.status().message(), HasSubstr("'idnumber'"));
  EXPECT_THAT(n.status().message(), HasSubstr("id_number"));
  StatusOr<std::vector<Normalizer>> chain = FindNormalizers({"trim", "bogus", "date"});
  ASSERT_FALSE(chain.ok());
  EXPECT_THAT(chain.status().message(), HasSubstr("'bogus'"));
}

TEST(ApplyChainTest, AppliesLeftToRightAndStopsAtFirstError) {
  StatusOr<std::vector<Normalizer>> chain = FindNormalizers({"fullwidth", "trim", "upper"});
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(*ApplyChain(*chain, "\u3000ａｂｃ "), "ABC");
  EXPECT_EQ(*ApplyChain({}, " raw "), " raw ");

  // "upper" after "date" cannot rescue a bad date: the date error comes back.
  StatusOr<std::vector<Normalizer>> dates = FindNormalizers({"trim", "date", "upper"});
  ASSERT_TRUE(dates.ok());
  EXPECT_EQ(*ApplyChain(*dates, " 2016.7.9 "), "2016-07-09");
  StatusOr<std::string> bad = ApplyChain(*dates, "2016.2.30");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("'2016.2.30'"));
}

}  // namespace
}  // namespace citygraph::ingest
