// Check characters and layouts of the keys the city uses: resident identity
// numbers (GB 11643, ISO 7064 MOD 11-2), unified social credit codes
// (GB 32100 with a GB 11714 organisation code), plates, phones.
#ifndef CITYGRAPH_DATAGEN_SRC_CODES_H_
#define CITYGRAPH_DATAGEN_SRC_CODES_H_

#include <string>
#include <string_view>

#include "civil_date.h"

namespace citygraph::datagen::internal {

// Check character of the first 17 digits of an identity number.
char IdCheckChar(std::string_view first17);
// 18-character identity number; `seq` 0..999 (odd = male).
std::string MakeIdNumber(std::string_view region6, Day birth, int seq);
// First-generation 15-digit form (region, YYMMDD, sequence).
std::string IdTo15(std::string_view id18);
// A different, wrong check character for `id18`'s first 17 digits.
char WrongIdCheckChar(std::string_view id18, uint64_t pick);

// The 31-character alphabet of credit codes.
inline constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// GB 32100 check character of the first 17 characters.
char CreditCheckChar(std::string_view first17);
// GB 11714 check character of an 8-character organisation code body
// ('0'..'9' or 'X'; value 11 maps to '0').
char OrgCodeCheckChar(std::string_view body8);
// 18-character credit code: '9', kind ('1' company, '2' individual business),
// region, 8 random alphabet characters from `bits` + GB 11714 check, check.
std::string MakeCreditCode(char kind, std::string_view region6, uint64_t bits);
char WrongCreditCheckChar(std::string_view code18, uint64_t pick);

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_CODES_H_
