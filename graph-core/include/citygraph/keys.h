// Normalisation of external keys (identity numbers, unified social credit
// codes, licence plates, mobile phone numbers) and the small text helpers they
// share.
//
// Both ingest and query normalise a key before they look it up in the key
// index, so the canonical form defined here is the one stored in the database:
// two spellings of the same key normalise to the same bytes, and a value that
// cannot be a key is an InvalidArgument whose message says what is wrong
// (wrong length, non-digit at position N, impossible birth date, bad check
// character, ...). Positions in messages are 1-based character positions in
// the value after spaces were removed and full-width characters converted.
//
// All functions are pure and thread-safe. Inputs are UTF-8; invalid UTF-8
// bytes are never produced by these functions from valid input, and invalid
// input bytes are reported as bad characters.
#ifndef CITYGRAPH_KEYS_H_
#define CITYGRAPH_KEYS_H_

#include <string>
#include <string_view>

#include "citygraph/status.h"

namespace citygraph::keys {

// ---------------------------------------------------------------------------
// Text helpers.

// Converts full-width forms U+FF01..U+FF5E to their ASCII counterparts
// U+0021..U+007E and the ideographic space U+3000 to an ASCII space. All other
// bytes (including invalid UTF-8) are copied unchanged.
std::string FullWidthToHalfWidth(std::string_view utf8);

// Returns `s` without leading and trailing white space, where white space is
// ASCII space, \t, \r, \n, \v, \f, U+00A0 (no-break space) and U+3000
// (ideographic space). The result views `s`.
std::string_view TrimSpaces(std::string_view s);

// Trims `s` (as TrimSpaces) and replaces every inner run of white space by a
// single ASCII space.
std::string CollapseSpaces(std::string_view s);

// Removes every white-space character (as TrimSpaces defines it) from `s`.
std::string RemoveSpaces(std::string_view s);

// ---------------------------------------------------------------------------
// Resident identity numbers (GB 11643-1999).
//
// Canonical form: 18 ASCII characters, 17 digits then a check character
// '0'..'9' or 'X'. Layout: 6-digit region code (first two digits a
// province-level code: 11..15, 21..23, 31..37, 41..46, 50..54, 61..65, 71, 81,
// 82, 83), 8-digit birth date YYYYMMDD, 3-digit sequence
// (odd = male), check character (ISO 7064 MOD 11-2).

// Normalises an identity number as users paste it: removes white space
// anywhere (ASCII and full-width), converts full-width digits and letters to
// ASCII, upper-cases a final 'x', and converts a 15-digit number (first
// generation: region, YYMMDD, sequence) to 18 digits by inserting "19" before
// the year and appending the computed check character.
// Returns the canonical 18-character number, or InvalidArgument when the
// value is empty, has the wrong length, has a non-digit where a digit belongs,
// has an unknown province-level region prefix, an impossible birth date
// (calendar-checked, year 1880..2099), or a wrong check character.
StatusOr<std::string> NormalizeIdNumber(std::string_view raw);

// Computes the ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of the
// first 17 digits. InvalidArgument unless `first17` is exactly 17 ASCII digits.
StatusOr<char> IdNumberCheckChar(std::string_view first17);

struct BirthDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const BirthDate&) const = default;
};

// Birth date encoded in a canonical identity number (characters 7..14).
// InvalidArgument if `canonical` is not a valid canonical number (it is
// checked with the same rules as NormalizeIdNumber, without normalising).
StatusOr<BirthDate> IdNumberBirthDate(std::string_view canonical);

enum class Sex { kFemale, kMale };

// Sex encoded in a canonical identity number: odd 17th digit = male.
// InvalidArgument if `canonical` is not a valid canonical number.
StatusOr<Sex> IdNumberSex(std::string_view canonical);

// ---------------------------------------------------------------------------
// Unified social credit codes (GB 32100-2015).
//
// Canonical form: 18 upper-case ASCII characters from the alphabet
// 0-9 A-H J-N P-R T-U W-Y (no I, O, Z, S, V); characters 3..8 are the digits
// of an administrative region code; the 18th is a check character computed
// mod 31 with the weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.

// Removes white space, converts full-width characters to ASCII, upper-cases.
// Returns the canonical code, or InvalidArgument for the wrong length, a
// character outside the alphabet (naming it and its position), a non-digit in
// the region code, or a wrong check character.
StatusOr<std::string> NormalizeCreditCode(std::string_view raw);

// Check character of the first 17 characters of a credit code.
// InvalidArgument unless `first17` is 17 characters of the code alphabet
// (upper case).
StatusOr<char> CreditCodeCheckChar(std::string_view first17);

// ---------------------------------------------------------------------------
// Chinese licence plates.
//
// Canonical form: province abbreviation (one of the 31 province-level
// characters, UTF-8) + issuing-authority letter A-Z + 5 alphanumerics
// (ordinary plates, 7 characters, e.g. "鄂A12345") or 6 alphanumerics
// (new-energy plates, 8 characters, e.g. "鄂AD12345"), upper-case ASCII, no
// separators.

// Removes white space and separators (middle dots ·•・, '-', '.'), converts
// full-width characters to ASCII, upper-cases. Returns the canonical plate or
// InvalidArgument naming the problem (unknown province character, missing
// authority letter, wrong length, bad character at position N).
StatusOr<std::string> NormalizePlate(std::string_view raw);

// ---------------------------------------------------------------------------
// Mobile phone numbers (mainland China).
//
// Canonical form: 11 ASCII digits matching 1[3-9]\d{9}.

// Removes white space, '-', '(', ')', converts full-width characters, strips a
// leading "+86", "0086" or "86" country code (the latter only when 13 digits
// remain). Returns the canonical number or InvalidArgument (non-digit at
// position N, wrong length, not a mobile prefix).
StatusOr<std::string> NormalizePhone(std::string_view raw);

}  // namespace citygraph::keys

#endif  // CITYGRAPH_KEYS_H_
