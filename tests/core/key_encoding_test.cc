// Order-preserving key encoding: bytewise order equals numeric order,
// including negative numbers and dates before 1970.
#include "citygraph/key_encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

namespace citygraph {
namespace {

using namespace keyenc;

template <typename T, typename Put>
void ExpectOrderPreserved(std::vector<T> values, Put put) {
  std::vector<std::pair<std::string, T>> encoded;
  for (T v : values) {
    std::string s;
    put(&s, v);
    encoded.emplace_back(s, v);
  }
  std::sort(encoded.begin(), encoded.end());  // bytewise
  std::sort(values.begin(), values.end());    // numeric
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(encoded[i].second, values[i]) << i;
}

TEST(KeyEncodingTest, SignedInt64OrderAndRoundTrip) {
  std::vector<int64_t> values = {0,
                                 -1,
                                 1,
                                 -2,
                                 255,
                                 -255,
                                 256,
                                 -256,
                                 std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max(),
                                 -1234567890123,
                                 42};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<int64_t>(rng()));
  ExpectOrderPreserved(values, [](std::string* s, int64_t v) { PutI64(s, v); });
  for (int64_t v : values) {
    std::string s;
    PutI64(&s, v);
    ASSERT_EQ(s.size(), 8u);
    EXPECT_EQ(GetI64(s.data()), v);
  }
}

TEST(KeyEncodingTest, SignedInt32AndUnsignedOrder) {
  std::vector<int32_t> i32 = {
      0,      -1,   1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
      -65536, 65535};
  ExpectOrderPreserved(i32, [](std::string* s, int32_t v) { PutI32(s, v); });
  std::vector<uint32_t> u32 = {0, 1, 255, 256, 65535, 65536, 0xFFFFFFFFu, 0x80000000u};
  ExpectOrderPreserved(u32, [](std::string* s, uint32_t v) { PutU32(s, v); });
  std::vector<uint16_t> u16 = {0, 1, 255, 256, 65535};
  ExpectOrderPreserved(u16, [](std::string* s, uint16_t v) { PutU16(s, v); });
  for (uint32_t v : u32) {
    std::string s;
    PutU32(&s, v);
    EXPECT_EQ(GetU32(s.data()), v);
  }
}

TEST(KeyEncodingTest, DatesSortChronologically) {
  std::vector<Date> dates = {Date::Min(), Date::Max()};
  for (const char* iso : {"1800-01-01", "1899-12-31", "1969-12-31", "1970-01-01", "1970-01-02",
                          "2000-02-29", "2024-05-01", "2200-12-31"}) {
    auto d = Date::Parse(iso);
    ASSERT_TRUE(d.ok()) << iso;
    dates.push_back(*d);
  }
  ASSERT_LT(dates[3].days, 0);  // 1899 is a negative day number
  ExpectOrderPreserved(dates, [](std::string* s, Date d) { PutDate(s, d); });
  // A composite key (vertex, date) sorts by vertex, then date.
  std::string a, b;
  PutU32(&a, 5);
  PutDate(&a, *Date::Parse("1950-01-01"));
  PutU32(&b, 5);
  PutDate(&b, *Date::Parse("2020-01-01"));
  EXPECT_LT(a, b);
}

}  // namespace
}  // namespace citygraph
