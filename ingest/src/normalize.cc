#include "citygraph/ingest/normalize.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <string>
#include <system_error>

#include "citygraph/keys.h"

namespace citygraph::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// 'raw' in single quotes. (Built by appending: GCC 12 reports a false
// -Wrestrict for "'" + std::string.)
std::string Quoted(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 2);
  out.push_back('\'');
  out.append(raw);
  out.push_back('\'');
  return out;
}

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

// A cursor over half-width, trimmed date text.
class DateScanner {
 public:
  explicit DateScanner(std::string_view s) : s_(s) {}

  // Skips ASCII white space; returns whether any was skipped.
  bool SkipSpaces() {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsAsciiSpace(s_[pos_])) ++pos_;
    return pos_ > start;
  }
  // Reads a run of digits (possibly empty).
  std::string_view Digits() {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  bool Consume(std::string_view token) {
    if (!s_.substr(pos_).starts_with(token)) return false;
    pos_ += token.size();
    return true;
  }
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Accepts hh:mm[:ss[.fraction]] with plausible ranges.
bool ScanTimeOfDay(DateScanner* sc) {
  const std::string_view h = sc->Digits();
  if (h.empty() || h.size() > 2 || ToInt(h) > 23 || !sc->Consume(":")) return false;
  const std::string_view m = sc->Digits();
  if (m.size() != 2 || ToInt(m) > 59) return false;
  if (sc->Consume(":")) {
    const std::string_view sec = sc->Digits();
    if (sec.size() != 2 || ToInt(sec) > 60) return false;
    if (sc->Consume(".") && sc->Digits().empty()) return false;
  }
  sc->SkipSpaces();
  return sc->AtEnd();
}

struct Ymd {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Recognises the date styles; false for garbage (the caller names the value).
bool ScanDate(std::string_view text, Ymd* out) {
  DateScanner sc(text);
  sc.SkipSpaces();
  const std::string_view first = sc.Digits();
  if (first.size() == 8) {
    sc.SkipSpaces();
    if (!sc.AtEnd()) return false;
    *out = {ToInt(first.substr(0, 4)), ToInt(first.substr(4, 2)), ToInt(first.substr(6, 2))};
    return true;
  }
  if (first.size() != 4) return false;
  sc.SkipSpaces();
  std::string_view month_sep;
  std::string_view day_sep;
  for (std::string_view sep : {"-", "/", "."}) {
    if (sc.Consume(sep)) {
      month_sep = day_sep = sep;
      break;
    }
  }
  const bool chinese = month_sep.empty() && sc.Consume("年");
  if (chinese) day_sep = "月";
  if (!chinese && month_sep.empty()) return false;
  sc.SkipSpaces();
  const std::string_view month = sc.Digits();
  if (month.empty() || month.size() > 2) return false;
  sc.SkipSpaces();
  if (!sc.Consume(day_sep)) return false;
  sc.SkipSpaces();
  const std::string_view day = sc.Digits();
  if (day.empty() || day.size() > 2) return false;
  bool spaced = sc.SkipSpaces();
  if (chinese && (sc.Consume("日") || sc.Consume("号"))) spaced = sc.SkipSpaces();
  if (!sc.AtEnd()) {
    if (sc.Consume("T")) {
      spaced = true;
    }
    if (!spaced || !ScanTimeOfDay(&sc)) return false;
  }
  *out = {ToInt(first), ToInt(month), ToInt(day)};
  return true;
}

StatusOr<Ymd> ParseYmd(std::string_view raw) {
  const std::string text = keys::FullWidthToHalfWidth(keys::TrimSpaces(raw));
  Ymd ymd;
  if (text.empty()) return InvalidArgument("date is empty");
  if (!ScanDate(text, &ymd)) {
    return InvalidArgument("date " + Quoted(raw) +
                           " is not a date (expected e.g. 2016-07-09, 2016/7/9, 2016.7.9, "
                           "20160709 or 2016年7月9日)");
  }
  StatusOr<Date> date = Date::FromYmd(ymd.year, ymd.month, ymd.day);
  if (!date.ok()) {
    return InvalidArgument("date " + Quoted(raw) + " is impossible: " + date.status().message());
  }
  return ymd;
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

std::string DateToIso(const Ymd& ymd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
  return buf;
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
         CG_ASSIGN_OR_RETURN(Ymd ymd, ParseYmd(s));
         return DateToIso(ymd);
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

StatusOr<Date> ParseDate(std::string_view raw) {
  CG_ASSIGN_OR_RETURN(Ymd ymd, ParseYmd(raw));
  return Date::FromYmd(ymd.year, ymd.month, ymd.day);
}

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
  const std::string text = keys::RemoveSpaces(keys::FullWidthToHalfWidth(raw));
  const Status bad = InvalidArgument("amount " + Quoted(raw) + " is not a number");
  if (text.empty()) return InvalidArgument("amount is empty");
  std::string_view v = text;
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
  if (!ScanAmountDigits(v, &number)) return bad;
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return bad;
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
