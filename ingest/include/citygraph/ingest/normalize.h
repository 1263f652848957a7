// Value normalisers for department files: dates in every style departments
// use, names, amounts, integers, booleans, and a registry of named normalisers
// that mapping files chain per column.
//
// Key normalisers (identity numbers, credit codes, plates, phones) live in
// graph-core's citygraph/keys.h because query needs them too; the registry
// below exposes them under their mapping-file names.
//
// All functions are pure and thread-safe. Normalizer objects returned by
// FindNormalizer are stateless and may be shared between threads.
#ifndef CITYGRAPH_INGEST_NORMALIZE_H_
#define CITYGRAPH_INGEST_NORMALIZE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::ingest {

// Parses a calendar date written in any of these styles (full-width digits
// and white space anywhere are accepted):
//   2016-07-09   2016/7/9   2016.7.9   20160709   2016年7月9日
// Month and day may have one or two digits except in the 8-digit form. A
// trailing time of day after a space or 'T' ("2016-07-09 08:30:00",
// "2016-07-09T08:30") is accepted and ignored for the separated styles.
// Returns the Date, or InvalidArgument naming the raw value for garbage and
// impossible dates (2019-02-30, month 13, years outside Date::FromYmd's range).
StatusOr<Date> ParseDate(std::string_view raw);

// Normalises a person's or business's name: trims, converts full-width to
// half-width, turns the middle-dot variants (• ・ ･ ‧) into U+00B7 '·', and
// collapses white space: a space next to a non-ASCII character (a Chinese
// name) is removed entirely, a run of spaces between ASCII characters becomes
// one space ("张 三" -> "张三", " John  Smith " -> "John Smith").
// InvalidArgument if nothing remains.
StatusOr<std::string> NormalizeName(std::string_view raw);

// Parses a money amount: "1,234.50", "￥1234.5", "¥1234.5", "1234.5元",
// "RMB 1234", full-width digits, an optional leading '-' or '+'. Commas are
// allowed only as thousands separators in the integer part.
// InvalidArgument naming the raw value for anything else (empty, letters, two
// decimal points, a lone currency sign).
StatusOr<double> ParseAmount(std::string_view raw);

// Parses a base-10 int64 with an optional sign; trims and accepts full-width
// digits. InvalidArgument for garbage or overflow.
StatusOr<int64_t> ParseInt(std::string_view raw);

// Parses a boolean: 1/0, true/false, t/f, yes/no, y/n (ASCII, any case),
// 是/否, 真/假, 有/无. Trims and accepts full-width forms.
// InvalidArgument for anything else.
StatusOr<bool> ParseBool(std::string_view raw);

// ---------------------------------------------------------------------------
// Named normalisers for mapping files.
//
// A Normalizer maps a raw cell to canonical text, or returns InvalidArgument.
// Canonical text per name:
//   "trim"        TrimSpaces (ASCII white space, U+00A0, U+3000); never fails
//   "collapse"    trim + inner white-space runs to one space; never fails
//   "fullwidth"   FullWidthToHalfWidth; never fails
//   "upper"       ASCII upper-case; never fails
//   "lower"       ASCII lower-case; never fails
//   "id_number"   keys::NormalizeIdNumber (18 chars)
//   "credit_code" keys::NormalizeCreditCode
//   "plate"       keys::NormalizePlate
//   "phone"       keys::NormalizePhone
//   "name"        NormalizeName
//   "date"        ParseDate, written ISO "YYYY-MM-DD"
//   "amount"      ParseAmount, written in the shortest form that reads back
//                 to the same double ("1234.5", "-3", "0.1")
//   "int"         ParseInt, written in decimal
//   "bool"        ParseBool, written "true" / "false"
// Error messages name the normaliser's input value; callers add the file,
// line and column.
using Normalizer = std::function<StatusOr<std::string>(std::string_view)>;

// Returns the normaliser called `name`, or NotFound listing the known names.
StatusOr<Normalizer> FindNormalizer(std::string_view name);

// Looks up each name in order (as FindNormalizer). Fails on the first unknown
// name.
StatusOr<std::vector<Normalizer>> FindNormalizers(const std::vector<std::string>& names);

// The names FindNormalizer knows, in the order listed above.
const std::vector<std::string>& NormalizerNames();

// Applies `chain` left to right, each step's output feeding the next. An empty
// chain returns `raw` unchanged. Returns the first error unchanged.
StatusOr<std::string> ApplyChain(const std::vector<Normalizer>& chain, std::string_view raw);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_NORMALIZE_H_
