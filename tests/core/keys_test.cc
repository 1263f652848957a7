// Tests for citygraph/keys.h. Valid identity numbers and credit codes are
// built here from the published weights, independently of the code under
// test.
#include "citygraph/keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace citygraph::keys {
namespace {

using ::testing::HasSubstr;

// Concatenates by appending (GCC 12 gives a false -Wrestrict for "x" + string).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

// GB 11643-1999 check character, written from the standard's tables.
char IdCheck(const std::string& first17) {
  const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
  return map[sum % 11];
}

std::string MakeId(const std::string& first17) { return first17 + IdCheck(first17); }

// A wrong check character for `first17` (the next one in 0-9, X order).
char WrongIdCheck(const std::string& first17) {
  const char right = IdCheck(first17);
  return right == 'X' ? '0' : (right == '9' ? 'X' : static_cast<char>(right + 1));
}

// Finds a sequence number giving check character X, to test lower-case x.
std::string MakeIdEndingInX(const std::string& prefix14) {
  for (int seq = 0; seq < 1000; ++seq) {
    char buf[12];  // room for any int: GCC at -O1 checks the whole range
    std::snprintf(buf, sizeof buf, "%03d", seq);
    const std::string first17 = prefix14 + buf;
    if (IdCheck(first17) == 'X') return first17 + 'X';
  }
  ADD_FAILURE() << "no sequence gives X";
  return "";
}

std::string FullWidth(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    // U+FF01 + (c - 0x21), encoded as UTF-8.
    const int cp = 0xFF01 + (c - 0x21);
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

TEST(TextHelpersTest, FullWidthToHalfWidth) {
  EXPECT_EQ(FullWidthToHalfWidth("４２０１ＡＢｘｙ！～"), "4201ABxy!~");
  EXPECT_EQ(FullWidthToHalfWidth("张\u3000三"), "张 三");
  EXPECT_EQ(FullWidthToHalfWidth("plain 中文"), "plain 中文");
  EXPECT_EQ(FullWidthToHalfWidth(""), "");
  // Characters just outside the range stay as they are.
  EXPECT_EQ(FullWidthToHalfWidth("\uFF00\uFF5F\uFFE5"), "\uFF00\uFF5F\uFFE5");
  // Invalid UTF-8 and a truncated sequence are copied unchanged.
  EXPECT_EQ(FullWidthToHalfWidth("a\xFF\xEF\xBC"), "a\xFF\xEF\xBC");
}

TEST(TextHelpersTest, TrimCollapseRemove) {
  EXPECT_EQ(TrimSpaces("\u3000 \t张三\u00A0\r\n"), "张三");
  EXPECT_EQ(TrimSpaces("   "), "");
  EXPECT_EQ(TrimSpaces("a b"), "a b");
  EXPECT_EQ(CollapseSpaces("  a \u3000 b\t\tc  "), "a b c");
  EXPECT_EQ(CollapseSpaces(""), "");
  EXPECT_EQ(RemoveSpaces(" 4201\u300006 19 "), "42010619");
}

TEST(IdNumberTest, CheckCharMatchesPublishedAlgorithm) {
  for (const std::string first17 :
       {"11010519491231002", "42010619800101001", "42011119991231999", "44030420000229123"}) {
    StatusOr<char> check = IdNumberCheckChar(first17);
    ASSERT_TRUE(check.ok()) << check.status().ToString();
    EXPECT_EQ(*check, IdCheck(first17)) << first17;
  }
  // The example from GB 11643-1999: 11010519491231002X.
  EXPECT_EQ(*IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_FALSE(IdNumberCheckChar("1101051949123100").ok());
  EXPECT_FALSE(IdNumberCheckChar("1101051949123100A").ok());
}

TEST(IdNumberTest, ExactlyOneCheckCharIsAcceptedForEveryResidue) {
  // 200 sequence numbers cover all 11 check characters many times over.
  std::string seen;
  for (int seq = 0; seq < 200; ++seq) {
    char buf[12];  // room for any int: GCC at -O1 checks the whole range
    std::snprintf(buf, sizeof buf, "%03d", seq);
    const std::string first17 = std::string("42011119900515") + buf;
    for (char check : std::string("0123456789X")) {
      StatusOr<std::string> n = NormalizeIdNumber(first17 + check);
      EXPECT_EQ(n.ok(), check == IdCheck(first17)) << first17 << check;
    }
    if (seen.find(IdCheck(first17)) == std::string::npos) seen.push_back(IdCheck(first17));
  }
  EXPECT_EQ(seen.size(), 11u);
}

TEST(IdNumberTest, AcceptsCanonical) {
  const std::string id = MakeId("42010619800101001");
  StatusOr<std::string> n = NormalizeIdNumber(id);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, id);
}

TEST(IdNumberTest, LowerCaseXIsUpperCased) {
  const std::string id = MakeIdEndingInX("42010219750315");
  ASSERT_EQ(id.size(), 18u);
  std::string lower = id;
  lower[17] = 'x';
  EXPECT_EQ(*NormalizeIdNumber(lower), id);
  EXPECT_EQ(*NormalizeIdNumber(FullWidth(lower)), id);
}

TEST(IdNumberTest, StripsSpacesAndFullWidth) {
  const std::string id = MakeId("42010619800101001");
  EXPECT_EQ(*NormalizeIdNumber(Cat({" ", id.substr(0, 4), " ", id.substr(4), "\t"})), id);
  EXPECT_EQ(*NormalizeIdNumber(id.substr(0, 6) + "\u3000" + id.substr(6)), id);
  EXPECT_EQ(*NormalizeIdNumber(FullWidth(id)), id);
  EXPECT_EQ(*NormalizeIdNumber(Cat({"\u3000", FullWidth(id.substr(0, 9)), id.substr(9)})), id);
}

TEST(IdNumberTest, Converts15To18) {
  // 15-digit: region 420106, birth 800101 (1980-01-01), sequence 001.
  const std::string expected = MakeId("42010619800101001");
  StatusOr<std::string> n = NormalizeIdNumber("420106800101001");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, expected);
  EXPECT_EQ(*NormalizeIdNumber(" 420106 800101 001 "), expected);
  EXPECT_EQ(*NormalizeIdNumber(FullWidth("420106800101001")), expected);
  // A 15-digit number with an impossible date is refused.
  StatusOr<std::string> bad = NormalizeIdNumber("420106810229001");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("impossible birth date 19810229"));
  // No X in a 15-digit number.
  EXPECT_FALSE(NormalizeIdNumber("42010680010100X").ok());
}

