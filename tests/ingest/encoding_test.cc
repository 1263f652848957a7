// Tests for citygraph/ingest/encoding.h. Test input in GB18030/GBK is
// produced here with iconv directly, independently of the code under test.
#include "citygraph/ingest/encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "iconv_util.h"

namespace citygraph::ingest {
namespace {

using ::testing::HasSubstr;

// Converts UTF-8 text to `to` with iconv; fails the test on error.
std::string Encode(const std::string& utf8, const char* to) {
  std::optional<std::string> out = testing::Iconv(utf8, "UTF-8", to);
  EXPECT_TRUE(out.has_value()) << "cannot encode test text in " << to;
  return out.value_or("");
}

// Chinese text, ASCII, a CJK Extension A character and an emoji (both 4-byte
// sequences in GB18030).
const std::string kText =
    "姓名,身份证号\n张三,42010619800101001X\n欧阳娜娜 武汉市武昌区\u3400 😀 ABC\n";
const std::string kGbkText = "姓名,身份证号\n张三,武汉市洪山区 珞喻路 1037号\n";

TEST(ToUtf8Test, Utf8IsValidatedAndPassedThrough) {
  EXPECT_TRUE(IsUtf8(kText));
  EXPECT_TRUE(IsUtf8(""));
  StatusOr<std::string> out = ToUtf8(kText, "UTF-8");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, kText);
  EXPECT_EQ(*ToUtf8("", "utf8"), "");
}

TEST(ToUtf8Test, Utf8BomIsStripped) {
  StatusOr<std::string> out = ToUtf8("\xEF\xBB\xBF" + kText, "utf-8");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, kText);
  // Only a leading BOM goes; U+FEFF later in the text stays.
  EXPECT_EQ(*ToUtf8("a\xEF\xBB\xBF", "UTF-8"), "a\xEF\xBB\xBF");
}

