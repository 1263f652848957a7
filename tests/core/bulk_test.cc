// Large batches, which take the parallel paths of validation and adjacency
// ordering (graph-core/src/resolve.cc, adj_order.cc): same results and
// errors as small ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "citygraph/graph.h"
#include "test_util.h"

namespace citygraph {
namespace {

using testing::CreateTestDb;
using testing::Dump;
using testing::DumpGraph;
using testing::TempDir;

constexpr EdgeTypeId kOwns = 0, kKnows = 1;
constexpr KeyKindId kIdNumber = 0, kCertNo = 1;
constexpr int kPersons = 1000;
constexpr int kEdges = 70000;  // above the parallel thresholds

std::unique_ptr<Database> PersonsOnly(const TempDir& dir) {
  auto db = CreateTestDb(dir.path());
  WriteBatch b(db->schema());
  for (int i = 0; i < kPersons; ++i) b.AddVertex(0);
  EXPECT_TRUE(db->Write(b).ok());
  return db;
}

EdgeSpec Knows(int i, Date valid_to) {
  return EdgeSpec{kKnows,
                  VertexRef::Existing(static_cast<VertexId>(int64_t{i} * 7919 % kPersons)),
                  VertexRef::Existing(static_cast<VertexId>(int64_t{i} * 104729 % kPersons)),
                  Date{i},
                  valid_to,
                  SourceRef{0, static_cast<uint32_t>(i), 0},
                  {}};
}

TEST(BulkTest, LargeBatchReportsTheLowestBadEdgeAndWritesNothing) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  const std::string before = Dump(*db->GetSnapshot());
  WriteBatch b(db->schema());
  for (int i = 0; i < kEdges; ++i) {
    EdgeSpec e = Knows(i, Date::Max());
    if (i == 50001) e.dst = VertexRef::Existing(kPersons + 5);  // no such vertex
    if (i == 60000) e.type = 99;                                // no such type
    b.AddEdge(std::move(e));
  }
  for (bool bulk : {true, false}) {
    auto r = bulk ? db->BulkWrite(b) : db->Write(b);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
    EXPECT_NE(r.status().message().find("edge #50001 "), std::string::npos)
        << r.status().ToString();
    EXPECT_EQ(Dump(*db->GetSnapshot()), before);
  }
}

// 70,000 key ops, checked in parallel: the error is the one a serial loop
// meets first. A key given twice in the batch counts only when it comes
// before the first op that fails on its own. Nothing is written.
TEST(BulkTest, LargeBatchReportsTheKeyErrorASerialLoopMeetsFirst) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  {
    WriteBatch b(db->schema());
    b.AddKey(VertexRef::Existing(0), 0, "ID-owned");
    ASSERT_TRUE(db->Write(b).ok());
  }
  const std::string before = Dump(*db->GetSnapshot());
  struct Case {
    int twice, owned, bad_kind;  // op indexes (-1: none)
    const char* expect;
  };
  for (const Case& c : {Case{-1, 50001, 60000, "'ID-owned' already belongs to vertex 0"},
                        Case{-1, 60000, 50001, "key #7 'ID50001'"},
                        Case{40000, 50001, 60000, "'ID10' is given to two different vertices"},
                        Case{55000, 50001, 60000, "'ID-owned' already belongs to vertex 0"}}) {
    WriteBatch b(db->schema());
    for (int i = 0; i < kEdges; ++i) {
      VertexRef v = b.AddVertex(0);
      std::string key = "ID" + std::to_string(i);
      if (i == c.twice) key = "ID10";  // op 10's key, for another vertex
      if (i == c.owned) key = "ID-owned";
      b.AddKey(v, i == c.bad_kind ? KeyKindId{7} : KeyKindId{0}, key);
    }
    for (bool bulk : {true, false}) {
      auto r = bulk ? db->BulkWrite(b) : db->Write(b);
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
          << "expected '" << c.expect << "': " << r.status().ToString();
      EXPECT_EQ(Dump(*db->GetSnapshot()), before);
    }
  }
}

// 70,000 property ops, checked in parallel: the lowest bad op is reported.
TEST(BulkTest, LargeBatchReportsTheLowestBadPropertyAndWritesNothing) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  const std::string before = Dump(*db->GetSnapshot());
  constexpr PropId kName = 0;  // string
  WriteBatch b(db->schema());
  for (int i = 0; i < kEdges; ++i) {
    const bool bad = i == 50777 || i == 60333;  // vertices 777 and 333
    b.SetProperty(VertexRef::Existing(static_cast<VertexId>(i % kPersons)), kName,
                  bad ? Value(int64_t{i}) : Value("name " + std::to_string(i)),
                  SourceRef{0, static_cast<uint32_t>(i), 0});
  }
  for (bool bulk : {true, false}) {
    auto r = bulk ? db->BulkWrite(b) : db->Write(b);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("vertex 777:"), std::string::npos) << r.status().ToString();
    EXPECT_EQ(Dump(*db->GetSnapshot()), before);
  }
}