TEST(IdNumberTest, RejectsBadCheckChar) {
  const std::string first17 = "42010619800101001";
  const std::string wrong = first17 + WrongIdCheck(first17);
  StatusOr<std::string> n = NormalizeIdNumber(wrong);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(n.status().message(),
              HasSubstr(std::string("bad check character (expected ") + IdCheck(first17) + " got " +
                        WrongIdCheck(first17) + ")"));
}

TEST(IdNumberTest, RejectsWrongLength) {
  for (const std::string raw :
       {"4201061980010100", "42010619800101001", "4201061980010100123", "42010680010100"}) {
    StatusOr<std::string> n = NormalizeIdNumber(raw);
    ASSERT_FALSE(n.ok()) << raw;
    EXPECT_THAT(n.status().message(), HasSubstr("wrong length")) << raw;
  }
  StatusOr<std::string> empty = NormalizeIdNumber(" \u3000 ");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty"));
}

TEST(IdNumberTest, RejectsNonDigitNamingPosition) {
  StatusOr<std::string> n = NormalizeIdNumber("42010619800A01001X");
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("non-digit 'A' at position 12"));
  n = NormalizeIdNumber("4201061980010100X1");  // X not in last place
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("at position 17"));
  n = NormalizeIdNumber("42010619800101001中");
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("'中' at position 18"));
  n = NormalizeIdNumber("42010619800101001\xFF");
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("byte 0xFF at position 18"));
}

TEST(IdNumberTest, RejectsImpossibleBirthDates) {
  for (const std::string date :
       {"20190229", "19801301", "19800100", "19800431", "18000101", "21500101"}) {
    const std::string id = MakeId("420106" + date + "001");
    StatusOr<std::string> n = NormalizeIdNumber(id);
    ASSERT_FALSE(n.ok()) << id;
    EXPECT_THAT(n.status().message(), HasSubstr("impossible birth date " + date));
  }
  // Leap days that exist.
  EXPECT_TRUE(NormalizeIdNumber(MakeId("42010620000229001")).ok());
  EXPECT_TRUE(NormalizeIdNumber(MakeId("42010619960229001")).ok());
}

