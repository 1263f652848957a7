// Determinism (same seed, same bytes; other seed, other bytes), option
// validation and noise settings of citygraph_datagen.
#include "citygraph/datagen/datagen.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "city_reader.h"

namespace citygraph::datagen::testing {
namespace {

namespace fs = std::filesystem;

// Every file under `dir` by relative path; removes `dir`.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      files[fs::relative(e.path(), dir).string()] = ReadBytes(e.path().string());
    }
  }
  fs::remove_all(dir);
  return files;
}

std::string Gen(uint64_t persons, uint64_t seed, const std::string& tag) {
  const std::string dir = "/tmp/citygraph_datagen_det_" + std::to_string(getpid()) + "_" + tag;
  fs::remove_all(dir);
  Options o;
  o.persons = persons;
  o.seed = seed;
  o.out_dir = dir;
  const Result r = Generate(o);
  EXPECT_TRUE(r.ok) << r.error;
  return dir;
}

TEST(DatagenDeterminism, SameSeedGivesIdenticalBytes) {
  const auto a = Snapshot(Gen(1000, 42, "a"));
  const auto b = Snapshot(Gen(1000, 42, "b"));
  ASSERT_GT(a.size(), 370u);  // 9 department files + 366 report days + truth
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [name, bytes] : a) {
    auto it = b.find(name);
    ASSERT_NE(it, b.end()) << name;
    EXPECT_TRUE(it->second == bytes) << name << " differs";
  }
}

TEST(DatagenDeterminism, OtherSeedGivesOtherCity) {
  const auto a = Snapshot(Gen(1000, 42, "c"));
  const auto b = Snapshot(Gen(1000, 43, "d"));
  EXPECT_NE(a.at("police/hukou_persons.csv"), b.at("police/hukou_persons.csv"));
  EXPECT_NE(a.at("truth/record_entities.csv"), b.at("truth/record_entities.csv"));
}

TEST(DatagenOptions, RejectsBadOptions) {
  Options o;
  o.persons = 10;
  o.out_dir = "/tmp/x";
  EXPECT_FALSE(Generate(o).ok);
  o.persons = 20000001;
  EXPECT_FALSE(Generate(o).ok);
  o.persons = 1000;
  o.out_dir = "";
  EXPECT_FALSE(Generate(o).ok);
  o.out_dir = "/proc/citygraph_cannot_write_here";
  const Result r = Generate(o);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("/proc/citygraph_cannot_write_here"), std::string::npos) << r.error;
}

TEST(DatagenOptions, NoiseSettings) {
  NoiseRates n;
  std::string error;
  EXPECT_TRUE(ParseNoiseAssignment(&n, "id15=0.5", &error)) << error;
  EXPECT_DOUBLE_EQ(n.id15, 0.5);
  EXPECT_FALSE(ParseNoiseAssignment(&n, "id15=1.5", &error));
  EXPECT_FALSE(ParseNoiseAssignment(&n, "nosuch=0.1", &error));
  EXPECT_NE(error.find("nosuch"), std::string::npos);
  EXPECT_FALSE(ParseNoiseAssignment(&n, "id15", &error));
  const std::string path = "/tmp/citygraph_datagen_noise_" + std::to_string(getpid());
  std::ofstream(path) << "# comment\n\nmalformed = 0.25\nduplicate=0\nbogus line\n";
  EXPECT_FALSE(LoadNoiseFile(path, &n, &error));
  EXPECT_NE(error.find(":5:"), std::string::npos) << error;
  EXPECT_DOUBLE_EQ(n.malformed, 0.25);
  EXPECT_DOUBLE_EQ(n.duplicate, 0.0);
  fs::remove(path);
}

TEST(DatagenOptions, SmallestCityIsComplete) {
  const std::string dir = "/tmp/citygraph_datagen_tiny_" + std::to_string(getpid());
  Options o;
  o.persons = 50;
  o.out_dir = dir;
  const Result r = Generate(o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.summary.persons, 50u);
  EXPECT_GT(r.summary.cases, 0u);
  for (const char* f : {"truth/conflicts.json", "truth/locate.json", "truth/paths.json",
                        "truth/counts.json", "civil/dibao_recipients.csv"}) {
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  }
  fs::remove_all(dir);
}

TEST(DatagenOptions, ZeroNoiseMeansCleanFiles) {
  const std::string dir = "/tmp/citygraph_datagen_clean_" + std::to_string(getpid());
  Options o;
  o.persons = 500;
  o.seed = 3;
  o.out_dir = dir;
  o.noise = NoiseRates{0, 0, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(Generate(o).ok);
  const Table t = ReadTable(dir + "/truth/record_entities.csv", ',', false);
  ASSERT_GT(t.rows.size(), 500u);
  for (const auto& [line, f] : t.rows) {
    EXPECT_EQ(f[4], "ok") << line;
    EXPECT_EQ(f[6], "") << line;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace citygraph::datagen::testing
