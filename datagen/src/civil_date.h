// Calendar dates as days since 1970-01-01 (proleptic Gregorian) and the
// date styles the departments write.
#ifndef CITYGRAPH_DATAGEN_SRC_CIVIL_DATE_H_
#define CITYGRAPH_DATAGEN_SRC_CIVIL_DATE_H_

#include <cstdint>
#include <string>

namespace citygraph::datagen::internal {

using Day = int32_t;
inline constexpr Day kNever = INT32_MAX;  // "still holds" end date

Day DaysFromCivil(int y, int m, int d);
void CivilFromDays(Day z, int* y, int* m, int* d);
inline int YearOf(Day z) {
  int y, m, d;
  CivilFromDays(z, &y, &m, &d);
  return y;
}

enum class DateStyle {
  kIso,      // 2016-07-09
  kSlash,    // 2016/7/9
  kCompact,  // 20160709
  kChinese,  // 2016年7月9日
};

// Appends `day` in `style`; appends nothing for kNever.
void AppendDate(std::string* out, Day day, DateStyle style);
std::string FormatDate(Day day, DateStyle style);
// An impossible date in `style` (month 13 or day 30 of February), chosen by `pick`.
std::string ImpossibleDate(DateStyle style, uint64_t pick);

// The world's fixed dates (README "Dates of the world").
inline const Day kAsOf = DaysFromCivil(2024, 6, 30);
inline const Day kExtraction = DaysFromCivil(2024, 9, 30);
inline const Day kWindowFirst = DaysFromCivil(2023, 7, 1);
inline const Day kWindowLast = DaysFromCivil(2024, 6, 30);

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_CIVIL_DATE_H_
