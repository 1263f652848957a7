// Write/read round trips, atomicity, reopen, upserts, delta + rebuild.
#include "citygraph/graph.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace citygraph {
namespace {

using testing::CreateTestDb;
using testing::Dump;
using testing::TempDir;

constexpr LabelId kPerson = 0, kHouse = 1;
constexpr EdgeTypeId kOwns = 0, kKnows = 1;
constexpr KeyKindId kIdNumber = 0, kCertNo = 1;

Date D(const char* iso) { return *Date::Parse(iso); }

// A small graph: n persons in a chain of KNOWS edges, each owning a house.
WriteBatch SmallCity(const Database& db, int n, int tag = 0) {
  WriteBatch b(db.schema());
  for (int i = 0; i < n; ++i) {
    VertexRef p = b.AddVertex(kPerson);
    VertexRef h = b.AddVertex(kHouse);
    b.AddKey(p, kIdNumber, "ID" + std::to_string(tag) + "_" + std::to_string(i));
    b.AddKey(h, kCertNo, "CERT" + std::to_string(tag) + "_" + std::to_string(i));
    b.SetProperty(p, 0, std::string("person ") + std::to_string(i), SourceRef{0, uint32_t(i), 0});
    b.SetProperty(p, 1, int64_t{20 + i}, SourceRef{0, uint32_t(i), 0});
    b.SetProperty(h, 0, std::string("street ") + std::to_string(i), SourceRef{0, uint32_t(i), 0});
    b.AddEdge(EdgeSpec{
        kOwns, p, h, D("2020-01-01"), Date::Max(), SourceRef{0, uint32_t(i), 0}, {{0, 0.5}}});
    if (i > 0) {
      b.AddEdge(EdgeSpec{kKnows,
                         VertexRef::New(2 * (i - 1)),
                         p,
                         D("2019-05-01"),
                         D("2021-01-01"),
                         SourceRef{0, uint32_t(i), 0},
                         {}});
    }
  }
  return b;
}

TEST(GraphTest, RoundTripEveryPropertyType) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  WriteBatch b(db->schema());
  VertexRef p = b.AddVertex(kPerson);
  const Value values[] = {std::string("张三 \0x"), int64_t{-1234567890123}, -2.5, true,
                          D("1969-12-31"),         Timestamp{-1000001}};
  for (PropId i = 0; i < 6; ++i) b.SetProperty(p, i, values[i], SourceRef{0, 7, 0});
  // The batch keeps the values encoded; each op gives its own back.
  ASSERT_EQ(b.props().size(), 6u);
  for (PropId i = 0; i < 6; ++i) EXPECT_EQ(b.value(b.props()[i]), values[i]) << "prop " << i;
  WriteBatch::PropOp stray = b.props()[0];
  stray.value_at = b.values().size();
  EXPECT_EQ(b.value(stray), Value());
  VertexRef q = b.AddVertex(kPerson);
  b.AddEdge(EdgeSpec{kKnows,
                     p,
                     q,
                     D("1850-02-03"),
                     D("2150-01-01"),
                     SourceRef{0, 9, 0},
                     {{0, D("2001-02-03")}, {1, std::string("")}}});
  auto r = db->Write(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->vertex_ids.size(), 2u);
  auto check = [&](const Snapshot& s) {
    const VertexId v = r->vertex_ids[0];
    for (PropId i = 0; i < 6; ++i) EXPECT_EQ(s.property(v, i), values[i]) << "prop " << i;
    auto obs = s.properties(v);
    ASSERT_EQ(obs.size(), 6u);
    EXPECT_EQ(obs[3].source.record, 7u);
    EXPECT_EQ(obs[3].source.batch, r->batch);
    ASSERT_EQ(s.num_edges(), 1u);
    const EdgeRecord& e = s.edge(0);
    EXPECT_EQ(e.src, v);
    EXPECT_EQ(e.dst, r->vertex_ids[1]);
    EXPECT_EQ(e.valid_from, D("1850-02-03"));
    EXPECT_EQ(e.valid_to, D("2150-01-01"));
    EXPECT_EQ(e.source.record, 9u);
    Properties want = {{0, D("2001-02-03")}, {1, std::string("")}};
    EXPECT_EQ(s.edge_properties(0), want);
    EXPECT_EQ(s.property(r->vertex_ids[1], 0), Value());
  };
  check(*db->GetSnapshot());
  db.reset();
  auto reopened = Database::Open(dir.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  check(*(*reopened)->GetSnapshot());
}

// A value too long for an op's size field (64 KiB and more) is read from
// the batch's bytes; short and long ones store the same either way.
TEST(GraphTest, LongAndShortValuesThroughWriteAndBulkWrite) {
  // A string encodes to a tag, a 4-byte length and its bytes: 65534 bytes
  // fit the size field, 65535 (kLongValue) no longer do.
  const std::string long_name(70000, 'x'), fits(65529, 'y'), just_long(65530, 'z');
  for (const bool bulk : {false, true}) {
    TempDir dir;
    auto db = CreateTestDb(dir.path());
    WriteBatch b(db->schema());
    VertexRef p = b.AddVertex(kPerson);
    b.SetProperty(p, 0, long_name, SourceRef{0, 1, 0});
    b.SetProperty(p, 1, int64_t{7}, SourceRef{0, 1, 0});
    VertexRef q = b.AddVertex(kPerson);
    b.SetProperty(q, 0, fits, SourceRef{0, 2, 0});
    b.SetProperty(q, 1, int64_t{8}, SourceRef{0, 2, 0});
    VertexRef u = b.AddVertex(kPerson);
    b.SetProperty(u, 0, just_long, SourceRef{0, 3, 0});
    size_t bytes = 0;
    for (const auto& op : b.props()) {
      EXPECT_EQ(op.value_at, bytes);
      bytes += b.encoded_value(op).size();
    }
    EXPECT_EQ(bytes, b.values().size());
    EXPECT_EQ(b.props()[0].value_size, WriteBatch::PropOp::kLongValue);
    EXPECT_EQ(b.props()[1].value_size, 9u);
    EXPECT_EQ(b.props()[2].value_size, 65534u);
    EXPECT_EQ(b.props()[4].value_size, WriteBatch::PropOp::kLongValue);
    auto r = bulk ? db->BulkWrite(b) : db->Write(b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto check = [&](const Snapshot& s) {
      EXPECT_EQ(s.property(r->vertex_ids[0], 0), Value(long_name));
      EXPECT_EQ(s.property(r->vertex_ids[0], 1), Value(int64_t{7}));
      EXPECT_EQ(s.property(r->vertex_ids[1], 0), Value(fits));
      EXPECT_EQ(s.property(r->vertex_ids[1], 1), Value(int64_t{8}));
      EXPECT_EQ(s.property(r->vertex_ids[2], 0), Value(just_long));
    };
    check(*db->GetSnapshot());
    db.reset();
    auto reopened = Database::Open(dir.path());
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    check(*(*reopened)->GetSnapshot());
  }
}

TEST(GraphTest, AdjacencyAndKeys) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  auto r = db->Write(SmallCity(*db, 5));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto s = db->GetSnapshot();
  EXPECT_EQ(s->num_vertices(), 10u);
  EXPECT_EQ(s->num_edges(), 9u);
  auto p3 = s->FindByKey(kIdNumber, "ID0_3");
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(*p3, r->vertex_ids[6]);
  EXPECT_EQ(s->FindByKey(kIdNumber, "nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->FindByKey(kCertNo, "ID0_3").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->out_edges(*p3).size(), 2u);  // OWNS + KNOWS to person 4
  EXPECT_EQ(s->in_edges(*p3).size(), 1u);   // KNOWS from person 2
  EXPECT_EQ(s->vertices_with_label(kHouse).size(), 5u);
  EXPECT_EQ(s->source(0).department, "police");
}

TEST(GraphTest, BadEdgeWritesNothing) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  ASSERT_TRUE(db->Write(SmallCity(*db, 3)).ok());
  const std::string before = Dump(*db->GetSnapshot());
  WriteBatch b = SmallCity(*db, 4, /*tag=*/1);
  // House -> Person is not an allowed OWNS edge.
  b.AddEdge(EdgeSpec{
      kOwns, VertexRef::New(1), VertexRef::New(0), Date::Min(), Date::Max(), SourceRef{}, {}});
  auto r = db->Write(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("OWNS"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("House"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(Dump(*db->GetSnapshot()), before);
  EXPECT_FALSE(db->BulkWrite(b).ok());
  EXPECT_EQ(Dump(*db->GetSnapshot()), before);
  db.reset();
  auto reopened = Database::Open(dir.path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Dump(*(*reopened)->GetSnapshot()), before);
}

TEST(GraphTest, ViolationsNameTheCulprit) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  ASSERT_TRUE(db->Write(SmallCity(*db, 2)).ok());
  auto fails = [&](WriteBatch b, StatusCode code, const std::string& needle) {
    auto r = db->Write(b);
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().ToString();
  };
  {
    WriteBatch b(db->schema());
    b.SetProperty(VertexRef::Existing(0), 1, std::string("old"), SourceRef{});
    fails(std::move(b), StatusCode::kInvalidArgument, "age");
  }
  {
    WriteBatch b(db->schema());
    b.AddKey(VertexRef::Existing(1), kIdNumber, "X");  // a House may not carry id_number
    fails(std::move(b), StatusCode::kInvalidArgument, "id_number");
  }
  {
    WriteBatch b(db->schema());
    b.AddKey(VertexRef::Existing(2), kIdNumber, "ID0_0");  // owned by vertex 0
    fails(std::move(b), StatusCode::kAlreadyExists, "ID0_0");
  }
  {
    WriteBatch b(db->schema());
    b.AddEdge(EdgeSpec{kKnows,
                       VertexRef::Existing(0),
                       VertexRef::Existing(99),
                       Date::Min(),
                       Date::Max(),
                       SourceRef{},
                       {}});
    fails(std::move(b), StatusCode::kNotFound, "99");
  }
  {
    WriteBatch b(db->schema());
    b.AddEdge(EdgeSpec{kOwns,
                       VertexRef::Existing(0),
                       VertexRef::Existing(1),
                       Date::Min(),
                       Date::Max(),
                       SourceRef{},
                       {{0, std::string("half")}}});
    fails(std::move(b), StatusCode::kInvalidArgument, "share");
  }
  {
    WriteBatch b(db->schema());
    b.SetProperty(VertexRef::Existing(0), 0, std::string("x"), SourceRef{5, 0, 0});
    fails(std::move(b), StatusCode::kInvalidArgument, "source id 5");
  }
  {
    WriteBatch b(db->schema());
    b.SetEdgeValidTo(1234, Date::Max());
    fails(std::move(b), StatusCode::kNotFound, "1234");
  }
}

TEST(GraphTest, ReopenReturnsIdenticalGraph) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  ASSERT_TRUE(db->Write(SmallCity(*db, 30)).ok());
  ASSERT_TRUE(db->BulkWrite(SmallCity(*db, 20, 1)).ok());
  WriteBatch more(db->schema());
  more.SetProperty(VertexRef::Existing(0), 0, std::string("renamed"), SourceRef{0, 99, 0});
  more.SetEdgeValidTo(0, D("2022-02-02"));
  more.AddKey(VertexRef::Existing(4), kIdNumber, "EXTRA");
  more.AddEdge(EdgeSpec{kKnows,
                        VertexRef::Existing(60),
                        VertexRef::Existing(0),
                        Date::Min(),
                        Date::Max(),
                        SourceRef{0, 1, 0},
                        {{1, std::string("late")}}});
  ASSERT_TRUE(db->Write(more).ok());
  auto src = db->RegisterSource("housing", "houses.csv");
  ASSERT_TRUE(src.ok());
  const std::string before = Dump(*db->GetSnapshot());
  db.reset();
  auto reopened = Database::Open(dir.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto s = (*reopened)->GetSnapshot();
  EXPECT_EQ(Dump(*s), before);
  EXPECT_EQ(s->source(1).department, "housing");
  EXPECT_EQ(s->source(1).file, "houses.csv");
  EXPECT_EQ(*s->FindByKey(kIdNumber, "EXTRA"), 4u);
}

TEST(GraphTest, UpsertIsIdempotent) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  auto first = db->Write(SmallCity(*db, 4));
  ASSERT_TRUE(first.ok());
  // The same facts about existing vertices, twice.
  WriteBatch b(db->schema());
  b.AddKey(VertexRef::Existing(0), kIdNumber, "ID0_0");
  b.SetProperty(VertexRef::Existing(0), 0, std::string("person 0"), SourceRef{0, 0, 0});
  b.AddEdge(EdgeSpec{kOwns,
                     VertexRef::Existing(0),
                     VertexRef::Existing(1),
                     D("2020-01-01"),
                     Date::Max(),
                     SourceRef{0, 0, 0},
                     {{0, 0.5}}});
  auto again = db->Write(b);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->edges_added, 0u);
  EXPECT_EQ(again->edges_updated, 0u);
  const auto strip = [](std::string dump) {  // batch times differ by design
    return dump.substr(dump.find('\n'), dump.find("\nbatch") - dump.find('\n'));
  };
  const std::string once = strip(Dump(*db->GetSnapshot()));
  ASSERT_TRUE(db->Write(b).ok());
  EXPECT_EQ(strip(Dump(*db->GetSnapshot())), once);
  // A changed share updates the same edge instead of adding a parallel one.
  WriteBatch c(db->schema());
  c.AddEdge(EdgeSpec{kOwns,
                     VertexRef::Existing(0),
                     VertexRef::Existing(1),
                     D("2020-01-01"),
                     D("2023-01-01"),
                     SourceRef{0, 0, 0},
                     {{0, 1.0}}});
  auto upd = db->Write(c);
  ASSERT_TRUE(upd.ok());
  EXPECT_EQ(upd->edges_added, 0u);
  EXPECT_EQ(upd->edges_updated, 1u);
  auto s = db->GetSnapshot();
  EXPECT_EQ(s->num_edges(), 7u);
  EXPECT_EQ(s->edge(0).valid_to, D("2023-01-01"));
  EXPECT_EQ(s->edge_properties(0), (Properties{{0, 1.0}}));
  // A different source keeps a separate observation and a parallel edge.
  auto src = db->RegisterSource("housing", "h.csv");
  ASSERT_TRUE(src.ok());
  WriteBatch d(db->schema());
  d.SetProperty(VertexRef::Existing(0), 0, std::string("P0"), SourceRef{*src, 1, 0});
  d.AddEdge(EdgeSpec{kOwns,
                     VertexRef::Existing(0),
                     VertexRef::Existing(1),
                     D("2020-01-01"),
                     Date::Max(),
                     SourceRef{*src, 0, 0},
                     {}});
  ASSERT_TRUE(db->Write(d).ok());
  s = db->GetSnapshot();
  EXPECT_EQ(s->num_edges(), 8u);
  EXPECT_EQ(s->properties(0).size(), 3u);  // name x2 sources, age
  EXPECT_EQ(s->property(0, 0), Value(std::string("P0")));
}

TEST(GraphTest, DeltaAndRebuildAgree) {
  TempDir dir;
  DatabaseOptions options;
  options.delta_rebuild_edges = 1 << 30;  // rebuild only when asked
  auto db = CreateTestDb(dir.path(), options);
  ASSERT_TRUE(db->BulkWrite(SmallCity(*db, 50)).ok());
  for (int round = 0; round < 5; ++round) {
    ASSERT_TRUE(db->Write(SmallCity(*db, 7, round + 1)).ok());
    WriteBatch b(db->schema());
    b.AddEdge(EdgeSpec{kKnows,
                       VertexRef::Existing(2 * round),
                       VertexRef::Existing(2 * round + 40),
                       Date::Min(),
                       Date::Max(),
                       SourceRef{0, 1, 0},
                       {}});
    b.SetEdgeValidTo(round, D("2024-01-01"));
    b.SetProperty(VertexRef::Existing(2 * round), 2, 1.5 * round, SourceRef{0, 0, 0});
    ASSERT_TRUE(db->Write(b).ok());
  }
  auto delta = db->GetSnapshot();
  EXPECT_GT(delta->out_edges(0).delta().size(), 0u);
  const std::string before = Dump(*delta);
  ASSERT_TRUE(db->Rebuild().ok());
  auto rebuilt = db->GetSnapshot();
  EXPECT_EQ(rebuilt->out_edges(0).delta().size(), 0u);
  EXPECT_EQ(Dump(*rebuilt), before);
  EXPECT_EQ(Dump(*delta), before);  // the old snapshot is unchanged
  for (int i = 1; i <= 5; ++i) {
    EXPECT_TRUE(rebuilt->FindByKey(kIdNumber, "ID" + std::to_string(i) + "_3").ok());
  }
}

TEST(GraphTest, AutomaticRebuildPastThreshold) {
  TempDir dir;
  DatabaseOptions options;
  options.delta_rebuild_edges = 10;
  auto db = CreateTestDb(dir.path(), options);
  ASSERT_TRUE(db->Write(SmallCity(*db, 4)).ok());
  EXPECT_EQ(db->GetSnapshot()->out_edges(0).base().size(), 0u);
  ASSERT_TRUE(db->Write(SmallCity(*db, 4, 1)).ok());  // 14 edges > 10
  auto s = db->GetSnapshot();
  EXPECT_EQ(s->out_edges(0).base().size(), 2u);
  EXPECT_EQ(s->out_edges(0).delta().size(), 0u);
}

TEST(GraphTest, AuxRecords) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  WriteBatch b(db->schema());
  b.PutAux("er", "p:2", "merged");
  b.PutAux("er", "p:1", "first");
  b.PutAux("er", "p:1", "second");
  b.PutAux("erx", "p:3", "other namespace");
  ASSERT_TRUE(db->Write(b).ok());
  EXPECT_EQ(*db->GetAux("er", "p:1"), "second");
  EXPECT_EQ(db->GetAux("er", "p:3").status().code(), StatusCode::kNotFound);
  auto scan = db->ScanAux("er", "p:");
  ASSERT_TRUE(scan.ok());
  ASSERT_EQ(scan->size(), 2u);
  EXPECT_EQ((*scan)[0].first, "p:1");
  EXPECT_EQ((*scan)[1].second, "merged");
}

TEST(GraphTest, AuxKeyPrefixes) {
  TempDir dir;
  auto db = CreateTestDb(dir.path());
  WriteBatch b(db->schema());
  for (const char* key : {"12:1", "12:9", "1:5", "120:3", "7:", "nodelim", "2:4:x", "9:0"})
    b.PutAux("er", key, "v");
  b.PutAux("er2", "5:1", "other namespace");
  b.PutAux("e", "r3:1", "a namespace that is a prefix of another");
  ASSERT_TRUE(db->Write(b).ok());
  auto found = db->AuxKeyPrefixes("er", ':');
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  // In key order: bytes compare unsigned, and "0" sorts before ":".
  EXPECT_EQ(*found, (std::vector<std::string>{"120:", "12:", "1:", "2:", "7:", "9:"}));
  EXPECT_EQ(*db->AuxKeyPrefixes("er2", ':'), (std::vector<std::string>{"5:"}));
  EXPECT_TRUE(db->AuxKeyPrefixes("none", ':')->empty());
}

TEST(GraphTest, CreateOpenErrors) {
  TempDir dir;
  EXPECT_EQ(Database::Open(dir.Sub("none")).status().code(), StatusCode::kNotFound);
  auto db = CreateTestDb(dir.path());
  EXPECT_EQ(Database::Create(dir.path(), testing::TestSchema()).status().code(),
            StatusCode::kAlreadyExists);
  DatabaseOptions ro;
  ro.read_only = true;
  ASSERT_TRUE(db->Write(SmallCity(*db, 2)).ok());
  auto reader = Database::Open(dir.path(), ro);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->GetSnapshot()->num_vertices(), 4u);
  EXPECT_EQ((*reader)->Write(SmallCity(**reader, 1)).status().code(),
            StatusCode::kFailedPrecondition);
  DatabaseStats st = (*reader)->Stats();
  EXPECT_EQ(st.num_vertices, 4u);
  EXPECT_EQ(st.vertices_per_label[0], (std::pair<std::string, size_t>("Person", 2)));
  EXPECT_EQ(st.edges_per_type[1], (std::pair<std::string, size_t>("KNOWS", 1)));
  EXPECT_GT(st.disk_bytes, 0u);
  EXPECT_GT(st.memory_bytes, 0u);
}

}  // namespace
}  // namespace citygraph