// Keys, properties and edges are resolved side by side; a batch bad in all
// three still reports its key error, one bad in properties and edges its
// property error. Nothing is written.
TEST(BulkTest, ErrorsComeInTheOrderKeysPropertiesEdges) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  const std::string before = Dump(*db->GetSnapshot());
  for (const bool bad_key : {true, false}) {
    WriteBatch b(db->schema());
    for (int i = 0; i < kEdges; ++i) {
      VertexRef v = b.AddVertex(0);
      // The key error is the serial pass's: op 60000 repeats op 3's key.
      b.AddKey(v, kIdNumber, "ID" + std::to_string(bad_key && i == 60000 ? 3 : i));
      b.SetProperty(v, 0, i == 50000 ? Value(int64_t{i}) : Value("name"),
                    SourceRef{0, static_cast<uint32_t>(i), 0});
      EdgeSpec e = Knows(i, Date::Max());
      if (i == 10) e.type = 99;  // no such type
      b.AddEdge(std::move(e));
    }
    for (bool bulk : {true, false}) {
      auto r = bulk ? db->BulkWrite(b) : db->Write(b);
      ASSERT_FALSE(r.ok());
      // New vertex #50000 is vertex 51000.
      const char* expect = bad_key ? "'ID3' is given to two different vertices" : "vertex 51000:";
      EXPECT_NE(r.status().message().find(expect), std::string::npos)
          << "expected '" << expect << "': " << r.status().ToString();
      EXPECT_EQ(Dump(*db->GetSnapshot()), before);
    }
  }
}

TEST(BulkTest, LargeBatchDuplicatesCollapseOntoTheFirstId) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  WriteBatch b(db->schema());
  // Edge i and i + kEdges / 2 share an identity; the later one ends earlier.
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < kEdges / 2; ++i) b.AddEdge(Knows(i, Date{100000 - k}));
  }
  auto r = db->BulkWrite(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->edges_added, size_t{kEdges / 2});
  auto s = db->GetSnapshot();
  ASSERT_EQ(s->num_edges(), size_t{kEdges / 2});
  size_t out_total = 0, in_total = 0;
  for (int i = 0; i < kEdges / 2; ++i) {
    const EdgeRecord& e = s->edge(i);
    EXPECT_EQ(e.valid_from, Date{i});
    ASSERT_EQ(e.valid_to, Date{99999}) << i;
    EXPECT_EQ(e.src, static_cast<VertexId>(int64_t{i} * 7919 % kPersons));
  }
  for (VertexId v = 0; v < kPersons; ++v) {
    EdgeId last = 0;
    for (const AdjEntry& a : s->out_edges(v)) {
      EXPECT_EQ(s->edge(a.edge).src, v);
      EXPECT_EQ(s->edge(a.edge).dst, a.nbr);
      EXPECT_TRUE(out_total == 0 || a.edge >= last);
      last = a.edge;
      ++out_total;
    }
    for (const AdjEntry& a : s->in_edges(v)) {
      EXPECT_EQ(s->edge(a.edge).dst, v);
      ++in_total;
    }
  }
  EXPECT_EQ(out_total, size_t{kEdges / 2});
  EXPECT_EQ(in_total, size_t{kEdges / 2});
  // The same batch again changes nothing (every edge is an identical upsert).
  auto again = db->BulkWrite(b);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->edges_added, 0u);
  const std::string before = Dump(*db->GetSnapshot());
  db.reset();
  DatabaseOptions scan;
  scan.graph_image = false;
  auto reopened = Database::Open(dir.path(), scan);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Dump(*(*reopened)->GetSnapshot()), before);
}

