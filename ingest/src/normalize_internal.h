// Internal: pieces of the normalisers shared by normalize.cc, the date
// parser (normalize_date.cc) and the compiled chains (chain.cc).
// All functions are pure and thread-safe.
#ifndef CITYGRAPH_INGEST_SRC_NORMALIZE_INTERNAL_H_
#define CITYGRAPH_INGEST_SRC_NORMALIZE_INTERNAL_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "citygraph/keys.h"
#include "citygraph/status.h"

namespace citygraph::ingest::internal {

// Per byte: 1 if a white-space character (as keys::TrimSpaces defines it:
// ASCII ' ', \t..\r, U+00A0 = C2 A0, U+3000 = E3 80 80) may start with it,
// 2 if one may end with it.
inline constexpr std::array<uint8_t, 256> kSpaceEdge = [] {
  std::array<uint8_t, 256> t{};
  for (int b = '\t'; b <= '\r'; ++b) t[b] = 3;
  t[' '] = 3;
  t[0xC2] = t[0xE3] = 1;
  t[0xA0] = t[0x80] = 2;
  return t;
}();

// keys::TrimSpaces(s), without the call for the common text that neither
// starts nor ends with a byte of white space (it is then its own trim).
inline std::string_view TrimSpaces(std::string_view s) {
  if (s.empty() || ((kSpaceEdge[static_cast<unsigned char>(s.front())] & 1) == 0 &&
                    (kSpaceEdge[static_cast<unsigned char>(s.back())] & 2) == 0)) {
    return s;
  }
  return keys::TrimSpaces(s);
}

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
