// Helpers shared by the ingest tests: temporary directories, files, a fresh
// database with the city schema, valid identity numbers.
#ifndef CITYGRAPH_TESTS_INGEST_TEST_UTIL_H_
#define CITYGRAPH_TESTS_INGEST_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/mapping.h"
#include "citygraph/keys.h"

namespace citygraph::ingest::testing {

inline std::string SourceDir() { return CITYGRAPH_SOURCE_DIR; }
inline std::string SchemaPath() { return SourceDir() + "/graph-core/schema/city.yaml"; }

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cg_ingest_XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::shared_ptr<const Schema> CitySchema() {
  auto s = Schema::ReadFile(SchemaPath());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

inline std::unique_ptr<Database> NewDb(const std::string& dir) {
  auto db = Database::Create(dir, CitySchema());
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

// A valid 18-character identity number: region 420106, birth date
// `yyyymmdd`, sequence `seq` (3 digits), computed check character.
inline std::string IdNumber(const std::string& yyyymmdd, int seq) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "420106%s%03d", yyyymmdd.c_str(), seq);
  auto c = keys::IdNumberCheckChar(buf);
  EXPECT_TRUE(c.ok());
  return std::string(buf) + *c;
}

// The same number with a wrong check character.
inline std::string BadCheck(const std::string& id) {
  std::string s = id;
  s.back() = s.back() == '0' ? '1' : '0';
  return s;
}

// Parses mapping text against the city schema, with data files in `dir`.
inline Mapping MustMapping(const std::string& yaml, const std::string& dir) {
  auto schema = CitySchema();
  auto m = ParseMapping(yaml, dir + "/mapping.yaml", *schema, dir);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m).value();
}

}  // namespace citygraph::ingest::testing

#endif  // CITYGRAPH_TESTS_INGEST_TEST_UTIL_H_
