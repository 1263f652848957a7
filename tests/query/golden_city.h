// Test support: loads a hand-made city from a text dataset file
// (tests/query/golden/city.txt explains the format) into a fresh database in a
// temporary directory, and maps vertex aliases <-> ids.
#ifndef CITYGRAPH_TESTS_QUERY_GOLDEN_CITY_H_
#define CITYGRAPH_TESTS_QUERY_GOLDEN_CITY_H_

#include <map>
#include <memory>
#include <string>

#include "citygraph/graph.h"
#include "citygraph/query/context.h"

namespace citygraph::testing {

// A new, empty database with the schema at `schema_path`, in a fresh
// directory <temp>/<prefix><random>; *dir receives its path (the caller
// removes it).
StatusOr<std::unique_ptr<Database>> CreateTempDatabase(const std::string& prefix,
                                                       const std::string& schema_path,
                                                       std::string* dir);

class GoldenCity {
 public:
  // Creates a database under a new temporary directory with the city schema
  // and loads `dataset` into it. InvalidArgument naming the line on a bad line.
  static StatusOr<std::unique_ptr<GoldenCity>> Load(const std::string& dataset,
                                                    const std::string& schema_path);
  ~GoldenCity();

  query::QueryContext Context() const { return query::QueryContext::FromDatabase(*db_); }
  Database& db() { return *db_; }
  // Vertex id of an alias; kNoVertex if unknown.
  VertexId Id(const std::string& alias) const;
  // Alias of a vertex id, or "#<id>".
  std::string Alias(VertexId v) const;

 private:
  std::string dir_;
  std::unique_ptr<Database> db_;
  std::map<std::string, VertexId> ids_;
  std::map<VertexId, std::string> aliases_;
};

}  // namespace citygraph::testing

#endif  // CITYGRAPH_TESTS_QUERY_GOLDEN_CITY_H_
