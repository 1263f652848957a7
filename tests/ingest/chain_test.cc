// Tests for ingest/src/chain.h: a compiled chain gives exactly what
// ApplyChain gives (value, or error code and message) for every normaliser
// and for the chains the shipped mappings use, over inputs that hit both
// the fast paths and the slow ones.
#include "chain.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "citygraph/ingest/normalize.h"
#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest::internal {
namespace {

const std::vector<std::string>& Inputs() {
  static const std::vector<std::string> kInputs = {
      "张三", " 张三 ", "张 三", "张\u3000三", "John  Smith", " John Smith ", "阿卜杜•热合曼",
      "阿卜杜・热合曼", "阿卜杜\u00B7热合曼", "ＡＢＣ１２３", "abc", "ABC", "a\tb", "a\u00A0b",
      "武汉市江岸区A路1号", "武汉市江岸区Ａ路１号",
      // 16 bytes and more, with the bytes
      // the fast paths look for near the
      // ends, in the middle and nowhere.
      "武汉市江岸区紫田街道安田路280号14栋", "武汉市江岸区紫田街道安田路280号14栋Ａ",
      "Ａ武汉市江岸区紫田街道安田路280号", "武汉市江岸区紫田街道\u3000安田路280号",
      "武汉市江岸区紫田街道安田路280号\t1", "武汉市江岸区紫田街道安田路280号 1",
      "0123456789abcdefg h", "abcdefgh\u00A0", "\tabcdefgh", "abcdefghＡ", "ab•cdefg", "abcdefg\r",
      "abcd efgh", "0123456789abcdef\u00A0", "\u00A00123456789abcdef", "0123456789abcdefghij\r\n",
      "阿卜杜热合曼阿卜杜热合曼•热", "阿卜杜热合曼阿卜杜热合曼热合曼", "ＡＢＣＤＥＦＧＨＩＪ",
      "武汉市  江岸区", "x", " ", "\u3000", "2016-07-09", "2016/7/9", "2016.7.9", "20160709",
      "2016年7月9日", "２０１６－０７－０９", "2016-07-09 08:30:00", "2016-07-09T08:30",
      "2019-02-30", "2016-13-01", "garbage", "2016-7", "1,234.50", "￥1,234.50", "¥12", "RMB 1234",
      "-3元", "0.1", "1.2.3", "+5", "1 000", "１２３.５", "1e5", "-", "420106199001010117",
      "42010619900101011x", "420106900101011", "４２０１０６１９９００１０１０１１７",
      "420106199001010118", "42010619900100105X", "42010619900100105x", "990106199001010117",
      "420106199002300115", " 420106199001010117", "420106199001010117 ", "4201061990010101173",
      "42010619900101011", "420106199001010116", " 420106199001010116 ",
      "４２０１０６１９９００１０１０１１６", "91420100MA4KXXXX0X", "13900000001",
      "+86 139 0000 0001", "139-0000-0001", "12345", "鄂A12345", "鄂a·12345", "鄂AD12345", "XYZ",
      "042", " ０４２ ", "是", "N", "maybe", "true"};
  return kInputs;
}

void ExpectSame(const std::vector<std::string>& names) {
  StatusOr<std::vector<Normalizer>> chain = FindNormalizers(names);
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  CompiledChain compiled(names, *chain);
  // Another chain whose steps write the scratch buffers.
  StatusOr<std::vector<Normalizer>> other_chain = FindNormalizers({"fullwidth", "upper", "lower"});
  ASSERT_TRUE(other_chain.ok());
  const CompiledChain clobber({"fullwidth", "upper", "lower"}, *other_chain);
  std::string out = "stale";
  for (const std::string& raw : Inputs()) {
    std::string label;
    for (const auto& n : names) label += n + " ";
    label += "(" + raw + ")";
    StatusOr<std::string> want = ApplyChain(*chain, raw);
    std::optional<Date> date;
    Status got = compiled.Apply(raw, &out, &date);
    ASSERT_EQ(got.ok(), want.ok())
        << label << ": " << got.ToString() << " vs " << want.status().ToString();
    // The date comes with a chain that ends with `date`, and is the
    // value's own.
    const bool ends_with_date = !names.empty() && names.back() == "date";
    EXPECT_EQ(date.has_value(), got.ok() && ends_with_date) << label;
    if (date.has_value()) {
      StatusOr<Date> parsed = ParseDate(out);
      ASSERT_TRUE(parsed.ok()) << label;
      EXPECT_EQ(*date, *parsed) << label;
    }
    if (want.ok()) {
      EXPECT_EQ(out, *want) << label;
    } else {
      EXPECT_EQ(got.code(), want.status().code()) << label;
      EXPECT_EQ(got.message(), want.status().message()) << label;
    }

    // ApplyView: the same value and error, as a view into `raw` or `buf`
    // that outlives other chains' calls (which reuse the scratch buffers).
    std::string buf = "stale";
    std::string_view view;
    std::optional<Date> view_date;
    Status got_view = compiled.ApplyView(raw, &buf, &view, &view_date);
    ASSERT_EQ(got_view.ok(), want.ok()) << label << ": " << got_view.ToString();
    if (!want.ok()) {
      EXPECT_EQ(got_view.message(), want.status().message()) << label;
      continue;
    }
    EXPECT_EQ(view_date, date) << label;
    const bool in_raw =
        view.data() >= raw.data() && view.data() + view.size() <= raw.data() + raw.size();
    const bool in_buf = view.data() == buf.data() && view.size() == buf.size();
    EXPECT_TRUE(in_raw || in_buf) << label;
    std::string other;
    ASSERT_TRUE(clobber.Apply(" Ｘｙz ", &other).ok());
    EXPECT_EQ(view, *want) << label;
  }
}

TEST(CompiledChainTest, EveryNormalizerAloneMatchesApplyChain) {
  for (const std::string& name : NormalizerNames()) ExpectSame({name});
}

TEST(CompiledChainTest, ChainsMatchApplyChain) {
  ExpectSame({});
  ExpectSame({"fullwidth", "collapse"});
  ExpectSame({"fullwidth", "upper"});
  ExpectSame({"trim", "date", "upper"});
  ExpectSame({"fullwidth", "trim", "date"});
  ExpectSame({"collapse", "name"});
  ExpectSame({"upper", "lower", "trim"});
  ExpectSame({"amount", "fullwidth"});
  ExpectSame({"fullwidth", "collapse", "id_number"});
  ExpectSame({"id_number", "id_number"});
  ExpectSame({"trim", "id_number", "upper"});
}

// RowParser skips a key chain of id_number or phone on a column whose own
// chain ends with the same normaliser: each gives its results back as they
// are.
TEST(CompiledChainTest, KeyNormalisersGiveTheirResultsBackUnchanged) {
  for (const char* name : {"id_number", "phone"}) {
    StatusOr<std::vector<Normalizer>> chain = FindNormalizers({name});
    ASSERT_TRUE(chain.ok());
    int normalised = 0;
    for (const std::string& raw : Inputs()) {
      StatusOr<std::string> once = ApplyChain(*chain, raw);
      if (!once.ok()) continue;
      StatusOr<std::string> twice = ApplyChain(*chain, *once);
      ASSERT_TRUE(twice.ok()) << name << " " << raw;
      EXPECT_EQ(*twice, *once) << name << " " << raw;
      normalised += *once != raw;
    }
    EXPECT_GE(normalised, 2) << name;  // inputs the normaliser changed
  }
}

// The inline trim gives keys::TrimSpaces's view wherever white space and
// its lookalike bytes fall.
TEST(TrimSpacesTest, SameViewAsKeysTrimSpaces) {
  const std::string pieces[] = {"a",    " ",    "\t",   "\r", "\n",     "\u00A0", "\u3000", "\xC2",
                                "\xA0", "\x80", "\xE3", "张", "\u3001", "\u00A9", "\u4E00"};
  uint64_t seed = 7;
  int trimmed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const size_t n = (seed >> 33) % 6;
    for (size_t k = 0; k < n; ++k) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      s += pieces[(seed >> 33) % std::size(pieces)];
    }
    const std::string_view want = keys::TrimSpaces(s);
    const std::string_view got = TrimSpaces(s);
    ASSERT_EQ(got.data(), want.data()) << s;
    ASSERT_EQ(got.size(), want.size()) << s;
    trimmed += want.size() != s.size();
  }
  EXPECT_GT(trimmed, 5000);
}

TEST(CompiledChainTest, WithoutNamesCallsEveryNormalizer) {
  StatusOr<std::vector<Normalizer>> chain = FindNormalizers({"fullwidth", "trim", "upper"});
  ASSERT_TRUE(chain.ok());
  CompiledChain compiled({}, *chain);
  std::string out;
  ASSERT_TRUE(compiled.Apply("\u3000ａｂｃ ", &out).ok());
  EXPECT_EQ(out, "ABC");
}

}  // namespace
}  // namespace citygraph::ingest::internal
