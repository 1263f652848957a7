// Identity numbers (citygraph/keys.h): normalising 15- and 18-character
// numbers, check characters, and the birth date and sex they encode.
#include <array>
#include <string>
#include <vector>

#include "citygraph/keys.h"
#include "keys_internal.h"

namespace citygraph::keys {
namespace {

using internal::Bad;
using internal::Compact;
using internal::IsDigit;
using internal::Show;
using internal::SplitChars;

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool IsCalendarDate(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const int days = kDays[m - 1] + ((m == 2 && IsLeapYear(y)) ? 1 : 0);
  return d <= days;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool IsProvinceCode(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

// Checks an 18-character ASCII string of 17 digits + [0-9X]: region, birth
// date and check character. `raw` is only used in messages.
Status ValidateCanonicalId(std::string_view id, std::string_view raw) {
  static constexpr std::string_view kWhat = "identity number";
  const int province = Digits(id.substr(0, 2));
  if (!IsProvinceCode(province)) {
    return Bad(kWhat, raw,
               "unknown region prefix " + std::string(id.substr(0, 6)) + " (province code " +
                   std::string(id.substr(0, 2)) + " does not exist)");
  }
  const int y = Digits(id.substr(6, 4));
  const int m = Digits(id.substr(10, 2));
  const int d = Digits(id.substr(12, 2));
  if (y < 1880 || y > 2099 || !IsCalendarDate(y, m, d)) {
    return Bad(kWhat, raw, "impossible birth date " + std::string(id.substr(6, 8)));
  }
  StatusOr<char> check = IdNumberCheckChar(id.substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != id[17]) {
    return Bad(kWhat, raw,
               std::string("bad check character (expected ") + *check + " got " + id[17] + ")");
  }
  return Status::OK();
}

// Verifies that `canonical` is already canonical (no normalising).
Status CheckCanonicalId(std::string_view canonical) {
  if (canonical.size() != 18) {
    return Bad("identity number", canonical, "not a canonical 18-character number");
  }
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(canonical[i])) {
      return Bad(
          "identity number", canonical,
          "non-digit " + Show(canonical.substr(i, 1)) + " at position " + std::to_string(i + 1));
    }
  }
  if (!IsDigit(canonical[17]) && canonical[17] != 'X') {
    return Bad("identity number", canonical,
               "bad check character " + Show(canonical.substr(17, 1)) + " at position 18");
  }
  return ValidateCanonicalId(canonical, canonical);
}

}  // namespace

StatusOr<char> IdNumberCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kMap = "10X98765432";
  if (first17.size() != 17) {
    return InvalidArgument("identity number check: expected 17 digits, got " +
                           std::to_string(first17.size()) + " characters");
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(first17[i])) {
      return InvalidArgument("identity number check: non-digit " + Show(first17.substr(i, 1)) +
                             " at position " + std::to_string(i + 1));
    }
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kMap[sum % 11];
}

StatusOr<std::string> NormalizeIdNumber(std::string_view raw) {
  static constexpr std::string_view kWhat = "identity number";
  // Fast path: already 17 ASCII digits and a check character.
  if (raw.size() == 18) {
    bool digits = true;
    for (size_t i = 0; i < 17 && digits; ++i) digits = IsDigit(raw[i]);
    if (digits && (IsDigit(raw[17]) || raw[17] == 'X' || raw[17] == 'x')) {
      std::string id(raw);
      if (id[17] == 'x') id[17] = 'X';
      CG_RETURN_IF_ERROR(ValidateCanonicalId(id, raw));
      return id;
    }
  }
  const std::string compact = Compact(raw);
  const std::string_view shown = TrimSpaces(raw);
  if (compact.empty()) return InvalidArgument("identity number is empty");
  const std::vector<std::string_view> chars = SplitChars(compact);
  const size_t len = chars.size();
  if (len != 15 && len != 18) {
    return Bad(kWhat, shown,
               "wrong length " + std::to_string(len) + " characters, expected 15 or 18");
  }
  std::string id;
  id.reserve(18);
  for (size_t i = 0; i < len; ++i) {
    const std::string_view ch = chars[i];
    if (ch.size() == 1 && IsDigit(ch[0])) {
      id.push_back(ch[0]);
    } else if (len == 18 && i == 17 && (ch == "x" || ch == "X")) {
      id.push_back('X');
    } else {
      return Bad(kWhat, shown, "non-digit " + Show(ch) + " at position " + std::to_string(i + 1));
    }
  }
  if (len == 15) {
    id.insert(6, "19");
    StatusOr<char> check = IdNumberCheckChar(id);
    if (!check.ok()) return check.status();
    id.push_back(*check);
  }
  CG_RETURN_IF_ERROR(ValidateCanonicalId(id, shown));
  return id;
}

StatusOr<BirthDate> IdNumberBirthDate(std::string_view canonical) {
  CG_RETURN_IF_ERROR(CheckCanonicalId(canonical));
  return BirthDate{Digits(canonical.substr(6, 4)), Digits(canonical.substr(10, 2)),
                   Digits(canonical.substr(12, 2))};
}

StatusOr<Sex> IdNumberSex(std::string_view canonical) {
  CG_RETURN_IF_ERROR(CheckCanonicalId(canonical));
  return ((canonical[16] - '0') % 2 == 1) ? Sex::kMale : Sex::kFemale;
}

}  // namespace citygraph::keys
