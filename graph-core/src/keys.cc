#include "citygraph/keys.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "keys_internal.h"

namespace citygraph::keys {
namespace {

// Length in bytes of the white-space character starting at s[i], 0 if none.
size_t SpaceLenAt(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b == ' ' || (b >= '\t' && b <= '\r')) return 1;
  if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (b == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x80) {
    return 3;
  }
  return 0;
}

// Byte length of the UTF-8 character starting at s[i] (1 for invalid bytes).
size_t CharLenAt(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = 1;
  if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
  } else if (b >= 0xE0) {
    n = b <= 0xEF ? 3 : 1;
  } else if (b >= 0xC2) {
    n = 2;
  }
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int CreditValue(char c) {
  const size_t pos = kCreditAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

constexpr std::array<std::string_view, 31> kProvinces = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼"};

bool IsPlateSeparator(std::string_view ch) {
  return ch == "-" || ch == "." || ch == "\u00B7" || ch == "\u2022" || ch == "\u30FB" ||
         ch == "\uFF65" || ch == "\u2027";
}

}  // namespace

namespace internal {

// Splits UTF-8 text into characters (each a view of 1..4 bytes).
std::vector<std::string_view> SplitChars(std::string_view s) {
  std::vector<std::string_view> chars;
  chars.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = CharLenAt(s, i);
    chars.push_back(s.substr(i, n));
    i += n;
  }
  return chars;
}

// Printable rendering of one character for an error message.
std::string Show(std::string_view ch) {
  if (ch.size() == 1 && static_cast<unsigned char>(ch[0]) >= 0x80) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(ch[0]);
    return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0xF];
  }
  if (ch.size() == 1 && static_cast<unsigned char>(ch[0]) < 0x20) return "a control character";
  return Quoted(ch);
}

Status Bad(std::string_view what, std::string_view raw, const std::string& why) {
  return InvalidArgument(std::string(what) + " " + Quoted(raw) + ": " + why);
}

// Full-width to ASCII, then all white space removed.
std::string Compact(std::string_view raw) { return RemoveSpaces(FullWidthToHalfWidth(raw)); }

}  // namespace internal

using internal::Bad;
using internal::Compact;
using internal::IsDigit;
using internal::Show;
using internal::SplitChars;

std::string FullWidthToHalfWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if ((b0 == 0xEF || b0 == 0xE3) && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      if (b0 == 0xEF && b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) {  // U+FF01..U+FF3F
        out.push_back(static_cast<char>(b2 - 0x60));
        i += 2;
        continue;
      }
      if (b0 == 0xEF && b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) {  // U+FF40..U+FF5E
        out.push_back(static_cast<char>(b2 - 0x20));
        i += 2;
        continue;
      }
      if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) {  // U+3000
        out.push_back(' ');
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    const size_t n = SpaceLenAt(s, begin);
    if (n == 0) break;
    begin += n;
  }
  size_t end = s.size();
  while (end > begin) {
    const auto last = static_cast<unsigned char>(s[end - 1]);
    if (last == ' ' || (last >= '\t' && last <= '\r')) {
      end -= 1;
    } else if (end - begin >= 2 && last == 0xA0 && static_cast<unsigned char>(s[end - 2]) == 0xC2) {
      end -= 2;
    } else if (end - begin >= 3 && last == 0x80 && static_cast<unsigned char>(s[end - 2]) == 0x80 &&
               static_cast<unsigned char>(s[end - 3]) == 0xE3) {
      end -= 3;
    } else {
      break;
    }
  }
  return s.substr(begin, end - begin);
}

