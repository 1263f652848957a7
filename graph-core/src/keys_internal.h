// Helpers shared by the key normalisers (keys.cc, keys_id_number.cc), for
// their error messages and their character handling.
//
// Thread-safety: pure functions.
#ifndef CITYGRAPH_SRC_KEYS_INTERNAL_H_
#define CITYGRAPH_SRC_KEYS_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "citygraph/status.h"

namespace citygraph::keys::internal {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits UTF-8 text into characters (each a view of 1..4 bytes; an invalid
// byte is a character of its own).
std::vector<std::string_view> SplitChars(std::string_view s);

// Printable rendering of one character for an error message.
std::string Show(std::string_view ch);

// InvalidArgument "<what> <raw quoted>: <why>".
Status Bad(std::string_view what, std::string_view raw, const std::string& why);

// Full-width to ASCII, then all white space removed.
std::string Compact(std::string_view raw);

}  // namespace citygraph::keys::internal

#endif  // CITYGRAPH_SRC_KEYS_INTERNAL_H_
