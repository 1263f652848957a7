// Dates, timestamps and value helpers.
#include "citygraph/types.h"

#include <gtest/gtest.h>

namespace citygraph {
namespace {

TEST(TypesTest, DateParseFormatRoundTrip) {
  for (const char* iso :
       {"1800-01-01", "1969-12-31", "1970-01-01", "2000-02-29", "2024-12-31", "2200-12-31"}) {
    auto d = Date::Parse(iso);
    ASSERT_TRUE(d.ok()) << iso;
    EXPECT_EQ(d->ToString(), iso);
  }
  EXPECT_EQ(Date::Parse("1970-01-01")->days, 0);
  EXPECT_EQ(Date::Parse("1970-01-02")->days, 1);
  EXPECT_EQ(Date::Parse("1969-12-31")->days, -1);
  EXPECT_EQ(Date::Parse("2000-03-01")->days - Date::Parse("2000-02-28")->days, 2);
  int y, m, d;
  Date{19000}.ToYmd(&y, &m, &d);
  EXPECT_EQ(*Date::FromYmd(y, m, d), Date{19000});
  EXPECT_EQ(Date::Min().ToString(), "-inf");
  EXPECT_EQ(Date::Max().ToString(), "+inf");
}

TEST(TypesTest, ImpossibleDatesAreRejected) {
  for (const char* bad : {"2019-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
                          "1799-12-31", "2201-01-01", "2024/01/01", "24-01-01", "2024-1-1"}) {
    auto d = Date::Parse(bad);
    EXPECT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(TypesTest, TimestampsAndValues) {
  EXPECT_EQ(Timestamp{0}.ToString(), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(Timestamp{1714552200000001}.ToString(), "2024-05-01T08:30:00.000001Z");
  EXPECT_EQ(Timestamp{-1}.ToString(), "1969-12-31T23:59:59.999999Z");
  EXPECT_GT(Timestamp::Now().micros, 1700000000000000);
  EXPECT_EQ(ValueToString(Value()), "");
  EXPECT_EQ(ValueToString(Value(true)), "true");
  EXPECT_EQ(ValueToString(Value(int64_t{-3})), "-3");
  EXPECT_EQ(ValueToString(Value(*Date::Parse("2024-05-01"))), "2024-05-01");
  EXPECT_EQ(TypeOf(Value(2.5)), PropType::kDouble);
  EXPECT_EQ(TypeOf(Value(Timestamp{})), PropType::kTimestamp);
  for (PropType t : {PropType::kString, PropType::kInt64, PropType::kDouble, PropType::kBool,
                     PropType::kDate, PropType::kTimestamp}) {
    EXPECT_EQ(*ParsePropType(PropTypeName(t)), t);
  }
  EXPECT_FALSE(ParsePropType("float").ok());
}

}  // namespace
}  // namespace citygraph
