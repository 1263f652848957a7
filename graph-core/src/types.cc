#include "citygraph/types.h"

#include <chrono>
#include <cstdio>

namespace citygraph {
namespace {

// Days from civil and back (proleptic Gregorian), after H. Hinnant's
// public-domain "chrono-compatible low-level date algorithms".
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (m <= 2));
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

StatusOr<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1800 || year > 2200) {
    return InvalidArgument("date year " + std::to_string(year) + " is outside 1800..2200");
  }
  if (month < 1 || month > 12) {
    return InvalidArgument("date month " + std::to_string(month) + " is not 1..12");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return InvalidArgument("date " + std::to_string(year) + "-" + std::to_string(month) +
                           " has no day " + std::to_string(day));
  }
  return Date{static_cast<int32_t>(DaysFromCivil(year, month, day))};
}

StatusOr<Date> Date::Parse(std::string_view iso) {
  auto bad = [&] { return InvalidArgument("date '" + std::string(iso) + "' is not YYYY-MM-DD"); };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return false;
      v = v * 10 + (iso[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, m, d;
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d)) return bad();
  return FromYmd(y, m, d);
}

void Date::ToYmd(int* year, int* month, int* day) const { CivilFromDays(days, year, month, day); }

std::string Date::ToString() const {
  if (*this == Min()) return "-inf";
  if (*this == Max()) return "+inf";
  int y, m, d;
  ToYmd(&y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

Timestamp Timestamp::Now() {
  using namespace std::chrono;
  return Timestamp{duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

std::string Timestamp::ToString() const {
  int64_t secs = micros / 1000000;
  int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60), static_cast<int>(frac));
  return buf;
}

std::string_view PropTypeName(PropType type) {
  switch (type) {
    case PropType::kString:
      return "string";
    case PropType::kInt64:
      return "int64";
    case PropType::kDouble:
      return "double";
    case PropType::kBool:
      return "bool";
    case PropType::kDate:
      return "date";
    case PropType::kTimestamp:
      return "timestamp";
  }
  return "unknown";
}

StatusOr<PropType> ParsePropType(std::string_view name) {
  for (PropType t : {PropType::kString, PropType::kInt64, PropType::kDouble, PropType::kBool,
                     PropType::kDate, PropType::kTimestamp}) {
    if (PropTypeName(t) == name) return t;
  }
  return InvalidArgument("unknown property type '" + std::string(name) +
                         "' (expected string, int64, double, bool, date or timestamp)");
}

PropType TypeOf(const Value& v) {
  switch (v.index()) {
    case 1:
      return PropType::kString;
    case 2:
      return PropType::kInt64;
    case 3:
      return PropType::kDouble;
    case 4:
      return PropType::kBool;
    case 5:
      return PropType::kDate;
    case 6:
      return PropType::kTimestamp;
  }
  assert(false && "TypeOf(absent value)");
  return PropType::kString;
}

std::string ValueToString(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      return buf;
    }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(Date d) const { return d.ToString(); }
    std::string operator()(Timestamp t) const { return t.ToString(); }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace citygraph
