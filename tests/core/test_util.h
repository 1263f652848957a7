// Helpers shared by the graph-core tests: temporary directories, a small
// schema with every property type, and whole-graph comparison.
#ifndef CITYGRAPH_TESTS_CORE_TEST_UTIL_H_
#define CITYGRAPH_TESTS_CORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "citygraph/graph.h"

namespace citygraph::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A schema with two labels (Person, House), two key kinds and one property
// of every type on Person, plus edge types OWNS (Person->House, share:double)
// and KNOWS (Person->Person, since:date, note:string).
inline constexpr const char* kTestSchema = R"(
key_kinds: [id_number, cert_no]
vertex_labels:
  Person:
    keys: [id_number]
    properties: {name: string, age: int64, score: double, active: bool, birth: date, seen: timestamp}
  House:
    keys: [cert_no]
    properties: {address: string}
edge_types:
  OWNS:
    from: [Person]
    to: [House]
    properties: {share: double}
  KNOWS:
    from: [Person]
    to: [Person]
    properties: {since: date, note: string}
)";

std::shared_ptr<const Schema> TestSchema();

// Creates a database with TestSchema() and one registered source (id 0).
std::unique_ptr<Database> CreateTestDb(const std::string& dir, DatabaseOptions options = {});

// Describes a snapshot completely (labels, keys, properties, edges with
// records and properties, adjacency in both directions, sources) as text,
// so two snapshots can be compared with EXPECT_EQ and a readable diff.
std::string Dump(const Snapshot& s);

// Dump(s) without the batches (last_batch and the batch times), which writes
// of aux records alone advance: what the graph holds.
std::string DumpGraph(const Snapshot& s);

}  // namespace citygraph::testing

#endif  // CITYGRAPH_TESTS_CORE_TEST_UTIL_H_