TEST(ToUtf8Test, Utf8InvalidSequencesNameTheOffset) {
  struct Case {
    std::string bytes;
    const char* message;
  };
  const Case cases[] = {
      {"ab\xFF", "invalid UTF-8 byte sequence at byte offset 2"},
      {"\xC0\xAF", "invalid UTF-8 byte sequence at byte offset 0"},          // overlong '/'
      {"xyz\xED\xA0\x80", "invalid UTF-8 byte sequence at byte offset 3"},   // surrogate
      {"\xF4\x90\x80\x80", "invalid UTF-8 byte sequence at byte offset 0"},  // > U+10FFFF
      {"张\x80", "invalid UTF-8 byte sequence at byte offset 3"},            // stray continuation
      {"张\xE5\xBC", "truncated UTF-8 byte sequence at byte offset 3"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(IsUtf8(c.bytes)) << c.message;
    StatusOr<std::string> out = ToUtf8(c.bytes, "UTF-8");
    ASSERT_FALSE(out.ok()) << c.message;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(out.status().message(), HasSubstr(c.message));
  }
}

// An independent statement of UTF-8 validity (RFC 3629), by code point:
// the status ToUtf8View must give for `s`.
std::string ReferenceUtf8Status(const std::string& s) {
  // Whether bytes [i, end) form one whole valid sequence.
  auto valid = [](const std::string& b) {
    const auto b0 = static_cast<unsigned char>(b[0]);
    size_t len = b0 < 0x80 ? 1 : b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    if (len == 0 || b.size() != len || b0 >= 0xF8) return false;
    uint32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(b[k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    return cp >= min[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
  };
  for (size_t i = 0; i < s.size();) {
    bool found = false;
    for (size_t len = 1; len <= 4 && i + len <= s.size() && !found; ++len) {
      if (valid(s.substr(i, len))) {
        i += len;
        found = true;
      }
    }
    if (found) continue;
    // Cut off by the end: some continuation bytes would complete it (only
    // the second byte of a sequence has a narrower range than 0x80..0xBF).
    const std::string tail = s.substr(i);
    for (int second = 0x80; second <= 0xBF && tail.size() < 4; ++second) {
      for (size_t len = tail.size() + 1; len <= 4; ++len) {
        std::string t = tail;
        if (t.size() == 1) t.push_back(static_cast<char>(second));
        while (t.size() < len) t.push_back('\x80');
        if (valid(t)) return "truncated UTF-8 byte sequence at byte offset " + std::to_string(i);
      }
    }
    return "invalid UTF-8 byte sequence at byte offset " + std::to_string(i);
  }
  return "";
}

// The validator's fast paths (eight ASCII bytes at once, common three-byte
// sequences) accept and reject exactly what the reference does, wherever
// the bytes fall.
TEST(ToUtf8ViewTest, Utf8ValidationMatchesReference) {
  const std::string pieces[] = {"a",    "01234567", "\x80", "\xBF",   "\xC0",   "\xC1",  "\xC2",
                                "\xDF", "\xE0",     "\xE1", "\xEC",   "\xED",   "\xEE",  "\xEF",
                                "\xF0", "\xF4",     "\xF5", "\xFF",   "\x9F",   "\xA0",  "\x8F",
                                "\x90", "张",       "😀",    "\u00B7", "\uFF01", "\uD7FF"};
  uint64_t seed = 42;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(seed >> 33);
  };
  int valid = 0, invalid = 0, truncated = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const size_t n = next() % 12;
    for (size_t k = 0; k < n; ++k) s += pieces[next() % std::size(pieces)];
    const std::string want = ReferenceUtf8Status(s);
    std::string converted;
    StatusOr<std::string_view> got = ToUtf8View(s, "UTF-8", &converted);
    ASSERT_EQ(got.ok(), want.empty()) << round;
    EXPECT_EQ(IsUtf8(s), want.empty()) << round;
    if (want.empty()) {
      ++valid;
      continue;
    }
    ASSERT_THAT(got.status().message(), HasSubstr(want)) << round;
    ++(want.starts_with("invalid") ? invalid : truncated);
  }
  // Each outcome was met often.
  EXPECT_GT(valid, 1000);
  EXPECT_GT(invalid, 1000);
  EXPECT_GT(truncated, 100);
}

// Without a copy: the same text or the same error as ToUtf8; UTF-8 text is
// a view into the input.
TEST(ToUtf8ViewTest, AgreesWithToUtf8) {
  const std::string inputs[] = {kText,
                                "\xEF\xBB\xBF" + kText,
                                "a\xEF\xBB\xBF",
                                "",
                                "ab\xFF",
                                "\xC0\xAF",
                                "xyz\xED\xA0\x80",
                                "\xF4\x90\x80\x80",
                                "张\x80",
                                "张\xE5\xBC",
                                Encode(kText, "GB18030")};
  for (const char* encoding : {"UTF-8", "gb18030", "latin-7"}) {
    for (const std::string& in : inputs) {
      StatusOr<std::string> want = ToUtf8(in, encoding);
      std::string converted = "stale";
      StatusOr<std::string_view> got = ToUtf8View(in, encoding, &converted);
      ASSERT_EQ(got.ok(), want.ok()) << encoding << " " << in;
      if (!want.ok()) {
        EXPECT_EQ(got.status().ToString(), want.status().ToString());
        continue;
      }
      EXPECT_EQ(*got, *want) << encoding << " " << in;
      const bool in_input =
          got->data() >= in.data() && got->data() + got->size() <= in.data() + in.size();
      EXPECT_EQ(in_input, std::string_view(encoding) == "UTF-8") << encoding << " " << in;
    }
  }
}

// glibc iconv's own conversion of `bytes` to UTF-8, or nullopt where it
// refuses them (an invalid or truncated sequence).
std::optional<std::string> IconvToUtf8(const std::string& bytes, const char* from) {
  return testing::Iconv(bytes, from, "UTF-8");
}

// GB18030 text of ASCII and two-byte codes takes a table built from iconv;
// every two-byte code, alone and amid ASCII, must still give iconv's text,
// and text with four-byte codes or invalid bytes iconv's text or error.
TEST(ToUtf8Test, Gb18030GivesIconvsTextForEveryTwoByteCode) {
  for (int lead = 0x81; lead <= 0xFE; ++lead) {
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      const std::string code = {static_cast<char>(lead), static_cast<char>(trail)};
      for (const std::string& in : {code, "ab" + code + "0123456789,"}) {
        std::optional<std::string> want = IconvToUtf8(in, "GB18030");
        StatusOr<std::string> got = ToUtf8(in, "GB18030");
        ASSERT_EQ(got.ok(), want.has_value()) << lead << " " << trail;
        if (want.has_value()) {
          ASSERT_EQ(*got, *want) << lead << " " << trail;
        }
      }
    }
  }
  const std::string gb = Encode(kGbkText, "GB18030");  // two-byte codes only
  const std::string four = Encode("😀€x", "GB18030");   // 😀 takes four bytes
  ASSERT_EQ(four.size(), 7u);
  for (const std::string& in : {gb, gb + four + gb, four, gb + "\x81", gb + "\xFF" + gb,
                                std::string("\x84\x31\x95\x33") + gb}) {
    std::optional<std::string> want = IconvToUtf8(in, "GB18030");
    StatusOr<std::string> got = ToUtf8(in, "GB18030");
    ASSERT_EQ(got.ok(), want.has_value());
    if (!want.has_value()) continue;
    // A leading byte-order mark (U+FEFF, four bytes in GB18030) is removed.
    if (want->starts_with("\xEF\xBB\xBF")) want->erase(0, 3);
    EXPECT_EQ(*got, *want);
  }
}

TEST(ToUtf8Test, Gb18030RoundTrip) {
  const std::string gb = Encode(kText, "GB18030");
  ASSERT_NE(gb, kText);  // really re-encoded
  StatusOr<std::string> out = ToUtf8(gb, "GB18030");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, kText);
  // Spelling variants of the name.
  EXPECT_EQ(*ToUtf8(gb, "gb18030"), kText);
  EXPECT_EQ(*ToUtf8(gb, "GB-18030"), kText);
}

