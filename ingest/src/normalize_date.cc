// Dates in every style the departments use (see ParseDate in normalize.h).
#include <string>

#include "citygraph/ingest/normalize.h"
#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest {
namespace internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

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

}  // namespace

StatusOr<Ymd> ParseYmd(std::string_view raw) {
  // Full-width forms are converted first; plain text is scanned in place.
  std::string converted;
  std::string_view text = TrimSpaces(raw);
  if (HasWideBytes(text)) {
    converted = keys::FullWidthToHalfWidth(text);
    text = converted;
  }
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

void AppendIsoDate(const Ymd& ymd, std::string* out) {
  char buf[10];
  const int parts[3] = {ymd.year, ymd.month, ymd.day};
  const int widths[3] = {4, 2, 2};
  size_t n = 0;
  for (int p = 0; p < 3; ++p) {
    if (p > 0) buf[n++] = '-';
    int v = parts[p];
    for (int k = widths[p] - 1; k >= 0; --k) {
      buf[n + k] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    n += widths[p];
  }
  out->append(buf, n);
}

bool HasWideBytes(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0xE3 || b == 0xEF) return true;
  }
  return false;
}

bool IsPlainText(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b == ' ' || (b >= '\t' && b <= '\r') || b == 0xC2 || b == 0xE3 || b == 0xEF) return false;
  }
  return true;
}

}  // namespace internal

StatusOr<Date> ParseDate(std::string_view raw) {
  CG_ASSIGN_OR_RETURN(internal::Ymd ymd, internal::ParseYmd(raw));
  return Date::FromYmd(ymd.year, ymd.month, ymd.day);
}

}  // namespace citygraph::ingest
