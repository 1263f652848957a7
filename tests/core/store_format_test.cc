// The observation column family's formats (graph-core/src/store.h): a
// vertex's whole list under its id, and the per-observation entries of
// databases written before 2026-11-29, which still load until a whole list
// of their vertex replaces them. Entries are written with RocksDB directly.
// The adjacency families: each vertex's out and in lists, as the graph
// shows them, after bulk and incremental writes.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/key_encoding.h"
#include "codec.h"
#include "test_util.h"

namespace citygraph::internal {
namespace {

using citygraph::testing::CreateTestDb;
using citygraph::testing::TempDir;
using namespace keyenc;

constexpr LabelId kPerson = 0;
constexpr PropId kName = 0, kAge = 1;

// The RocksDB database under a CityGraph directory, with its column families.
class Raw {
 public:
  explicit Raw(const std::string& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descs;
    for (const auto& name : names) descs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir, descs, &handles_, &db).ok());
    db_.reset(db);
    names_ = names;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "vprop") vprop_ = handles_[i];
    }
  }
  ~Raw() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  void Put(const std::string& k, const std::string& v) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), vprop_, k, v).ok());
  }
  void Delete(const std::string& k) {
    ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), vprop_, k).ok());
  }
  // Number of vprop entries of vertex v with keys of `size` bytes.
  int Count(VertexId v, size_t size) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), vprop_));
    const std::string prefix = WholeKey(v);
    int count = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      count += it->key().size() == size;
    }
    return count;
  }
  // Every entry of column family `name`, by key.
  std::map<std::string, std::string> All(const std::string& name) {
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] != name) continue;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[i]));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        out.emplace(it->key().ToString(), it->value().ToString());
      }
    }
    return out;
  }
  static std::string WholeKey(VertexId v) {
    std::string k;
    PutU32(&k, v);
    return k;
  }
  // An entry of the old format: (v, prop, source) -> record|batch|value.
  void PutOld(VertexId v, PropId prop, SourceRef src, const Value& value) {
    std::string k = WholeKey(v), val;
    PutU16(&k, prop);
    PutU32(&k, src.source);
    PutU32(&val, src.record);
    PutU32(&val, src.batch);
    EncodeValue(value, &val);
    Put(k, val);
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
  rocksdb::ColumnFamilyHandle* vprop_ = nullptr;
};

DatabaseOptions ScanOnOpen() {
  DatabaseOptions o;
  o.graph_image = false;  // every open reads the column families
  return o;
}

// Two persons with one name each (source 0), written and closed.
void WriteTwoPersons(const std::string& dir, bool bulk) {
  auto db = CreateTestDb(dir, ScanOnOpen());
  ASSERT_NE(db, nullptr);
  WriteBatch b(db->schema());
  for (int i = 0; i < 2; ++i) {
    const VertexRef p = b.AddVertex(kPerson);
    b.SetProperty(p, kName, std::string("new ") + std::to_string(i), SourceRef{0, 1, 0});
  }
  ASSERT_TRUE((bulk ? db->BulkWrite(b) : db->Write(b)).ok());
}

std::unique_ptr<Database> Reopen(const std::string& dir) {
  auto db = Database::Open(dir, ScanOnOpen());
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

TEST(StoreFormatTest, WritesOneWholeListPerVertex) {
  for (const bool bulk : {false, true}) {
    TempDir dir;
    WriteTwoPersons(dir.path(), bulk);
    Raw raw(dir.path());
    EXPECT_EQ(raw.Count(0, 4), 1) << "bulk " << bulk;
    EXPECT_EQ(raw.Count(1, 4), 1) << "bulk " << bulk;
    EXPECT_EQ(raw.Count(0, 10), 0) << "bulk " << bulk;
  }
}

TEST(StoreFormatTest, OldEntriesLoadUntilAWholeListReplacesThem) {
  TempDir dir;
  WriteTwoPersons(dir.path(), /*bulk=*/false);
  {
    // Vertex 0 as an old database holds it; vertex 1 keeps its whole list
    // beside a stale old entry, which the whole list overrides.
    Raw raw(dir.path());
    raw.Delete(Raw::WholeKey(0));
    raw.PutOld(0, kName, SourceRef{0, 7, 1}, Value(std::string("old name")));
    raw.PutOld(0, kAge, SourceRef{0, 8, 1}, Value(int64_t{42}));
    raw.PutOld(1, kName, SourceRef{0, 9, 1}, Value(std::string("stale")));
  }
  {
    auto db = Reopen(dir.path());
    ASSERT_NE(db, nullptr);
    auto s = db->GetSnapshot();
    EXPECT_EQ(s->property(0, kName), Value(std::string("old name")));
    EXPECT_EQ(s->property(0, kAge), Value(int64_t{42}));
    ASSERT_EQ(s->properties(0).size(), 2u);
    EXPECT_EQ(s->properties(0)[0].source.record, 7u);
    EXPECT_EQ(s->property(1, kName), Value(std::string("new 1")));
    EXPECT_EQ(s->properties(1).size(), 1u);
    // A new observation of vertex 0 writes its whole list.
    WriteBatch b(db->schema());
    b.SetProperty(VertexRef::Existing(0), kAge, int64_t{43}, SourceRef{0, 10, 0});
    ASSERT_TRUE(db->Write(b).ok());
  }
  {
    Raw raw(dir.path());
    EXPECT_EQ(raw.Count(0, 4), 1);
  }
  auto db = Reopen(dir.path());
  ASSERT_NE(db, nullptr);
  auto s = db->GetSnapshot();
  EXPECT_EQ(s->property(0, kName), Value(std::string("old name")));
  EXPECT_EQ(s->property(0, kAge), Value(int64_t{43}));
  EXPECT_EQ(s->properties(0).size(), 2u);
}

TEST(StoreFormatTest, AWholeListThatDoesNotDecodeIsCorruption) {
  TempDir dir;
  WriteTwoPersons(dir.path(), /*bulk=*/true);
  {
    Raw raw(dir.path());
    std::string bad;
    PutU16(&bad, kName);
    bad += "short";  // no source, record, batch or value
    raw.Put(Raw::WholeKey(1), bad);
  }
  auto db = Database::Open(dir.path(), ScanOnOpen());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kCorruption);
  EXPECT_NE(db.status().message().find("vertex 1"), std::string::npos) << db.status().ToString();
}