TEST(IdNumberTest, RejectsUnknownRegionPrefix) {
  for (const std::string region : {"000000", "100106", "990106", "240106", "720106"}) {
    const std::string id = MakeId(region + "19800101001");
    StatusOr<std::string> n = NormalizeIdNumber(id);
    ASSERT_FALSE(n.ok()) << id;
    EXPECT_THAT(n.status().message(), HasSubstr("unknown region prefix " + region));
  }
  for (const std::string region : {"110105", "650102", "810000", "830000"}) {
    EXPECT_TRUE(NormalizeIdNumber(MakeId(region + "19800101001")).ok()) << region;
  }
}

TEST(IdNumberTest, BirthDateAndSex) {
  const std::string male = MakeId("42010619850704013");
  const std::string female = MakeId("42010619850704024");
  StatusOr<BirthDate> bd = IdNumberBirthDate(male);
  ASSERT_TRUE(bd.ok()) << bd.status().ToString();
  EXPECT_EQ(*bd, (BirthDate{1985, 7, 4}));
  EXPECT_EQ(*IdNumberSex(male), Sex::kMale);
  EXPECT_EQ(*IdNumberSex(female), Sex::kFemale);
  // These require canonical numbers: no normalising.
  EXPECT_FALSE(IdNumberBirthDate(Cat({" ", male})).ok());
  EXPECT_FALSE(IdNumberSex("420106850704013").ok());
  std::string lower = MakeIdEndingInX("42010219750315");
  lower[17] = 'x';
  EXPECT_FALSE(IdNumberSex(lower).ok());
}

// ---------------------------------------------------------------------------
// Credit codes: check character computed here from GB 32100-2015.

const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char CreditCheck(const std::string& first17) {
  const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(first17[i])) * weights[i];
  const int c = 31 - sum % 31;
  return kAlphabet[c == 31 ? 0 : c];
}

std::string MakeCredit(const std::string& first17) { return first17 + CreditCheck(first17); }

TEST(CreditCodeTest, CheckCharMatchesPublishedAlgorithm) {
  for (const std::string first17 :
       {"91420106MA4KXXXX0", "92420111MA4L12345", "12100000400000770", "91110000802100433"}) {
    StatusOr<char> check = CreditCodeCheckChar(first17);
    ASSERT_TRUE(check.ok()) << first17 << ": " << check.status().ToString();
    EXPECT_EQ(*check, CreditCheck(first17)) << first17;
  }
  EXPECT_FALSE(CreditCodeCheckChar("91420106MA4KXXXXO").ok());  // letter O
  EXPECT_FALSE(CreditCodeCheckChar("91420106MA4KXXXX").ok());   // 16 characters
}

TEST(CreditCodeTest, AcceptsAndCanonicalises) {
  const std::string code = MakeCredit("91420106MA4KXXXX0");
  EXPECT_EQ(*NormalizeCreditCode(code), code);
  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(*NormalizeCreditCode(lower), code);
  EXPECT_EQ(*NormalizeCreditCode(Cat({" ", code.substr(0, 8), " ", code.substr(8), "\u3000"})),
            code);
  EXPECT_EQ(*NormalizeCreditCode(FullWidth(lower)), code);
}

TEST(CreditCodeTest, EveryCheckValueIsReachable) {
  // Vary the last body character so every check character 0..Y appears once.
  std::string seen;
  for (char c : kAlphabet) {
    const std::string code = MakeCredit(std::string("9242011100000000") + c);
    StatusOr<std::string> n = NormalizeCreditCode(code);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, code);
    seen.push_back(code[17]);
  }
  std::sort(seen.begin(), seen.end());
  std::string sorted_alphabet = kAlphabet;
  std::sort(sorted_alphabet.begin(), sorted_alphabet.end());
  EXPECT_EQ(seen, sorted_alphabet);
}

