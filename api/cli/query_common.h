// Shared helpers of the query subcommands (cmd_query.cc, cmd_query_eval.cc):
// opening a database read-only for querying and printing a result in the
// requested format.
#ifndef CITYGRAPH_API_CLI_QUERY_COMMON_H_
#define CITYGRAPH_API_CLI_QUERY_COMMON_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "citygraph/graph.h"
#include "citygraph/query/context.h"
#include "citygraph/query/render.h"

namespace citygraph::cli {

struct OpenedDb {
  std::unique_ptr<Database> db;
  query::QueryContext ctx;
};

// Opens `dir` read-only and builds a query context on its current snapshot.
inline StatusOr<OpenedDb> OpenForQuery(const std::string& dir) {
  DatabaseOptions options;
  options.read_only = true;
  CG_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(dir, options));
  OpenedDb out;
  out.ctx = query::QueryContext::FromDatabase(*db);
  out.db = std::move(db);
  return out;
}

// Parses an optional ISO date ("" = none).
inline StatusOr<std::optional<Date>> OptionalDate(const std::string& text) {
  if (text.empty()) return std::optional<Date>();
  auto d = Date::Parse(text);
  if (!d.ok()) return d.status().WithContext("--as-of");
  return std::optional<Date>(*d);
}

// Prints `result` as json (indented), csv or table. Strings that are not
// valid UTF-8 are printed with U+FFFD in place of the bad bytes.
template <typename R>
void PrintResult(const R& result, const std::string& format) {
  std::string out;
  if (format == "json") {
    out = query::ToJson(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  } else if (format == "csv") {
    out = query::RenderCsv(query::ToTable(result));
  } else {
    out = query::RenderText(query::ToTable(result));
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace citygraph::cli

#endif  // CITYGRAPH_API_CLI_QUERY_COMMON_H_