// Duplicates between edges that are not: the kept edges are renumbered in
// batch order, each duplicated one taking its last copy's validity and
// properties, and the adjacency points at the new numbers.
TEST(BulkTest, DuplicatesAmongOtherEdgesKeepBatchOrderAndLastValues) {
  TempDir dir;
  auto db = PersonsOnly(dir);
  WriteBatch b(db->schema());
  auto knows = [](VertexId src, VertexId dst, Date to, std::string note) {
    return EdgeSpec{kKnows,      VertexRef::Existing(src), VertexRef::Existing(dst), Date{5}, to,
                    SourceRef{}, {{1, std::move(note)}}};
  };
  // Edge i of a pattern of five: 0 unique, 1 and 3 one identity, 2 unique,
  // 4 a copy of 0; repeated so the batch takes the parallel paths too.
  constexpr int kGroups = kEdges / 5;
  for (int g = 0; g < kGroups; ++g) {
    const VertexId a = static_cast<VertexId>(g % kPersons), c = static_cast<VertexId>(g / kPersons);
    const std::string n = std::to_string(g);
    b.AddEdge(knows(a, c, Date{10}, "u0-" + n));
    b.AddEdge(knows(a, c + 100, Date{20}, "d1-" + n));
    b.AddEdge(knows(a, c + 200, Date{30}, "u2-" + n));
    b.AddEdge(knows(a, c + 100, Date{40}, "d3-" + n));
    b.AddEdge(knows(a, c, Date{50}, "d4-" + n));
  }
  auto r = db->BulkWrite(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->edges_added, size_t{3 * kGroups});
  auto s = db->GetSnapshot();
  ASSERT_EQ(s->num_edges(), size_t{3 * kGroups});
  for (int g = 0; g < kGroups; ++g) {
    const std::string n = std::to_string(g);
    const VertexId a = static_cast<VertexId>(g % kPersons), c = static_cast<VertexId>(g / kPersons);
    const struct {
      VertexId dst;
      int to;
      std::string note;
    } want[] = {{c, 50, "d4-" + n}, {c + 100, 40, "d3-" + n}, {c + 200, 30, "u2-" + n}};
    for (int k = 0; k < 3; ++k) {
      const EdgeId e = static_cast<EdgeId>(3 * g + k);
      const EdgeRecord& rec = s->edge(e);
      ASSERT_EQ(rec.src, a) << e;
      ASSERT_EQ(rec.dst, want[k].dst) << e;
      ASSERT_EQ(rec.valid_to, Date{want[k].to}) << e;
      const Properties props = s->edge_properties(e);
      ASSERT_EQ(props.size(), 1u) << e;
      ASSERT_EQ(std::get<std::string>(props[0].second), want[k].note) << e;
    }
  }
  size_t out_total = 0;
  for (VertexId v = 0; v < kPersons; ++v) {
    for (const AdjEntry& a : s->out_edges(v)) {
      ASSERT_EQ(s->edge(a.edge).src, v);
      ASSERT_EQ(s->edge(a.edge).dst, a.nbr);
      ++out_total;
    }
  }
  EXPECT_EQ(out_total, size_t{3 * kGroups});
}

// Keys whose values share long beginnings, are beginnings of one another or
// hold zero bytes, of two kinds, given in neither value nor vertex order:
// the bulk path sorts them for storage (a wrong order fails the write), and
// the reopened database (scanned, not from the graph image) finds each.
TEST(BulkTest, KeysOfAnyLengthAreStoredInOrder) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  const std::string stem(50, 'k');
  std::vector<std::pair<KeyKindId, std::string>> keys;
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i * 7919 % 300);
    keys.emplace_back(0, stem.substr(0, i % 60) + n);           // lengths around 46
    keys.emplace_back(0, stem + n + std::string(1, '\0') + n);  // zero byte inside
    keys.emplace_back(1, std::string(i % 3, '\0') + stem.substr(i % 47) + n);
  }
  keys.emplace_back(0, stem.substr(0, 46));
  keys.emplace_back(0, stem.substr(0, 47));
  keys.emplace_back(0, stem.substr(0, 45) + std::string(1, '\0'));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::reverse(keys.begin(), keys.end());
  WriteBatch b(db->schema());
  for (size_t i = 0; i < keys.size(); ++i) b.AddVertex(keys[i].first == 0 ? 0 : 1);
  for (size_t i = keys.size(); i-- > 0;) {  // vertex order reversed too
    b.AddKey(VertexRef::New(static_cast<uint32_t>(i)), keys[i].first, keys[i].second);
  }
  auto r = db->BulkWrite(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string before = Dump(*db->GetSnapshot());
  db.reset();
  DatabaseOptions scan;
  scan.graph_image = false;
  auto reopened = Database::Open(dir.path(), scan);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto s = (*reopened)->GetSnapshot();
  EXPECT_EQ(Dump(*s), before);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto found = s->FindByKey(keys[i].first, keys[i].second);
    ASSERT_TRUE(found.ok()) << i << ": " << found.status().ToString();
    EXPECT_EQ(*found, r->vertex_ids[i]);
  }
}

