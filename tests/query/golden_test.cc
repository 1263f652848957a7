// Golden tests: every tests/query/golden/*.test file is a list of queries on
// the hand-made city tests/query/golden/city.txt with their expected rows:
//
//   query neighbors key=p_zhang as_of=2024-06-30 types=OWNS dir=out
//   out OWNS house1
//   out OWNS house2
//   end
//
// Rows are compared as sorted lists (ranked outputs carry their rank in the
// row). Row formats: tests/query/golden/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "golden_city.h"
#include "golden_rows.h"

namespace citygraph::testing {
namespace {

const std::string kDir = CITYGRAPH_GOLDEN_DIR;

struct Case {
  std::string query;
  int line = 0;
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  std::vector<Case> cases;
  Case* cur = nullptr;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("query ", 0) == 0) {
      cases.push_back(Case{line.substr(6), n, {}});
      cur = &cases.back();
    } else if (line == "end") {
      cur = nullptr;
    } else if (cur != nullptr) {
      cur->expected.push_back(line);
    } else {
      ADD_FAILURE() << path << ":" << n << ": row outside a query block: " << line;
    }
  }
  return cases;
}

std::vector<std::string> TestFiles() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kDir))
    if (e.path().extension() == ".test") files.push_back(e.path().stem().string());
  std::sort(files.begin(), files.end());
  return files;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    auto c = GoldenCity::Load(kDir + "/city.txt", CITYGRAPH_SCHEMA_FILE);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    city_ = std::move(*c).release();
  }
  static void TearDownTestSuite() {
    delete city_;
    city_ = nullptr;
  }
  static GoldenCity* city_;
};
GoldenCity* GoldenTest::city_ = nullptr;

TEST_P(GoldenTest, File) {
  ASSERT_NE(city_, nullptr);
  const std::string path = kDir + "/" + GetParam() + ".test";
  std::vector<Case> cases = ReadCases(path);
  ASSERT_FALSE(cases.empty()) << path << " has no queries";
  for (const Case& c : cases) {
    std::vector<std::string> got = RunGoldenQuery(*city_, c.query);
    std::vector<std::string> want = c.expected;
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    std::string got_text, want_text;
    for (const auto& r : got) got_text += r + "\n";
    for (const auto& r : want) want_text += r + "\n";
    EXPECT_EQ(want_text, got_text) << path << ":" << c.line << ": query " << c.query;
  }
}

INSTANTIATE_TEST_SUITE_P(Query, GoldenTest, ::testing::ValuesIn(TestFiles()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace citygraph::testing
