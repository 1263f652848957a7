#include "civil_date.h"

#include <charconv>

namespace citygraph::datagen::internal {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
Day DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(Day z0, int* y, int* m, int* d) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
}

namespace {
void AppendInt(std::string* out, int v, int width) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  for (int pad = width - static_cast<int>(end - buf); pad > 0; --pad) out->push_back('0');
  out->append(buf, end);
}

void AppendYmd(std::string* out, int y, int m, int d, DateStyle style) {
  switch (style) {
    case DateStyle::kIso:
      AppendInt(out, y, 4);
      out->push_back('-');
      AppendInt(out, m, 2);
      out->push_back('-');
      AppendInt(out, d, 2);
      break;
    case DateStyle::kSlash:
      AppendInt(out, y, 4);
      out->push_back('/');
      AppendInt(out, m, 1);
      out->push_back('/');
      AppendInt(out, d, 1);
      break;
    case DateStyle::kCompact:
      AppendInt(out, y, 4);
      AppendInt(out, m, 2);
      AppendInt(out, d, 2);
      break;
    case DateStyle::kChinese:
      AppendInt(out, y, 4);
      out->append("年");
      AppendInt(out, m, 1);
      out->append("月");
      AppendInt(out, d, 1);
      out->append("日");
      break;
  }
}
}  // namespace

void AppendDate(std::string* out, Day day, DateStyle style) {
  if (day == kNever) return;
  int y, m, d;
  CivilFromDays(day, &y, &m, &d);
  AppendYmd(out, y, m, d, style);
}

std::string FormatDate(Day day, DateStyle style) {
  std::string s;
  AppendDate(&s, day, style);
  return s;
}

std::string ImpossibleDate(DateStyle style, uint64_t pick) {
  std::string s;
  const int year = 2005 + static_cast<int>(pick % 18);
  if (pick % 2 == 0) {
    AppendYmd(&s, year, 13, 1 + static_cast<int>(pick % 28), style);
  } else {
    AppendYmd(&s, year, 2, 30, style);
  }
  return s;
}

}  // namespace citygraph::datagen::internal