TEST(CreditCodeTest, RejectsBadInput) {
  const std::string first17 = "91420106MA4KXXXX0";
  const char right = CreditCheck(first17);
  const char wrong = kAlphabet[(kAlphabet.find(right) + 1) % kAlphabet.size()];
  StatusOr<std::string> n = NormalizeCreditCode(first17 + wrong);
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr(std::string("bad check character (expected ") +
                                              right + " got " + wrong + ")"));

  n = NormalizeCreditCode("91420106MA4KXXXX");
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("wrong length 16"));

  for (char forbidden : {'I', 'O', 'S', 'V', 'Z'}) {
    std::string code = MakeCredit(first17);
    code[9] = forbidden;
    n = NormalizeCreditCode(code);
    ASSERT_FALSE(n.ok()) << code;
    EXPECT_THAT(n.status().message(), HasSubstr(std::string("'") + forbidden +
                                                "' at position 10 is not in the code alphabet"));
  }
  n = NormalizeCreditCode(MakeCredit("9142A106MA4KXXXX0"));
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("non-digit 'A' at position 5 in the region code"));
  EXPECT_FALSE(NormalizeCreditCode("").ok());
}

// ---------------------------------------------------------------------------
// Plates.

TEST(PlateTest, AcceptsCommonSpellings) {
  EXPECT_EQ(*NormalizePlate("鄂A12345"), "鄂A12345");
  EXPECT_EQ(*NormalizePlate("鄂A·12345"), "鄂A12345");
  EXPECT_EQ(*NormalizePlate("鄂a 12345"), "鄂A12345");
  EXPECT_EQ(*NormalizePlate(" 鄂A-1b2c3 "), "鄂A1B2C3");
  EXPECT_EQ(*NormalizePlate("鄂Ａ１２３４５"), "鄂A12345");
  EXPECT_EQ(*NormalizePlate("鄂A•12345"), "鄂A12345");
  EXPECT_EQ(*NormalizePlate("鄂AD12345"), "鄂AD12345");
  EXPECT_EQ(*NormalizePlate("鄂A·D12345"), "鄂AD12345");
  EXPECT_EQ(*NormalizePlate("京N\u3000F1234"), "京NF1234");
  EXPECT_EQ(*NormalizePlate("琼B12345"), "琼B12345");
}

TEST(PlateTest, RejectsBadPlates) {
  StatusOr<std::string> p = NormalizePlate("A12345");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("not one of the 31 province abbreviations"));
  p = NormalizePlate("港A12345");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("'港' at position 1"));
  p = NormalizePlate("鄂112345");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("position 2 is not an authority letter"));
  p = NormalizePlate("鄂A1234");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("wrong length 6"));
  p = NormalizePlate("鄂A1234567");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("wrong length 9"));
  p = NormalizePlate("鄂A1234学");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("bad character '学' at position 7"));
  p = NormalizePlate("鄂A12#45");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("bad character '#' at position 5"));
  EXPECT_FALSE(NormalizePlate("").ok());
  EXPECT_FALSE(NormalizePlate("··").ok());
}

// ---------------------------------------------------------------------------
// Phones.

TEST(PhoneTest, AcceptsCommonSpellings) {
  EXPECT_EQ(*NormalizePhone("13812345678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("138-1234-5678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("138 1234 5678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("+86 138 1234 5678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("+86-13812345678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("008613812345678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("8613812345678"), "13812345678");
  EXPECT_EQ(*NormalizePhone("(+86)19912345678"), "19912345678");
  EXPECT_EQ(*NormalizePhone("１３８１２３４５６７８"), "13812345678");
}

TEST(PhoneTest, RejectsBadPhones) {
  StatusOr<std::string> p = NormalizePhone("1381234567");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("wrong length 10"));
  p = NormalizePhone("12812345678");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("not a mobile number"));
  p = NormalizePhone("027-8765432");  // a landline
  ASSERT_FALSE(p.ok());
  p = NormalizePhone("1381234a678");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("non-digit 'a' at position 8"));
  p = NormalizePhone("86138123456789");  // "86" stripped only when 13 digits
  ASSERT_FALSE(p.ok());
  EXPECT_FALSE(NormalizePhone("  ").ok());
}

}  // namespace
}  // namespace citygraph::keys