std::string CollapseSpaces(std::string_view s) {
  s = TrimSpaces(s);
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (size_t i = 0; i < s.size();) {
    const size_t n = SpaceLenAt(s, i);
    if (n > 0) {
      if (!in_space) out.push_back(' ');
      in_space = true;
      i += n;
    } else {
      out.push_back(s[i]);
      in_space = false;
      ++i;
    }
  }
  return out;
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = SpaceLenAt(s, i);
    if (n > 0) {
      i += n;
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}
// --------------------------------------------------------------------------
// Unified social credit codes.

StatusOr<char> CreditCodeCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  if (first17.size() != 17) {
    return InvalidArgument("credit code check: expected 17 characters, got " +
                           std::to_string(first17.size()));
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const int v = CreditValue(first17[i]);
    if (v < 0) {
      return InvalidArgument("credit code check: " + Show(first17.substr(i, 1)) + " at position " +
                             std::to_string(i + 1) + " is not in the code alphabet");
    }
    sum += v * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return kCreditAlphabet[check];
}

StatusOr<std::string> NormalizeCreditCode(std::string_view raw) {
  static constexpr std::string_view kWhat = "credit code";
  const std::string compact = Compact(raw);
  const std::string_view shown = TrimSpaces(raw);
  if (compact.empty()) return InvalidArgument("credit code is empty");
  const std::vector<std::string_view> chars = SplitChars(compact);
  if (chars.size() != 18) {
    return Bad(kWhat, shown,
               "wrong length " + std::to_string(chars.size()) + " characters, expected 18");
  }
  std::string code;
  code.reserve(18);
  for (size_t i = 0; i < chars.size(); ++i) {
    const std::string_view ch = chars[i];
    const char c = ch.size() == 1 ? ToUpperAscii(ch[0]) : '\0';
    const std::string pos = " at position " + std::to_string(i + 1);
    if (c == '\0' || CreditValue(c) < 0) {
      return Bad(kWhat, shown, Show(ch) + pos + " is not in the code alphabet (no I O S V Z)");
    }
    if (i >= 2 && i < 8 && !IsDigit(c)) {
      return Bad(kWhat, shown, "non-digit " + Show(ch) + pos + " in the region code");
    }
    code.push_back(c);
  }
  StatusOr<char> check = CreditCodeCheckChar(std::string_view(code).substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != code[17]) {
    return Bad(kWhat, shown,
               std::string("bad check character (expected ") + *check + " got " + code[17] + ")");
  }
  return code;
}

// --------------------------------------------------------------------------
// Licence plates.

StatusOr<std::string> NormalizePlate(std::string_view raw) {
  static constexpr std::string_view kWhat = "plate";
  const std::string compact = Compact(raw);
  const std::string_view shown = TrimSpaces(raw);
  if (compact.empty()) return InvalidArgument("plate is empty");
  std::vector<std::string_view> chars;
  for (std::string_view ch : SplitChars(compact)) {
    if (!IsPlateSeparator(ch)) chars.push_back(ch);
  }
  if (chars.empty()) return Bad(kWhat, shown, "no characters besides separators");
  std::string plate;
  bool province = false;
  for (std::string_view p : kProvinces) province = province || chars[0] == p;
  if (!province) {
    return Bad(kWhat, shown,
               Show(chars[0]) + " at position 1 is not one of the 31 province abbreviations");
  }
  plate.append(chars[0]);
  if (chars.size() != 7 && chars.size() != 8) {
    return Bad(kWhat, shown,
               "wrong length " + std::to_string(chars.size()) +
                   " characters, expected 7 (ordinary) or 8 (new energy)");
  }
  for (size_t i = 1; i < chars.size(); ++i) {
    const std::string_view ch = chars[i];
    const char c = ch.size() == 1 ? ToUpperAscii(ch[0]) : '\0';
    const bool letter = c >= 'A' && c <= 'Z';
    if (i == 1 && !letter) {
      return Bad(kWhat, shown, Show(ch) + " at position 2 is not an authority letter A-Z");
    }
    if (!letter && !IsDigit(c)) {
      return Bad(kWhat, shown,
                 "bad character " + Show(ch) + " at position " + std::to_string(i + 1) +
                     ", expected A-Z or 0-9");
    }
    plate.push_back(c);
  }
  return plate;
}

// --------------------------------------------------------------------------
// Mobile phones.

StatusOr<std::string> NormalizePhone(std::string_view raw) {
  static constexpr std::string_view kWhat = "phone";
  // Fast path: already an 11-digit mobile number (what the general path
  // below returns unchanged), without its temporary strings.
  if (raw.size() == 11 && raw[0] == '1' && raw[1] >= '3' &&
      std::all_of(raw.begin(), raw.end(), IsDigit)) {
    return std::string(raw);
  }
  const std::string_view shown = TrimSpaces(raw);
  std::string s;
  for (char c : Compact(raw)) {
    if (c != '-' && c != '(' && c != ')') s.push_back(c);
  }
  if (s.empty()) return InvalidArgument("phone is empty");
  std::string_view v = s;
  if (v.starts_with("+86")) {
    v.remove_prefix(3);
  } else if (v.starts_with("0086")) {
    v.remove_prefix(4);
  } else if (v.starts_with("86") && v.size() == 13) {
    v.remove_prefix(2);
  }
  const std::vector<std::string_view> chars = SplitChars(v);
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].size() != 1 || !IsDigit(chars[i][0])) {
      return Bad(kWhat, shown,
                 "non-digit " + Show(chars[i]) + " at position " + std::to_string(i + 1));
    }
  }
  if (v.size() != 11) {
    return Bad(kWhat, shown, "wrong length " + std::to_string(v.size()) + " digits, expected 11");
  }
  if (v[0] != '1' || v[1] < '3') {
    return Bad(kWhat, shown, "not a mobile number (must start with 13..19)");
  }
  return std::string(v);
}

}  // namespace citygraph::keys