TEST(ToUtf8Test, Gb18030BomIsStripped) {
  const std::string gb = Encode("\uFEFF" + kText, "GB18030");
  ASSERT_EQ(gb.substr(0, 4), "\x84\x31\x95\x33");
  EXPECT_EQ(*ToUtf8(gb, "GB18030"), kText);
}

TEST(ToUtf8Test, GbkRoundTrip) {
  const std::string gbk = Encode(kGbkText, "GBK");
  EXPECT_EQ(*ToUtf8(gbk, "GBK"), kGbkText);
  EXPECT_EQ(*ToUtf8(gbk, "cp936"), kGbkText);
  // GB18030 is a superset of GBK.
  EXPECT_EQ(*ToUtf8(gbk, "GB18030"), kGbkText);
  const std::string simple = "张三,武汉市武昌区\n";
  EXPECT_EQ(*ToUtf8(Encode(simple, "GB2312"), "GB2312"), simple);
}

TEST(ToUtf8Test, Gb18030InvalidSequenceNamesEncodingAndOffset) {
  const std::string head = Encode("张三,", "GB18030");  // 5 bytes
  ASSERT_EQ(head.size(), 5u);
  // 0x81 must be followed by 0x30..0x39 or 0x40..0xFE; 0x20 is neither.
  StatusOr<std::string> out = ToUtf8(head + "\x81\x20" + "abc", "GB18030");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("invalid GB18030 byte sequence at byte offset 5"));
  // 0xFF is never a lead byte.
  out = ToUtf8(head + "\xFF", "GBK");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("invalid GBK byte sequence at byte offset 5"));
}

