// Runs every dataset and applicable algorithm of the LDBC Graphalytics
// validation set in shared/graphalytics and judges our output file by
// Graphalytics' rules: BFS and CDLP exact, WCC by equivalence of the
// grouping, PR, LCC and SSSP within 1e-4 relative.
#include "citygraph/algo/graphalytics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = CITYGRAPH_GRAPHALYTICS_DIR;
// The two validation files whose edge-file names the .v file (README).
const char* const kFaulty[] = {"test-wcc-directed", "test-sssp-undirected"};

fs::path TempDir() {
  fs::path dir = fs::temp_directory_path() / ("citygraph_algo_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

// A copy of NAME.properties in a temp dir with absolute file paths and, for
// the known faulty files, the edge-file line corrected to NAME.e.
std::string CorrectedProperties(const std::string& name) {
  std::ifstream in(kDataDir / (name + ".properties"));
  std::ostringstream out;
  std::string line;
  const std::string vkey = "graph." + name + ".vertex-file";
  const std::string ekey = "graph." + name + ".edge-file";
  while (std::getline(in, line)) {
    if (line.starts_with(vkey)) {
      out << vkey << " = " << (kDataDir / (name + ".v")).string() << "\n";
    } else if (line.starts_with(ekey)) {
      out << ekey << " = " << (kDataDir / (name + ".e")).string() << "\n";
    } else {
      out << line << "\n";
    }
  }
  fs::path path = TempDir() / (name + ".properties");
  std::ofstream(path) << out.str();
  return path.string();
}

std::vector<std::string> DatasetNames() {
  std::vector<std::string> names;
  if (!fs::is_directory(kDataDir)) return names;
  for (const auto& entry : fs::directory_iterator(kDataDir)) {
    if (entry.path().extension() == ".properties") names.push_back(entry.path().stem());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Case {
  std::string dataset;
  std::string algorithm;  // lower case
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const std::string& name : DatasetNames()) {
    auto ds = LoadGraphalytics(CorrectedProperties(name));
    if (!ds.ok()) {
      cases.push_back({name, "load"});  // reported as a failing case below
      continue;
    }
    for (const std::string& a : ds->algorithms) cases.push_back({name, a});
  }
  return cases;
}

std::map<int64_t, std::string> ReadValues(const fs::path& path) {
  std::map<int64_t, std::string> values;
  std::ifstream in(path);
  int64_t id;
  std::string value;
  while (in >> id >> value) values[id] = value;
  return values;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class GraphalyticsValidation : public testing::TestWithParam<Case> {};

TEST_P(GraphalyticsValidation, MatchesReferenceOutput) {
  const Case& c = GetParam();
  auto ds = LoadGraphalytics(CorrectedProperties(c.dataset));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto algorithm = ParseGraphalyticsAlgorithm(c.algorithm);
  ASSERT_TRUE(algorithm.ok()) << algorithm.status().ToString();
  auto result = RunGraphalytics(*ds, *algorithm);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  fs::path out = TempDir() / (c.dataset + "-" + c.algorithm + ".out");
  ASSERT_TRUE(WriteGraphalyticsOutput(ds->graph, *result, out.string()).ok());

  auto ours = ReadValues(out);
  auto ref = ReadValues(kDataDir / (c.dataset + "-" + Upper(c.algorithm)));
  ASSERT_FALSE(ref.empty());
  ASSERT_EQ(ours.size(), ref.size());
  std::map<std::string, std::string> ours_to_ref, ref_to_ours;  // WCC equivalence
  for (const auto& [id, ref_value] : ref) {
    ASSERT_TRUE(ours.count(id)) << "vertex " << id << " missing from our output";
    const std::string& our_value = ours[id];
    switch (*algorithm) {
      case GraphalyticsAlgorithm::kBfs:
      case GraphalyticsAlgorithm::kCdlp:
        EXPECT_EQ(std::stoll(our_value), std::stoll(ref_value)) << "vertex " << id;
        break;
      case GraphalyticsAlgorithm::kWcc: {
        auto [a, new_a] = ours_to_ref.emplace(our_value, ref_value);
        auto [b, new_b] = ref_to_ours.emplace(ref_value, our_value);
        EXPECT_EQ(a->second, ref_value) << "vertex " << id << " grouped differently";
        EXPECT_EQ(b->second, our_value) << "vertex " << id << " grouped differently";
        break;
      }
      default: {
        double x = std::strtod(our_value.c_str(), nullptr);
        double y = std::strtod(ref_value.c_str(), nullptr);
        if (std::isinf(y)) {
          EXPECT_TRUE(std::isinf(x) && x > 0) << "vertex " << id << ": " << our_value;
        } else {
          EXPECT_LE(std::fabs(x - y), 1e-4 * std::fabs(y))
              << "vertex " << id << ": ours " << our_value << " ref " << ref_value;
        }
      }
    }
  }
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string s = info.param.dataset + "_" + info.param.algorithm;
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

INSTANTIATE_TEST_SUITE_P(AllDatasets, GraphalyticsValidation, testing::ValuesIn(AllCases()),
                         CaseName);

TEST(GraphalyticsData, AllFourteenDatasetsPresent) {
  EXPECT_EQ(DatasetNames().size(), 14u) << "looked in " << kDataDir;
  EXPECT_GE(AllCases().size(), 22u);
}

TEST(GraphalyticsData, FaultyEdgeFileIsAClearError) {
  for (const char* name : kFaulty) {
    auto ds = LoadGraphalytics((kDataDir / (std::string(name) + ".properties")).string());
    ASSERT_FALSE(ds.ok()) << name << " loaded although its edge-file is the .v file";
    EXPECT_EQ(ds.status().code(), StatusCode::kInvalidArgument);
    const std::string& msg = ds.status().message();
    EXPECT_NE(msg.find(std::string(name) + ".v:1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 column"), std::string::npos) << msg;
    EXPECT_NE(msg.find("edge-file"), std::string::npos) << msg;
  }
}

TEST(GraphalyticsData, MissingSourceVertexIsAnError) {
  auto ds = LoadGraphalytics(CorrectedProperties("example-directed"));
  ASSERT_TRUE(ds.ok());
  ds->bfs_source = 123456;
  auto r = RunGraphalytics(*ds, GraphalyticsAlgorithm::kBfs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("123456"), std::string::npos);
}

TEST(GraphalyticsData, UnknownAlgorithmNamed) {
  auto a = ParseGraphalyticsAlgorithm("pagerank2");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("pagerank2"), std::string::npos);
}

// The parallel kernels and their serial verifiers agree on every dataset.
TEST(GraphalyticsData, KernelsAgreeWithSerialVerifiers) {
  for (const std::string& name : DatasetNames()) {
    auto ds = LoadGraphalytics(CorrectedProperties(name));
    ASSERT_TRUE(ds.ok()) << ds.status().ToString();
    const CsrGraph& g = ds->graph;
    for (Node s = 0; s < g.num_nodes(); ++s) {
      EXPECT_EQ(Bfs(g, s), BfsSerial(g, s)) << name << " source " << s;
      auto a = Sssp(g, s, 0.7), b = SsspSerial(g, s);
      for (size_t i = 0; i < a.size(); ++i) {
        if (std::isinf(b[i])) {
          EXPECT_TRUE(std::isinf(a[i])) << name;
        } else {
          EXPECT_NEAR(a[i], b[i], 1e-9) << name;
        }
      }
    }
    EXPECT_TRUE(SamePartition(Wcc(g), WccSerial(g))) << name;
    EXPECT_EQ(Cdlp(g, 5), CdlpSerial(g, 5)) << name;
    auto pr = PageRank(g, 20, 0.85), pr_ref = PageRankSerial(g, 20, 0.85);
    // Float contributions (see pagerank.cc): within 1e-6 relative.
    for (size_t i = 0; i < pr.size(); ++i) EXPECT_NEAR(pr[i], pr_ref[i], 1e-6 * pr_ref[i]) << name;
    auto lcc = Lcc(g), lcc_ref = LccSerial(g);
    for (size_t i = 0; i < lcc.size(); ++i) EXPECT_NEAR(lcc[i], lcc_ref[i], 1e-12) << name;
  }
}

}  // namespace
}  // namespace citygraph::algo
