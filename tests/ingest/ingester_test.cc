// End to end on a small generated city: every datagen file through the
// shipped mappings; rejects agree with the planted malformed rows; entity
// resolution quality; re-ingest changes nothing.
#include "citygraph/ingest/ingester.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "citygraph/datagen/datagen.h"
#include "citygraph/ingest/eval_er.h"
#include "citygraph/ingest/source_file.h"
#include "test_util.h"

namespace citygraph::ingest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;

class CityIngestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    datagen::Options opt;
    opt.persons = 2000;
    opt.seed = 7;
    opt.out_dir = *dir_ / "city";
    opt.noise.malformed = 0.005;  // enough malformed rows of every kind in a small city
    datagen::Result g = datagen::Generate(opt);
    ASSERT_TRUE(g.ok) << g.error;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::vector<Mapping> Mappings(const Schema& schema) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(testing::SourceDir() + "/ingest/mappings")) {
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<Mapping> out;
    for (const auto& f : files) {
      auto m = LoadMapping(f, schema, *dir_ / "city");
      EXPECT_TRUE(m.ok()) << m.status().ToString();
      if (!m.ok()) continue;
      auto expanded = ExpandFiles(*m);
      EXPECT_TRUE(expanded.ok()) << expanded.status().ToString();
      if (expanded.ok()) out.insert(out.end(), expanded->begin(), expanded->end());
    }
    return out;
  }

  static TempDir* dir_;
};
TempDir* CityIngestTest::dir_ = nullptr;

// (file, line) of every malformed row in the truth.
std::set<std::pair<std::string, uint32_t>> TruthMalformed(const std::string& city) {
  std::set<std::pair<std::string, uint32_t>> out;
  std::string text = testing::ReadFile(city + "/truth/record_entities.csv");
  size_t pos = text.find('\n') + 1;
  std::vector<std::string> f;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    EXPECT_TRUE(SplitFields(text.substr(pos, end - pos), ',', '"', &f).ok());
    if (f.size() >= 5 && f[4] == "malformed") out.emplace(f[0], std::stoul(f[1]));
    pos = end + 1;
  }
  return out;
}