// A database whose graph is partly in the base and partly in the delta, and
// a large batch that adds vertices (several ranges of the bulk path's
// parallel build, several files per column family for observations and
// keys) and also changes existing ones: new keys beside stored
// ones, observations that replace stored ones (same property and source) or
// add to them, new and ended edges.
std::unique_ptr<Database> BaseAndDelta(const TempDir& dir) {
  DatabaseOptions options;
  options.delta_rebuild_edges = 1 << 30;  // rebuild only when asked
  auto db = CreateTestDb(dir.path(), options);
  auto person = [&](WriteBatch* b, int i, const std::string& tag) {
    const VertexRef p = b->AddVertex(0);
    b->AddKey(p, kIdNumber, tag + std::to_string(i));
    b->SetProperty(p, 0, std::string("name ").append(std::to_string(i)),
                   SourceRef{0, static_cast<uint32_t>(i), 0});
    return p;
  };
  WriteBatch first(db->schema());
  for (int i = 0; i < 300; ++i) person(&first, i, "B");
  for (int i = 0; i < 100; ++i) {
    const VertexRef h = first.AddVertex(1);
    first.AddKey(h, kCertNo, std::string("C").append(std::to_string(i)));
    first.AddEdge(EdgeSpec{kOwns,
                           VertexRef::New(static_cast<uint32_t>(i)),
                           h,
                           Date{i},
                           Date::Max(),
                           SourceRef{0, 1, 0},
                           {{0, 0.5}}});
  }
  auto w1 = db->Write(first);
  EXPECT_TRUE(w1.ok()) << w1.status().ToString();
  EXPECT_TRUE(db->Rebuild().ok());
  WriteBatch second(db->schema());
  for (int i = 0; i < 50; ++i) person(&second, i, "D");
  second.SetProperty(VertexRef::Existing(1), 1, int64_t{40}, SourceRef{0, 2, 0});
  second.AddKey(VertexRef::Existing(2), kIdNumber, "A-delta");
  EXPECT_TRUE(db->Write(second).ok());
  return db;
}

WriteBatch Mixed(const Database& db) {
  WriteBatch b(db.schema());
  constexpr int kNew = 40000;  // > 2 ranges of 16,384 vertices
  for (int i = 0; i < kNew; ++i) b.AddVertex(i % 10 == 0 ? 1 : 0);
  for (int i = kNew; i-- > 0;) {  // keys out of vertex order
    const VertexRef v = VertexRef::New(static_cast<uint32_t>(i));
    if (i % 10 == 0) {
      b.AddKey(v, kCertNo, std::string("N").append(std::to_string(i)));
      continue;
    }
    b.AddKey(v, kIdNumber, std::string("Z").append(std::to_string(i)));
    if (i % 7 == 0)
      b.AddKey(v, kIdNumber, std::string("M").append(std::to_string(i)));  // two, out of order
  }
  for (int i = 0; i < kNew; ++i) {
    if (i % 10 == 0) continue;
    const VertexRef v = VertexRef::New(static_cast<uint32_t>(i));
    b.SetProperty(v, 0, std::string("new ").append(std::to_string(i)),
                  SourceRef{0, static_cast<uint32_t>(i), 0});
    b.SetProperty(v, 1, int64_t{i}, SourceRef{0, 8, 0});
    if (i % 3 == 0) b.SetProperty(v, 2, 0.25 * i, SourceRef{0, 7, 0});
    if (i % 3 == 0)
      b.SetProperty(v, 0, std::string("other ").append(std::to_string(i)), SourceRef{1, 1, 0});
  }
  // Existing vertices: base (0..299), delta (1 and 2 changed there, 400..449 new there).
  for (VertexId v : {VertexId{0}, VertexId{1}, VertexId{2}, VertexId{401}}) {
    b.SetProperty(VertexRef::Existing(v), 0, std::string("replaced"), SourceRef{0, v, 0});
    b.SetProperty(VertexRef::Existing(v), 0, std::string("second source"), SourceRef{1, 3, 0});
    b.SetProperty(VertexRef::Existing(v), 3, true, SourceRef{0, 9, 0});
    b.AddKey(VertexRef::Existing(v), kIdNumber, std::string("A-bulk").append(std::to_string(v)));
  }
  for (int i = 0; i < 200; ++i) {  // every other one with a property
    Properties props;
    if (i % 2 == 0) props.emplace_back(1, std::string("note ") + std::to_string(i));
    b.AddEdge(EdgeSpec{kKnows, VertexRef::Existing(static_cast<VertexId>(i)),
                       VertexRef::New(static_cast<uint32_t>(10 * i + 1)), Date{i}, Date::Max(),
                       SourceRef{0, static_cast<uint32_t>(i), 0}, std::move(props)});
  }
  b.SetEdgeValidTo(3, Date{5000});
  // An existing edge (person 5 owns house 305) upserted with a new share.
  b.AddEdge(EdgeSpec{kOwns,
                     VertexRef::Existing(5),
                     VertexRef::Existing(305),
                     Date{5},
                     Date::Max(),
                     SourceRef{0, 1, 0},
                     {{0, 0.75}}});
  return b;
}

