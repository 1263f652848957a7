// Rendering of query results: JSON (nlohmann::json; the shapes are documented
// in query/README.md and shared by the CLI and the API) and flat tables
// (columns + rows of text) printed as CSV or as an aligned text table.
//
// Dates are ISO "YYYY-MM-DD" ("+inf" for a fact that still holds),
// recorded_at ISO 8601 UTC, scores and confidences numbers.
// Thread-safety: pure functions.
#ifndef CITYGRAPH_QUERY_RENDER_H_
#define CITYGRAPH_QUERY_RENDER_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/query/conflicts.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/profile.h"
#include "citygraph/query/traverse.h"

namespace citygraph::query {

nlohmann::json ToJson(const Truncation& t);
nlohmann::json ToJson(const EntityRef& e);
nlohmann::json ToJson(const MatchInfo& m);
nlohmann::json ToJson(const Evidence& e);
nlohmann::json ToJson(const NeighborsResult& r);
nlohmann::json ToJson(const Subgraph& r);
nlohmann::json ToJson(const SharedResult& r);
nlohmann::json ToJson(const PathsResult& r);
nlohmann::json ToJson(const Profile& r);
nlohmann::json ToJson(const HouseholdMember& m);
nlohmann::json ToJson(const HouseholdView& r);
nlohmann::json ToJson(const std::vector<HouseholdView>& r);
nlohmann::json ToJson(const ConflictReport& r);
nlohmann::json ToJson(const LocateResult& r);

// A flat table: every row has columns.size() cells.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// One row per neighbour / subgraph edge / shared vertex / path hop /
// property observation / household member / rule-hit evidence edge /
// (number, candidate). Column lists are documented in query/README.md.
Table ToTable(const NeighborsResult& r);
Table ToTable(const Subgraph& r);
Table ToTable(const SharedResult& r);
Table ToTable(const PathsResult& r);
Table ToTable(const Profile& r);
Table ToTable(const std::vector<HouseholdView>& r);
Table ToTable(const ConflictReport& r);
Table ToTable(const LocateResult& r);

// RFC 4180 CSV (quotes fields containing comma, quote, CR or LF), "\n" line ends.
std::string RenderCsv(const Table& t);
// Columns padded to their widest cell (display width: CJK characters count 2).
std::string RenderText(const Table& t);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_RENDER_H_