TEST_F(CityIngestTest, AllFilesLoadRejectsMatchTruthAndReingestChangesNothing) {
  auto db = testing::NewDb(*dir_ / "db");
  std::vector<Mapping> mappings = Mappings(*db->schema());
  ASSERT_GE(mappings.size(), 10u);

  // Rejects are exactly the planted malformed rows.
  std::vector<Reject> rejects;
  RejectWriter writer;
  ASSERT_TRUE(writer.Open(*dir_ / "rejects.csv").ok());
  IngestOptions opt;
  opt.rejects = &writer;
  auto first = Ingest(db.get(), mappings, opt);
  ASSERT_TRUE(writer.Close().ok());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // The phases' times are in order, add up to the run's (the load phase is
  // what the others leave, so none may be counted twice) and show the
  // keyless rows' resolution and the writes.
  std::vector<std::string> phase_names;
  double phase_sum = 0;
  for (const auto& [name, secs] : first->phases) {
    phase_names.push_back(name);
    EXPECT_GE(secs, 0) << name;
    phase_sum += secs;
  }
  EXPECT_THAT(phase_names, ::testing::ElementsAre("check", "load", "resolve", "write"));
  EXPECT_NEAR(phase_sum, first->seconds, 1e-9);
  EXPECT_GT(first->phases[2].second, 0);  // the city has keyless rows (checked below)
  EXPECT_GT(first->phases[3].second, 0);
  EXPECT_THAT(first->ToJson(), HasSubstr("\"phases\": {"));
  auto truth = TruthMalformed(*dir_ / "city");
  ASSERT_FALSE(truth.empty());
  std::set<std::pair<std::string, uint32_t>> got;
  std::string text = testing::ReadFile(*dir_ / "rejects.csv");
  std::string city_prefix = (*dir_ / "city") + "/";
  size_t pos = text.find('\n') + 1;
  std::vector<std::string> f;
  while (pos < text.size()) {
    size_t end = pos;
    bool q = false;
    for (; end < text.size() && (text[end] != '\n' || q); ++end) q ^= text[end] == '"';
    ASSERT_TRUE(SplitFields(text.substr(pos, end - pos), ',', '"', &f).ok());
    ASSERT_EQ(f[0].rfind(city_prefix, 0), 0u) << f[0];
    got.emplace(f[0].substr(city_prefix.size()), std::stoul(f[1]));
    pos = end + 1;
  }
  std::vector<std::pair<std::string, uint32_t>> missed, extra;
  std::set_difference(truth.begin(), truth.end(), got.begin(), got.end(),
                      std::back_inserter(missed));
  std::set_difference(got.begin(), got.end(), truth.begin(), truth.end(),
                      std::back_inserter(extra));
  EXPECT_TRUE(missed.empty()) << "malformed but loaded: " << missed.size() << ", first "
                              << (missed.empty()
                                      ? ""
                                      : missed[0].first + ":" + std::to_string(missed[0].second));
  EXPECT_TRUE(extra.empty()) << "rejected but not malformed: " << extra.size() << ", first "
                             << (extra.empty()
                                     ? ""
                                     : extra[0].first + ":" + std::to_string(extra[0].second));

  // Entity resolution against the truth.
  auto ev = EvaluateEr(*db, *dir_ / "city");
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  std::cout << ev->ToText() << first->ToTable();
  EXPECT_GT(ev->truth_records, 1000u);
  EXPECT_GT(ev->keyless, 0u);
  EXPECT_GT(ev->homonym_pairs, 0u);
  EXPECT_GE(ev->precision(), 0.995) << ev->ToText();
  EXPECT_GE(ev->recall(), 0.99) << ev->ToText();
  EXPECT_EQ(ev->homonym_merges, 0u) << ev->ToText();

  // Re-ingest (incremental this time): stats, ids and links identical.
  DatabaseStats before = db->Stats();
  auto links_before = ReadLinks(*db);
  ASSERT_TRUE(links_before.ok());
  auto snap = db->GetSnapshot();
  KeyKindId id_kind = *snap->schema().FindKeyKind("id_number");
  LabelId person = *snap->schema().FindLabel("Person");
  std::vector<std::pair<std::string, VertexId>> ids;
  for (VertexId v : snap->vertices_with_label(person)) {
    for (const auto& [kind, key] : snap->keys(v)) {
      if (kind == id_kind) ids.emplace_back(key, v);
    }
  }
  IngestOptions again;
  again.mode = IngestMode::kIncremental;
  auto second = Ingest(db.get(), mappings, again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  DatabaseStats after = db->Stats();
  EXPECT_EQ(after.num_vertices, before.num_vertices);
  EXPECT_EQ(after.num_edges, before.num_edges);
  EXPECT_EQ(after.num_keys, before.num_keys);
  EXPECT_EQ(after.vertices_per_label, before.vertices_per_label);
  EXPECT_EQ(after.edges_per_type, before.edges_per_type);
  auto snap2 = db->GetSnapshot();
  for (const auto& [key, v] : ids) {
    auto found = snap2->FindByKey(id_kind, key);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, v) << key;
  }
  QualityCounts t1 = first->Totals(), t2 = second->Totals();
  EXPECT_EQ(t2.rows, t1.rows);
  EXPECT_EQ(t2.rejected, t1.rejected);
  EXPECT_EQ(t2.matched, t1.matched);
  EXPECT_EQ(t2.unresolved, t1.unresolved);
  EXPECT_EQ(t2.duplicates, t1.duplicates);
  // Per-grid counts: every grid row is a source row, and the second run
  // counts each grid as the first did.
  ASSERT_FALSE(first->grids.empty());
  uint64_t grid_rows = 0;
  for (const auto& [code, c] : first->grids) {
    grid_rows += c.rows;
    EXPECT_EQ(c.rows, c.loaded + c.rejected) << code;
    auto it = second->grids.find(code);
    ASSERT_NE(it, second->grids.end()) << code;
    EXPECT_EQ(it->second.rows, c.rows) << code;
    EXPECT_EQ(it->second.rejected, c.rejected) << code;
    EXPECT_EQ(it->second.duplicates, c.duplicates) << code;
  }
  EXPECT_EQ(second->grids.size(), first->grids.size());
  EXPECT_GT(grid_rows, 0u);
  EXPECT_LE(grid_rows, t1.rows);
  auto ev2 = EvaluateEr(*db, *dir_ / "city");
  ASSERT_TRUE(ev2.ok());
  EXPECT_EQ(ev2->precise, ev->precise);
  EXPECT_EQ(ev2->recalled, ev->recalled);
}

}  // namespace
}  // namespace citygraph::ingest