// The bulk path builds the next base graph straight from the resolved batch;
// it must show exactly what the incremental path shows for the same batch,
// in memory and once reopened from the column families.
TEST(BulkTest, BulkWriteShowsWhatWriteShows) {
  TempDir a_dir, b_dir;
  auto a = BaseAndDelta(a_dir);
  auto b = BaseAndDelta(b_dir);
  for (auto* db : {a.get(), b.get()}) ASSERT_TRUE(db->RegisterSource("x", "second.csv").ok());
  ASSERT_EQ(DumpGraph(*a->GetSnapshot()), DumpGraph(*b->GetSnapshot()));
  auto written = a->Write(Mixed(*a));
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto bulk = b->BulkWrite(Mixed(*b));
  ASSERT_TRUE(bulk.ok()) << bulk.status().ToString();
  EXPECT_EQ(bulk->vertex_ids, written->vertex_ids);
  const std::string expected = DumpGraph(*a->GetSnapshot());
  EXPECT_EQ(DumpGraph(*b->GetSnapshot()), expected);
  auto s = b->GetSnapshot();
  EXPECT_EQ(s->out_edges(0).delta().size(), 0u);  // all in the new base
  EXPECT_EQ(*s->FindByKey(kIdNumber, "A-delta"), 2u);
  EXPECT_EQ(*s->FindByKey(kIdNumber, "A-bulk401"), 401u);
  EXPECT_EQ(*s->FindByKey(kIdNumber, "M7"), bulk->vertex_ids[7]);
  EXPECT_EQ(s->property(1, 0), Value(std::string("second source")));
  EXPECT_EQ(s->edge_properties(5), (Properties{{0, 0.75}}));
  const EdgeId last = static_cast<EdgeId>(s->num_edges() - 1);  // the new KNOWS edges, in order
  EXPECT_TRUE(s->edge_properties(last).empty());                // i = 199
  EXPECT_EQ(s->edge_properties(last - 1), (Properties{{1, std::string("note 198")}}));
  b.reset();
  DatabaseOptions scan;
  scan.graph_image = false;
  auto reopened = Database::Open(b_dir.path(), scan);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(DumpGraph(*(*reopened)->GetSnapshot()), expected);
}

// The consuming variant frees the batch's edge ops after they are resolved
// and its property ops mid-write (before the observation files are written
// and the key blob, CSRs and key index are built) and shows and stores the
// same, edge properties included.
TEST(BulkTest, BulkWriteConsumingShowsAndStoresWhatBulkWriteDoes) {
  TempDir a_dir, c_dir;
  auto a = BaseAndDelta(a_dir);
  auto c = BaseAndDelta(c_dir);
  for (auto* db : {a.get(), c.get()}) ASSERT_TRUE(db->RegisterSource("x", "second.csv").ok());
  ASSERT_TRUE(a->BulkWrite(Mixed(*a)).ok());
  WriteBatch batch = Mixed(*c);
  ASSERT_FALSE(batch.props().empty());
  ASSERT_FALSE(batch.edges().empty());
  auto consumed = c->BulkWriteConsuming(&batch);
  ASSERT_TRUE(consumed.ok()) << consumed.status().ToString();
  EXPECT_TRUE(batch.props().empty());
  EXPECT_TRUE(batch.values().empty());
  EXPECT_TRUE(batch.edges().empty());
  const std::string expected = DumpGraph(*a->GetSnapshot());
  EXPECT_EQ(DumpGraph(*c->GetSnapshot()), expected);
  c.reset();
  for (bool image : {true, false}) {
    DatabaseOptions o;
    o.graph_image = image;
    auto reopened = Database::Open(c_dir.path(), o);
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    EXPECT_EQ(DumpGraph(*(*reopened)->GetSnapshot()), expected) << "image " << image;
  }
}

}  // namespace
}  // namespace citygraph
