// Internal: pieces of the normalisers shared by normalize.cc, the date
// parser (normalize_date.cc) and the compiled chains (chain.cc).
// All functions are pure and thread-safe.
#ifndef CITYGRAPH_INGEST_SRC_NORMALIZE_INTERNAL_H_
#define CITYGRAPH_INGEST_SRC_NORMALIZE_INTERNAL_H_

#include <string>
#include <string_view>

#include "citygraph/status.h"

namespace citygraph::ingest::internal {

// True when `s` contains a byte 0xE3 or 0xEF, i.e. when it may hold a
// full-width form (U+FF01..U+FF5E) or U+3000. Without such bytes
// keys::FullWidthToHalfWidth(s) == s.
bool HasWideBytes(std::string_view s);

// True when `s` has no white space (as keys::TrimSpaces defines it) and no
// full-width form: no byte 0x09..0x0D, 0x20, 0xC2, 0xE3 or 0xEF. The
// keys:: white-space and full-width functions are the identity on such text
// (TrimSpaces, CollapseSpaces, RemoveSpaces, FullWidthToHalfWidth).
bool IsPlainText(std::string_view s);

struct Ymd {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Parses a date in any style ParseDate accepts and checks it is a calendar
// date. InvalidArgument (naming `raw`) otherwise. Allocates only when `raw`
// holds full-width characters (or on error).
StatusOr<Ymd> ParseYmd(std::string_view raw);

// Appends "YYYY-MM-DD" (years 0..9999, as ParseYmd yields) to `*out`.
void AppendIsoDate(const Ymd& ymd, std::string* out);

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_NORMALIZE_INTERNAL_H_
