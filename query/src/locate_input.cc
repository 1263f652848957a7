// Locate's input and status names: the identity-number lists users paste and
// the names of the row statuses.
#include <algorithm>
#include <string>

#include "citygraph/keys.h"
#include "citygraph/query/locate.h"

namespace citygraph::query {

std::string_view LocateStatusName(LocateStatus s) {
  switch (s) {
    case LocateStatus::kFound:
      return "found";
    case LocateStatus::kNotFound:
      return "not_found";
    case LocateStatus::kInvalidId:
      return "invalid_id";
    case LocateStatus::kAmbiguous:
      return "ambiguous";
  }
  return "unknown";
}

std::vector<std::string> SplitIdList(std::string_view text) {
  std::vector<std::string> out;
  bool first_line = true;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = keys::TrimSpaces(line);
    bool header =
        first_line && !trimmed.empty() &&
        std::none_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        keys::FullWidthToHalfWidth(trimmed) == std::string(trimmed);
    if (!trimmed.empty()) first_line = false;
    if (trimmed.empty() || trimmed.front() == '#' || header) continue;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',' || line[i] == ';' || line[i] == '\t') {
        std::string_view cell = keys::TrimSpaces(line.substr(start, i - start));
        if (!cell.empty()) out.emplace_back(cell);
        start = i + 1;
      }
    }
    if (nl == text.size()) break;
  }
  return out;
}

}  // namespace citygraph::query
