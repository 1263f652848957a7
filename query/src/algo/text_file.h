// Internal: the one seam through which the algorithm library touches the
// file system, plus a whitespace tokenizer for line-oriented inputs.
#ifndef CITYGRAPH_QUERY_SRC_ALGO_TEXT_FILE_H_
#define CITYGRAPH_QUERY_SRC_ALGO_TEXT_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "citygraph/status.h"

namespace citygraph::algo::internal {

// The whole file; IOError naming `path` if it cannot be read.
StatusOr<std::string> ReadWholeFile(const std::string& path);
// Replaces `path` with `text`; IOError naming `path` on failure.
Status WriteWholeFile(const std::string& path, std::string_view text);

// Splits `line` at spaces/tabs (and a trailing '\r') into at most `max`
// fields; returns the number of fields found (which may exceed `max`, in
// which case only the first `max` are stored).
size_t SplitFields(std::string_view line, std::string_view* fields, size_t max);

// Calls fn(line_number, line) for every line of `text` (1-based).
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    ++line_no;
    fn(line_no, line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

// Parses a whole field as an integer / a double ("inf", "Infinity" too).
bool ParseInt64(std::string_view field, int64_t* out);
bool ParseDouble(std::string_view field, double* out);

}  // namespace citygraph::algo::internal

#endif  // CITYGRAPH_QUERY_SRC_ALGO_TEXT_FILE_H_
