// Shortest paths on random graphs, judged against a plain serial BFS: every
// distance equal to the reference, every returned path a real one (each edge
// links its two vertices, passes the as-of date, the direction and the label
// filter), under several filters, with hubs, and from several threads at once
// (the searches share pooled visit marks).
#include <gtest/gtest.h>

#include <filesystem>
#include <queue>
#include <random>
#include <thread>

#include "citygraph/query/paths.h"
#include "golden_city.h"

namespace citygraph::query {
namespace {

constexpr int kPersons = 600, kHouses = 500, kGrids = 6, kEdges = 1300;

class PathsRandomTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = testing::CreateTempDatabase("cg_paths_", CITYGRAPH_SCHEMA_FILE, &dir_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = db->release();
    const Schema& s = *db_->schema();
    person_ = *s.FindLabel("Person");
    house_ = *s.FindLabel("House");
    const LabelId grid = *s.FindLabel("Grid");
    const EdgeTypeId owns = *s.FindEdgeType("OWNS"), located = *s.FindEdgeType("LOCATED_IN");
    auto src = db_->RegisterSource("test", "paths_random");
    ASSERT_TRUE(src.ok());
    WriteBatch b(db_->schema());
    std::vector<VertexRef> persons, houses, grids;
    for (int i = 0; i < kPersons; ++i) persons.push_back(b.AddVertex(person_));
    for (int i = 0; i < kHouses; ++i) houses.push_back(b.AddVertex(house_));
    for (int i = 0; i < kGrids; ++i) grids.push_back(b.AddVertex(grid));
    std::mt19937 rng(7);
    uint32_t rec = 0;
    auto add = [&](EdgeTypeId type, VertexRef from, VertexRef to, Date valid_from, Date valid_to) {
      EdgeSpec e;
      e.type = type;
      e.src = from;
      e.dst = to;
      e.valid_from = valid_from;
      e.valid_to = valid_to;
      e.source = SourceRef{*src, ++rec, 0};
      b.AddEdge(e);
    };
    // Ownerships: a third end before the test date, a sixth start after it,
    // so the as-of filter changes the answers.
    const Date d = Day();
    for (int i = 0; i < kEdges; ++i) {
      Date from = Date::Min(), to = Date::Max();
      switch (rng() % 6) {
        case 0:
        case 1:
          to = Date{d.days - 1 - int32_t(rng() % 100)};
          break;
        case 2:
          from = Date{d.days + 1};
          break;
        default:
          break;
      }
      add(owns, persons[rng() % kPersons], houses[rng() % kHouses], from, to);
    }
    // Grid cells are hubs: every third house lies in one.
    for (int i = 0; i < kHouses; i += 3)
      add(located, houses[i], grids[rng() % kGrids], Date::Min(), Date::Max());
    auto r = db_->Write(b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (VertexRef p : persons) person_ids_.push_back(r->vertex_ids[p.value]);
  }
  static void TearDownTestSuite() {
    delete db_;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  static Date Day() { return *Date::FromYmd(2024, 6, 30); }
  QueryContext Ctx() { return QueryContext::FromDatabase(*db_); }

  // Serial reference: breadth-first distances from `from` under `f` (labels
  // restrict every vertex but the two ends, as the query does).
  static std::vector<int> Reference(const Snapshot& snap, VertexId from, VertexId to,
                                    const Filter& f) {
    std::vector<int> dist(snap.num_vertices(), -1);
    std::queue<VertexId> q;
    dist[from] = 0;
    q.push(from);
    while (!q.empty()) {
      VertexId u = q.front();
      q.pop();
      auto relax = [&](const AdjRange& range) {
        for (const AdjEntry& a : range) {
          if (dist[a.nbr] >= 0 || !f.EdgeAllowed(snap.edge(a.edge))) continue;
          if (a.nbr != to && !f.LabelAllowed(snap.label(a.nbr))) continue;
          dist[a.nbr] = dist[u] + 1;
          if (a.nbr != to) q.push(a.nbr);
        }
      };
      if (f.direction != Direction::kIn) relax(snap.out_edges(u));
      if (f.direction != Direction::kOut) relax(snap.in_edges(u));
    }
    return dist;
  }

  // True if `p` is a walk from `from` to `to` over edges that pass `f`.
  static ::testing::AssertionResult RealPath(const Snapshot& snap, const Path& p, VertexId from,
                                             VertexId to, const Filter& f) {
    if (p.vertices.size() != p.edges.size() + 1) return ::testing::AssertionFailure() << "shape";
    if (p.vertices.front().id != from || p.vertices.back().id != to)
      return ::testing::AssertionFailure() << "ends";
    for (size_t i = 0; i < p.edges.size(); ++i) {
      const EdgeRecord& rec = snap.edge(p.edges[i].edge);
      VertexId a = p.vertices[i].id, c = p.vertices[i + 1].id;
      bool fwd = rec.src == a && rec.dst == c, back = rec.src == c && rec.dst == a;
      if (f.direction == Direction::kOut) back = false;
      if (f.direction == Direction::kIn) fwd = false;
      if (!fwd && !back) return ::testing::AssertionFailure() << "edge " << i << " does not link";
      if (!f.EdgeAllowed(rec)) return ::testing::AssertionFailure() << "edge " << i << " filtered";
      if (i > 0 && !f.LabelAllowed(snap.label(a)))
        return ::testing::AssertionFailure() << "vertex " << i << " label";
    }
    return ::testing::AssertionSuccess();
  }

  // Compares ShortestDistance and ShortestPath with the reference on `pairs`
  // random pairs; returns how many were connected within max_hops.
  int Check(const Filter& f, int max_hops, int pairs, uint32_t seed) {
    QueryContext ctx = Ctx();
    const Snapshot& snap = ctx.snap();
    std::mt19937 rng(seed);
    int connected = 0;
    for (int i = 0; i < pairs; ++i) {
      VertexId a = person_ids_[rng() % kPersons], c = person_ids_[rng() % kPersons];
      int want = Reference(snap, a, c, f)[c];
      if (want > max_hops) want = -1;
      PathOptions po{f, max_hops};
      Truncation tr;
      auto d = ShortestDistance(ctx, a, c, po, Limits{}, &tr);
      if (!d.ok()) {
        ADD_FAILURE() << d.status().ToString();
        continue;
      }
      EXPECT_FALSE(tr.truncated);
      EXPECT_EQ(d->value_or(-1), want) << "pair " << a << " " << c;
      auto r = ShortestPath(ctx, a, c, po, Limits{});
      if (!r.ok()) {
        ADD_FAILURE() << r.status().ToString();
        continue;
      }
      EXPECT_EQ(r->distance.value_or(-1), want);
      if (want >= 0) {
        ++connected;
        EXPECT_EQ(r->paths.size(), 1u);
        if (!r->paths.empty()) {
          EXPECT_EQ(r->paths[0].length(), size_t(want));
          EXPECT_TRUE(RealPath(snap, r->paths[0], a, c, f));
        }
      }
    }
    return connected;
  }

  static std::string dir_;
  static Database* db_;
  static LabelId person_, house_;
  static std::vector<VertexId> person_ids_;
};
std::string PathsRandomTest::dir_;
Database* PathsRandomTest::db_ = nullptr;
LabelId PathsRandomTest::person_ = 0, PathsRandomTest::house_ = 0;
std::vector<VertexId> PathsRandomTest::person_ids_;

TEST_F(PathsRandomTest, AllEdgesEveryLabel) {
  // Nearly every pair is connected without a date: a vacuous check would not.
  EXPECT_GT(Check(Filter{}, 30, 200, 1), 100);
}

TEST_F(PathsRandomTest, AsOfDate) {
  Filter f;
  f.as_of = Day();
  EXPECT_GT(Check(f, 30, 200, 2), 20);
}

TEST_F(PathsRandomTest, FewHops) {
  Filter f;
  f.as_of = Day();
  Check(f, 3, 200, 3);  // many pairs further apart than 3 hops: nullopt expected
}

TEST_F(PathsRandomTest, LabelsExcludeTheGridHubs) {
  Filter f;
  f.as_of = Day();
  f.labels = {person_, house_};
  Check(f, 30, 200, 4);
}

TEST_F(PathsRandomTest, OneDirection) {
  // Persons only own houses (out), so person-to-person paths need both
  // directions: out-only must find none, which the reference also says.
  Filter f;
  f.direction = Direction::kOut;
  EXPECT_EQ(Check(f, 30, 50, 5), 0);
}

TEST_F(PathsRandomTest, ConcurrentSearchesAgree) {
  Filter f;
  f.as_of = Day();
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 4; ++t) threads.emplace_back([&, t] { Check(f, 30, 60, 10 + t); });
  for (auto& th : threads) th.join();
}

TEST_F(PathsRandomTest, CutHubStillGivesARealPath) {
  // With a cap of 3 entries per vertex the grid cells are cut: the answer is
  // flagged, and whatever path comes back is a real one.
  QueryContext ctx = Ctx();
  Limits l;
  l.max_expansions_per_vertex = 3;
  std::mt19937 rng(9);
  int flagged = 0;
  for (int i = 0; i < 100; ++i) {
    VertexId a = person_ids_[rng() % kPersons], c = person_ids_[rng() % kPersons];
    auto r = ShortestPath(ctx, a, c, PathOptions{Filter{}, 30}, l);
    ASSERT_TRUE(r.ok());
    if (r->truncation.truncated) {
      ++flagged;
      EXPECT_EQ(r->truncation.reason, TruncationReason::kMaxExpansions);
    }
    if (!r->paths.empty()) {
      EXPECT_TRUE(RealPath(ctx.snap(), r->paths[0], a, c, Filter{}));
    }
  }
  EXPECT_GT(flagged, 0);
}

}  // namespace
}  // namespace citygraph::query
