// Guardrails: queries on hub graphs that would expand to billions of paths or
// thousands of neighbours return in time, flagged truncated with the reason.
// (No wall-clock assertion: the flag and reason are what is checked.)
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>

#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/traverse.h"
#include "golden_city.h"

namespace citygraph::query {
namespace {

// A layered "diamond" graph: from (Person) - 8 Houses - 8 Persons - ... - to,
// each layer fully linked to the next by OWNS edges: 8^kLayers shortest paths.
constexpr int kWidth = 8;
constexpr int kLayers = 12;

class GuardrailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = testing::CreateTempDatabase("cg_guard_", CITYGRAPH_SCHEMA_FILE, &dir_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = db->release();
    const Schema& s = *db_->schema();
    LabelId person = *s.FindLabel("Person"), house = *s.FindLabel("House");
    LabelId grid = *s.FindLabel("Grid");
    EdgeTypeId owns = *s.FindEdgeType("OWNS"), located = *s.FindEdgeType("LOCATED_IN");
    auto src = db_->RegisterSource("test", "guardrail");
    ASSERT_TRUE(src.ok());
    WriteBatch b(db_->schema());
    std::vector<std::vector<VertexRef>> layers;
    layers.push_back({b.AddVertex(person)});
    for (int l = 1; l <= kLayers; ++l) {
      std::vector<VertexRef> layer;
      for (int i = 0; i < kWidth; ++i) layer.push_back(b.AddVertex(l % 2 ? house : person));
      layers.push_back(layer);
    }
    // kLayers is even: the last layer holds persons; `to` is a house.
    layers.push_back({b.AddVertex(house)});
    uint32_t rec = 0;
    for (size_t l = 0; l + 1 < layers.size(); ++l)
      for (VertexRef a : layers[l])
        for (VertexRef c : layers[l + 1]) {
          bool a_is_person = l % 2 == 0;
          EdgeSpec e;
          e.type = owns;
          e.src = a_is_person ? a : c;
          e.dst = a_is_person ? c : a;
          e.source = SourceRef{*src, ++rec, 0};
          b.AddEdge(e);
        }
    // A hub: one grid cell with 20,000 houses.
    VertexRef hub = b.AddVertex(grid);
    for (int i = 0; i < 20000; ++i) {
      EdgeSpec e;
      e.type = located;
      e.src = b.AddVertex(house);
      e.dst = hub;
      e.source = SourceRef{*src, ++rec, 0};
      b.AddEdge(e);
    }
    auto r = db_->Write(b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    from_ = r->vertex_ids[layers.front()[0].value];
    to_ = r->vertex_ids[layers.back()[0].value];
    hub_ = r->vertex_ids[hub.value];
  }
  static void TearDownTestSuite() {
    delete db_;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  QueryContext Ctx() { return QueryContext::FromDatabase(*db_); }

  static std::string dir_;
  static Database* db_;
  static VertexId from_, to_, hub_;
};
std::string GuardrailTest::dir_;
Database* GuardrailTest::db_ = nullptr;
VertexId GuardrailTest::from_ = 0, GuardrailTest::to_ = 0, GuardrailTest::hub_ = 0;

TEST_F(GuardrailTest, ShortestPathIsExactOnTheDiamond) {
  auto r = ShortestPath(Ctx(), from_, to_, PathOptions{{}, 20}, Limits{});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->distance.has_value());
  EXPECT_EQ(*r->distance, kLayers + 1);
  EXPECT_FALSE(r->truncation.truncated);
}

TEST_F(GuardrailTest, AllShortestPathsStopsAtTheDeadline) {
  Limits l;
  l.timeout = std::chrono::milliseconds(50);
  l.max_rows = SIZE_MAX;  // only the deadline (or memory cap) can stop it
  l.max_visited = 50'000'000;
  auto r = AllShortestPaths(Ctx(), from_, to_, PathOptions{{}, 20}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kDeadline) << r->truncation.detail;
  EXPECT_FALSE(r->paths.empty());  // what it had is returned
  for (const Path& p : r->paths) EXPECT_EQ(p.length(), size_t{kLayers + 1});
}

TEST_F(GuardrailTest, AllShortestPathsStopsAtMaxRows) {
  Limits l;
  l.max_rows = 1000;
  auto r = AllShortestPaths(Ctx(), from_, to_, PathOptions{{}, 20}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kMaxRows);
  EXPECT_EQ(r->paths.size(), 1000u);
}

TEST_F(GuardrailTest, KShortestPathsStopsAtTheDeadline) {
  Limits l;
  l.timeout = std::chrono::milliseconds(50);
  l.max_rows = SIZE_MAX;
  auto r = KShortestPaths(Ctx(), from_, to_, 1'000'000, PathOptions{{}, 20}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kDeadline) << r->truncation.detail;
  EXPECT_FALSE(r->paths.empty());
}

TEST_F(GuardrailTest, CancellationStopsTheQuery) {
  std::atomic<bool> cancel{true};
  Limits l;
  l.cancel = &cancel;
  l.max_rows = SIZE_MAX;
  auto r = AllShortestPaths(Ctx(), from_, to_, PathOptions{{}, 20}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kCancelled);
}

TEST_F(GuardrailTest, HubNeighboursAreCappedPerVertex) {
  Limits l;
  l.max_expansions_per_vertex = 500;
  auto r = Neighbors(Ctx(), hub_, Filter{}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 500u);
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kMaxExpansions);
}

TEST_F(GuardrailTest, KHopThroughHubIsBounded) {
  Limits l;
  l.max_rows = 1000;
  auto r = KHopIdsOnly(Ctx(), hub_, 3, Filter{}, l);
  ASSERT_TRUE(r.ok());
  EXPECT_LE(r->vertices.size(), 1000u);
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kMaxRows);
}

TEST_F(GuardrailTest, UncappedHubIsComplete) {
  auto r = KHopIdsOnly(Ctx(), hub_, 1, Filter{}, Limits::Unlimited());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->vertices.size(), 20001u);
  EXPECT_FALSE(r->truncation.truncated);
}

// Numbers cut by a limit have no row; each answered row names its input by
// position, so callers can put it back in place.
TEST_F(GuardrailTest, LocateRowsCarryTheirInputPosition) {
  const std::vector<std::string> ids = {"not a number", "110101199003077777", "12", "x",
                                        "110101199003077777"};
  Limits l;
  l.max_rows = 3;
  auto r = Locate(Ctx(), ids, *Date::FromYmd(2024, 6, 30), RankingConfig::Default(), l);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kMaxRows);
  ASSERT_EQ(r->rows.size(), 3u);
  for (size_t i = 0; i < r->rows.size(); ++i) {
    EXPECT_EQ(r->rows[i].position, i);
    EXPECT_EQ(r->rows[i].input, ids[i]);
  }
  EXPECT_EQ(r->rows[0].status, LocateStatus::kInvalidId);
}

TEST_F(GuardrailTest, CancelledLocateAnswersNothing) {
  std::atomic<bool> cancel{true};
  Limits l;
  l.cancel = &cancel;
  const std::vector<std::string> ids(100, "110101199003077777");
  auto r = Locate(Ctx(), ids, *Date::FromYmd(2024, 6, 30), RankingConfig::Default(), l);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->rows.empty());
  EXPECT_TRUE(r->truncation.truncated);
  EXPECT_EQ(r->truncation.reason, TruncationReason::kCancelled);
}

}  // namespace
}  // namespace citygraph::query
