#include "citygraph/ingest/normalize.h"

#include <array>
#include <charconv>
#include <string>
#include <system_error>

#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Replaces middle-dot variants with U+00B7.
std::string UnifyMiddleDots(std::string_view s) {
  static constexpr std::array<std::string_view, 5> kDots = {"\u2022", "\u30FB", "\uFF65", "\u2027",
                                                            "\u2219"};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool replaced = false;
    for (std::string_view dot : kDots) {
      if (s.substr(i).starts_with(dot)) {
        out.append("\u00B7");
        i += dot.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Strips a currency prefix (￥ ¥ RMB CNY) from `v`; returns whether one was found.
bool StripCurrencyPrefix(std::string_view* v) {
  for (std::string_view prefix : {"\uFFE5", "\u00A5", "RMB", "rmb", "CNY", "cny"}) {
    if (v->starts_with(prefix)) {
      v->remove_prefix(prefix.size());
      return true;
    }
  }
  return false;
}

// Validates the digits of an amount (thousands commas in the integer part
// only) and appends them without commas to `*out`.
bool ScanAmountDigits(std::string_view v, std::string* out) {
  const size_t dot = v.find('.');
  const std::string_view int_part = v.substr(0, dot);
  const std::string_view frac_part = dot == std::string_view::npos ? "" : v.substr(dot + 1);
  if (dot != std::string_view::npos && frac_part.empty()) return false;
  if (int_part.empty() && frac_part.empty()) return false;
  const bool grouped = int_part.find(',') != std::string_view::npos;
  size_t group = 0;
  for (size_t i = 0; i < int_part.size(); ++i) {
    const char c = int_part[i];
    if (c == ',') {
      // The first group has 1..3 digits, every later one exactly 3.
      if (group == 0 || group > 3 || (i > group && group != 3)) return false;
      group = 0;
      continue;
    }
    if (!IsDigit(c)) return false;
    ++group;
    out->push_back(c);
  }
  if (grouped && group != 3) return false;
  if (!frac_part.empty()) {
    out->push_back('.');
    for (char c : frac_part) {
      if (!IsDigit(c)) return false;
      out->push_back(c);
    }
  }
  return true;
}

std::string DoubleToString(double v) {
  std::array<char, 64> buf;
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::to_string(v);
}

struct NamedNormalizer {
  std::string_view name;
  StatusOr<std::string> (*fn)(std::string_view);
};

const std::array<NamedNormalizer, 14>& Registry() {
  static const std::array<NamedNormalizer, 14> kRegistry = {{
      {"trim",
       [](std::string_view s) -> StatusOr<std::string> {
         return std::string(keys::TrimSpaces(s));
       }},
      {"collapse",
       [](std::string_view s) -> StatusOr<std::string> { return keys::CollapseSpaces(s); }},
      {"fullwidth",
       [](std::string_view s) -> StatusOr<std::string> { return keys::FullWidthToHalfWidth(s); }},
      {"upper", [](std::string_view s) -> StatusOr<std::string> { return UpperAscii(s); }},
      {"lower", [](std::string_view s) -> StatusOr<std::string> { return LowerAscii(s); }},
      {"id_number", &keys::NormalizeIdNumber},
      {"credit_code", &keys::NormalizeCreditCode},
      {"plate", &keys::NormalizePlate},
      {"phone", &keys::NormalizePhone},
      {"name", &NormalizeName},
      {"date",
       [](std::string_view s) -> StatusOr<std::string> {
         CG_ASSIGN_OR_RETURN(internal::Ymd ymd, internal::ParseYmd(s));
         std::string out;
         internal::AppendIsoDate(ymd, &out);
         return out;
       }},
      {"amount",
       [](std::string_view s) -> StatusOr<std::string> {
         CG_ASSIGN_OR_RETURN(double v, ParseAmount(s));
         return DoubleToString(v);
       }},
      {"int",
       [](std::string_view s) -> StatusOr<std::string> {
         CG_ASSIGN_OR_RETURN(int64_t v, ParseInt(s));
         return std::to_string(v);
       }},
      {"bool",
       [](std::string_view s) -> StatusOr<std::string> {
         CG_ASSIGN_OR_RETURN(bool v, ParseBool(s));
         return std::string(v ? "true" : "false");
       }},
  }};
  return kRegistry;
}

}  // namespace

StatusOr<std::string> NormalizeName(std::string_view raw) {
  const std::string text = UnifyMiddleDots(keys::CollapseSpaces(keys::FullWidthToHalfWidth(raw)));
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    // After CollapseSpaces a space is single and has non-space neighbours.
    if (text[i] == ' ' && (IsNonAscii(text[i - 1]) || IsNonAscii(text[i + 1]))) continue;
    out.push_back(text[i]);
  }
  if (out.empty()) return InvalidArgument("name " + Quoted(raw) + " is empty");
  return out;
}

StatusOr<double> ParseAmount(std::string_view raw) {
  // Plain text (the common case) is scanned in place.
  std::string converted;
  std::string_view v = raw;
  if (!internal::IsPlainText(raw)) {
    converted = keys::RemoveSpaces(keys::FullWidthToHalfWidth(raw));
    v = converted;
  }
  auto bad = [raw] { return InvalidArgument("amount " + Quoted(raw) + " is not a number"); };
  if (v.empty()) return InvalidArgument("amount is empty");
  std::string number;
  if (v.starts_with("-") || v.starts_with("+")) {
    if (v[0] == '-') number.push_back('-');
    v.remove_prefix(1);
  }
  if (StripCurrencyPrefix(&v) && number.empty() && (v.starts_with("-") || v.starts_with("+"))) {
    if (v[0] == '-') number.push_back('-');
    v.remove_prefix(1);
  }
  if (v.ends_with("元")) v.remove_suffix(std::string_view("元").size());
  if (!ScanAmountDigits(v, &number)) return bad();
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return bad();
  return value;
}

StatusOr<int64_t> ParseInt(std::string_view raw) {
  const std::string text = keys::FullWidthToHalfWidth(keys::TrimSpaces(raw));
  std::string_view v = keys::TrimSpaces(text);
  if (v.empty()) return InvalidArgument("integer is empty");
  // from_chars takes a '-' but no '+'; a '+' must be followed by a digit.
  if (v.starts_with("+")) {
    v.remove_prefix(1);
    if (v.empty() || !IsDigit(v[0])) {
      return InvalidArgument("integer " + Quoted(raw) + " is not a number");
    }
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return InvalidArgument("integer " + Quoted(raw) + " is out of the 64-bit range");
  }
  if (ec != std::errc() || end != v.data() + v.size()) {
    return InvalidArgument("integer " + Quoted(raw) + " is not a number");
  }
  return value;
}

StatusOr<bool> ParseBool(std::string_view raw) {
  const std::string v = LowerAscii(keys::FullWidthToHalfWidth(keys::TrimSpaces(raw)));
  for (std::string_view t : {"1", "true", "t", "yes", "y", "是", "真", "有"}) {
    if (v == t) return true;
  }
  for (std::string_view f : {"0", "false", "f", "no", "n", "否", "假", "无"}) {
    if (v == f) return false;
  }
  return InvalidArgument("boolean " + Quoted(raw) +
                         " is not one of 1/0, true/false, yes/no, y/n, 是/否");
}

StatusOr<Normalizer> FindNormalizer(std::string_view name) {
  for (const NamedNormalizer& n : Registry()) {
    if (n.name == name) return Normalizer(n.fn);
  }
  std::string known;
  for (const std::string& n : NormalizerNames()) known += (known.empty() ? "" : ", ") + n;
  return NotFound("unknown normaliser '" + std::string(name) + "' (known: " + known + ")");
}

StatusOr<std::vector<Normalizer>> FindNormalizers(const std::vector<std::string>& names) {
  std::vector<Normalizer> chain;
  chain.reserve(names.size());
  for (const std::string& name : names) {
    CG_ASSIGN_OR_RETURN(Normalizer n, FindNormalizer(name));
    chain.push_back(std::move(n));
  }
  return chain;
}

const std::vector<std::string>& NormalizerNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const NamedNormalizer& n : Registry()) names.emplace_back(n.name);
    return names;
  }();
  return kNames;
}

StatusOr<std::string> ApplyChain(const std::vector<Normalizer>& chain, std::string_view raw) {
  std::string value(raw);
  for (const Normalizer& step : chain) {
    CG_ASSIGN_OR_RETURN(value, step(value));
  }
  return value;
}

}  // namespace citygraph::ingest