TEST(StoreFormatTest, AWholeListNamingAPropertyItsLabelLacksIsCorruption) {
  TempDir dir;
  WriteTwoPersons(dir.path(), /*bulk=*/false);
  {
    Raw raw(dir.path());
    PropertyObservation o{/*prop=*/6, Value(std::string("x")), SourceRef{0, 1, 1}};  // Person has 6
    std::string list;
    EncodeObservation(o, &list);
    raw.Put(Raw::WholeKey(0), list);
  }
  auto db = Database::Open(dir.path(), ScanOnOpen());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kCorruption);
}

constexpr EdgeTypeId kKnows = 1;

EdgeSpec Knows(VertexRef src, VertexRef dst, int i) {
  return EdgeSpec{kKnows, src, dst, Date{i}, Date::Max(), SourceRef{0, uint32_t(i), 0}, {}};
}

// The out (or in) family as the graph `s` says it should be: an entry per
// vertex with edges in that direction, u32 neighbour | u32 edge id each.
std::map<std::string, std::string> ExpectedAdjacency(const Snapshot& s, bool out) {
  std::map<std::string, std::string> want;
  for (VertexId v = 0; v < s.num_vertices(); ++v) {
    std::string list;
    EdgeId last = 0;
    for (const AdjEntry& a : out ? s.out_edges(v) : s.in_edges(v)) {
      EXPECT_TRUE(list.empty() || a.edge > last) << "vertex " << v << ": not in edge id order";
      last = a.edge;
      PutU32(&list, a.nbr);
      PutU32(&list, a.edge);
    }
    if (!list.empty()) want.emplace(Raw::WholeKey(v), list);
  }
  return want;
}

TEST(StoreFormatTest, AdjacencyFamiliesHoldEveryVertexsListsInEdgeIdOrder) {
  for (const bool bulk_first : {false, true}) {
    TempDir dir;
    {
      auto db = CreateTestDb(dir.path(), ScanOnOpen());
      ASSERT_NE(db, nullptr);
      WriteBatch b(db->schema());
      std::vector<VertexRef> p;
      for (int i = 0; i < 6; ++i) p.push_back(b.AddVertex(kPerson));
      int i = 0;
      for (auto [from, to] : {std::pair{0, 1}, {0, 2}, {3, 0}, {2, 1}, {0, 1}}) {
        b.AddEdge(Knows(p[from], p[to], i++));
      }
      ASSERT_TRUE((bulk_first ? db->BulkWrite(b) : db->Write(b)).ok());
      // Incremental: a new vertex, new edges on vertices that have lists.
      WriteBatch c(db->schema());
      const VertexRef six = c.AddVertex(kPerson);
      auto old = [](VertexId v) { return VertexRef::Existing(v); };
      c.AddEdge(Knows(old(1), old(0), 10));
      c.AddEdge(Knows(old(0), six, 11));
      c.AddEdge(Knows(six, old(2), 12));
      ASSERT_TRUE(db->Write(c).ok());
      // Bulk into the non-empty graph: lists of old vertices grow again.
      WriteBatch d(db->schema());
      d.AddEdge(Knows(old(5), old(0), 20));
      d.AddEdge(Knows(old(0), old(5), 21));
      ASSERT_TRUE(db->BulkWrite(d).ok());
    }
    auto db = Reopen(dir.path());
    ASSERT_NE(db, nullptr);
    auto s = db->GetSnapshot();
    ASSERT_EQ(s->num_edges(), 10u);
    const auto want_out = ExpectedAdjacency(*s, true), want_in = ExpectedAdjacency(*s, false);
    db.reset();
    Raw raw(dir.path());
    EXPECT_EQ(raw.All("out"), want_out) << "bulk first " << bulk_first;
    EXPECT_EQ(raw.All("in"), want_in) << "bulk first " << bulk_first;
    EXPECT_EQ(want_out.size(), 6u);  // vertices 0, 1, 2, 3, 5, 6 have out-edges
    EXPECT_EQ(want_in.size(), 5u);   // and 0, 1, 2, 5, 6 in-edges
  }
}

}  // namespace
}  // namespace citygraph::internal