TEST(ToUtf8Test, TruncatedGb18030AtEnd) {
  const std::string gb = Encode("张三", "GB18030");
  StatusOr<std::string> out = ToUtf8(gb.substr(0, 3), "GB18030");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("truncated GB18030 byte sequence at byte offset 2"));
}

TEST(ToUtf8Test, UnsupportedEncoding) {
  StatusOr<std::string> out = ToUtf8("abc", "latin-9");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("unsupported encoding 'latin-9'"));
  EXPECT_FALSE(Utf8Converter::Create("").ok());
}

// Feeds `bytes` in chunks of `chunk` bytes.
StatusOr<std::string> ConvertInChunks(const std::string& bytes, const char* encoding,
                                      size_t chunk) {
  CG_ASSIGN_OR_RETURN(std::unique_ptr<Utf8Converter> conv, Utf8Converter::Create(encoding));
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    CG_RETURN_IF_ERROR(conv->Convert(std::string_view(bytes).substr(i, chunk), &out));
  }
  CG_RETURN_IF_ERROR(conv->Finish());
  if (conv->bytes_in() != bytes.size()) return Internal("bytes_in mismatch");
  return out;
}

TEST(Utf8ConverterTest, ChunksMaySplitCharactersAnywhere) {
  const std::string gb = Encode(kText, "GB18030");
  const std::string utf8 = "\xEF\xBB\xBF" + kText;
  for (size_t chunk = 1; chunk <= 9; ++chunk) {
    StatusOr<std::string> a = ConvertInChunks(gb, "GB18030", chunk);
    ASSERT_TRUE(a.ok()) << chunk << ": " << a.status().ToString();
    EXPECT_EQ(*a, kText) << "GB18030 chunk " << chunk;
    StatusOr<std::string> b = ConvertInChunks(utf8, "UTF-8", chunk);
    ASSERT_TRUE(b.ok()) << chunk << ": " << b.status().ToString();
    EXPECT_EQ(*b, kText) << "UTF-8 chunk " << chunk;
  }
  // Every two-way split.
  for (size_t cut = 0; cut <= gb.size(); ++cut) {
    std::unique_ptr<Utf8Converter> conv = std::move(Utf8Converter::Create("GB18030")).value();
    std::string out;
    ASSERT_TRUE(conv->Convert(std::string_view(gb).substr(0, cut), &out).ok()) << cut;
    ASSERT_TRUE(conv->Convert(std::string_view(gb).substr(cut), &out).ok()) << cut;
    ASSERT_TRUE(conv->Finish().ok()) << cut;
    EXPECT_EQ(out, kText) << cut;
  }
}

TEST(Utf8ConverterTest, ErrorOffsetsCountFromStreamStartAndLatch) {
  const std::string gb = Encode("张三李四", "GB18030");  // 8 bytes
  std::unique_ptr<Utf8Converter> conv = std::move(Utf8Converter::Create("gb18030")).value();
  EXPECT_EQ(conv->encoding(), "GB18030");
  std::string out;
  ASSERT_TRUE(conv->Convert(gb.substr(0, 5), &out).ok());  // ends mid-character
  Status s = conv->Convert(gb.substr(5) + "ok\xFF", &out);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("invalid GB18030 byte sequence at byte offset 10"));
  // The converter stays failed.
  EXPECT_EQ(conv->Convert("fine", &out), s);
  EXPECT_EQ(conv->Finish(), s);
}

TEST(Utf8ConverterTest, FinishReportsCarriedBytes) {
  std::unique_ptr<Utf8Converter> conv = std::move(Utf8Converter::Create("UTF-8")).value();
  std::string out;
  ASSERT_TRUE(conv->Convert("abc\xE6\xB1", &out).ok());
  EXPECT_EQ(out, "abc");
  Status s = conv->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("truncated UTF-8 byte sequence at byte offset 3"));
}

}  // namespace
}  // namespace citygraph::ingest
