// Test support: renders query results as the compact text rows the golden
// files (tests/query/golden/*.test) expect, naming vertices by their dataset
// aliases. The row formats are listed in tests/query/golden/README.md.
#ifndef CITYGRAPH_TESTS_QUERY_GOLDEN_ROWS_H_
#define CITYGRAPH_TESTS_QUERY_GOLDEN_ROWS_H_

#include <map>
#include <string>
#include <vector>

#include "golden_city.h"

namespace citygraph::testing {

// Runs one golden query line ("neighbors key=p_zhang as_of=2024-06-30 ...")
// against `city` and returns its rows (unsorted), or an error row
// "error <StatusCode>" when the query fails.
std::vector<std::string> RunGoldenQuery(GoldenCity& city, const std::string& query);

}  // namespace citygraph::testing

#endif  // CITYGRAPH_TESTS_QUERY_GOLDEN_ROWS_H_
