// The graph image (graph-core/src/graph_image.h): used on open only when it
// shows exactly the current RocksDB state and verifies; otherwise Open scans
// RocksDB and returns the same graph.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "citygraph/graph.h"
#include "test_util.h"

namespace citygraph {
namespace {

using testing::CreateTestDb;
using testing::Dump;
using testing::DumpGraph;
using testing::TempDir;

constexpr EdgeTypeId kOwns = 0, kKnows = 1;

// Concatenation (GCC 12 warns falsely on "literal" + std::string).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

// n persons, each owning a house, in a chain of KNOWS edges.
WriteBatch People(const Database& db, int n, int tag) {
  WriteBatch b(db.schema());
  for (int i = 0; i < n; ++i) {
    VertexRef p = b.AddVertex(0);
    VertexRef h = b.AddVertex(1);
    b.AddKey(p, 0, Cat({"P", std::to_string(tag), "_", std::to_string(i)}));
    b.AddKey(h, 1, Cat({"H", std::to_string(tag), "_", std::to_string(i)}));
    b.SetProperty(p, 0, Cat({"name ", std::to_string(i)}), SourceRef{0, uint32_t(i), 0});
    b.AddEdge(EdgeSpec{kOwns, p, h, Date{100}, Date::Max(), SourceRef{0, uint32_t(i), 0},
                       i % 2 == 0 ? Properties{{0, 0.25 * i}} : Properties{}});
    if (i > 0) {
      b.AddEdge(EdgeSpec{
          kKnows, VertexRef::New(2 * (i - 1)), p, Date{i}, Date{1000 + i}, SourceRef{0, 7, 0}, {}});
    }
  }
  return b;
}

std::string ImageFile(const TempDir& dir) { return dir.path() + "/graph.image"; }

struct Opened {
  std::unique_ptr<Database> db;
  std::string dump;
  bool from_image = false;
};

Opened Reopen(const TempDir& dir, DatabaseOptions options = {}) {
  auto db = Database::Open(dir.path(), options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return {};
  Opened o;
  o.db = std::move(*db);
  o.dump = Dump(*o.db->GetSnapshot());
  o.from_image = o.db->Stats().opened_from_image;
  return o;
}

// A database written through every path (Write, BulkWrite, upserts, ends,
// a second source), closed by its writer.
std::string BuildAndClose(const TempDir& dir) {
  auto db = CreateTestDb(dir.path());
  EXPECT_TRUE(db->Write(People(*db, 20, 0)).ok());
  EXPECT_TRUE(db->BulkWrite(People(*db, 30, 1)).ok());
  WriteBatch more(db->schema());
  more.SetEdgeValidTo(3, Date{500});
  more.SetProperty(VertexRef::Existing(2), 0, std::string("renamed"), SourceRef{0, 9, 0});
  more.AddKey(VertexRef::Existing(4), 0, "EXTRA");
  EXPECT_TRUE(db->Write(more).ok());
  EXPECT_TRUE(db->RegisterSource("housing", "h.csv").ok());
  return Dump(*db->GetSnapshot());
}

TEST(GraphImageTest, CurrentImageIsUsedAndGivesTheSameGraph) {
  TempDir dir;
  const std::string before = BuildAndClose(dir);
  ASSERT_TRUE(std::filesystem::exists(ImageFile(dir)));
  Opened o = Reopen(dir);
  EXPECT_TRUE(o.from_image);
  EXPECT_EQ(o.dump, before);
  EXPECT_EQ(*o.db->GetSnapshot()->FindByKey(0, "EXTRA"), 4u);
  // The graph behaves the same afterwards: writes, rebuilds, reopen.
  ASSERT_TRUE(o.db->Write(People(*o.db, 5, 2)).ok());
  ASSERT_TRUE(o.db->Rebuild().ok());
  const std::string after = Dump(*o.db->GetSnapshot());
  o.db.reset();
  Opened again = Reopen(dir);
  EXPECT_TRUE(again.from_image);
  EXPECT_EQ(again.dump, after);
}

TEST(GraphImageTest, ImageIsNotTrustedAfterLaterWrites) {
  TempDir dir;
  BuildAndClose(dir);
  DatabaseOptions no_image;
  no_image.graph_image = false;  // neither read nor saved by this session
  std::string expected;
  {
    Opened o = Reopen(dir, no_image);
    EXPECT_FALSE(o.from_image);
    WriteBatch b(o.db->schema());
    b.SetEdgeValidTo(0, Date{200});  // same vertex and edge counts
    ASSERT_TRUE(o.db->Write(b).ok());
    expected = Dump(*o.db->GetSnapshot());
  }
  Opened stale = Reopen(dir);
  EXPECT_FALSE(stale.from_image);
  EXPECT_EQ(stale.dump, expected);
  EXPECT_EQ(stale.db->GetSnapshot()->edge(0).valid_to, Date{200});
  stale.db.reset();  // saves a current image
  Opened fresh = Reopen(dir);
  EXPECT_TRUE(fresh.from_image);
  EXPECT_EQ(fresh.dump, expected);
}

TEST(GraphImageTest, ImageIsNotTrustedAfterASourceRegistration) {
  TempDir dir;
  BuildAndClose(dir);
  DatabaseOptions no_image;
  no_image.graph_image = false;
  {
    Opened o = Reopen(dir, no_image);
    ASSERT_TRUE(o.db->RegisterSource("courts", "c.csv").ok());
  }
  Opened o = Reopen(dir);
  EXPECT_FALSE(o.from_image);
  EXPECT_EQ(o.db->GetSnapshot()->source(2).department, "courts");
}

void FlipByte(const std::string& path, double where) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(0, std::ios::end);
  const auto size = static_cast<std::streamoff>(f.tellg());
  const std::streamoff at = static_cast<std::streamoff>(size * where);
  f.seekg(at);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5A);
  f.seekp(at);
  f.write(&c, 1);
}

TEST(GraphImageTest, CorruptOrTruncatedImageFallsBackToTheScan) {
  for (double where : {0.02, 0.3, 0.6, 0.95}) {
    TempDir dir;
    const std::string before = BuildAndClose(dir);
    FlipByte(ImageFile(dir), where);
    Opened o = Reopen(dir);
    EXPECT_FALSE(o.from_image) << "byte at " << where;
    EXPECT_EQ(o.dump, before);
  }
  TempDir dir;
  const std::string before = BuildAndClose(dir);
  std::filesystem::resize_file(ImageFile(dir), std::filesystem::file_size(ImageFile(dir)) / 2);
  Opened o = Reopen(dir);
  EXPECT_FALSE(o.from_image);
  EXPECT_EQ(o.dump, before);
}

TEST(GraphImageTest, ImageOfAnotherDatabaseIsRejected) {
  // Two databases written identically reach the same sequence number and
  // counters; the image of one must still not be used for the other.
  TempDir a, b;
  BuildAndClose(a);
  std::string b_dump;
  {
    auto db = CreateTestDb(b.path());
    ASSERT_TRUE(db->Write(People(*db, 20, 0)).ok());
    ASSERT_TRUE(db->BulkWrite(People(*db, 30, 1)).ok());
    WriteBatch more(db->schema());
    more.SetEdgeValidTo(3, Date{600});  // differs from a
    more.SetProperty(VertexRef::Existing(2), 0, std::string("renamed"), SourceRef{0, 9, 0});
    more.AddKey(VertexRef::Existing(4), 0, "EXTRA");
    ASSERT_TRUE(db->Write(more).ok());
    ASSERT_TRUE(db->RegisterSource("housing", "h.csv").ok());
    b_dump = Dump(*db->GetSnapshot());
  }
  std::filesystem::copy_file(ImageFile(a), ImageFile(b),
                             std::filesystem::copy_options::overwrite_existing);
  Opened o = Reopen(b);
  EXPECT_FALSE(o.from_image);
  EXPECT_EQ(o.dump, b_dump);
  EXPECT_EQ(o.db->GetSnapshot()->edge(3).valid_to, Date{600});
}

TEST(GraphImageTest, ReadOnlyOpenUsesButNeverWritesTheImage) {
  TempDir dir;
  const std::string before = BuildAndClose(dir);
  DatabaseOptions read_only;
  read_only.read_only = true;
  {
    Opened o = Reopen(dir, read_only);
    EXPECT_TRUE(o.from_image);
    EXPECT_EQ(o.dump, before);
  }
  std::filesystem::remove(ImageFile(dir));
  {
    Opened o = Reopen(dir, read_only);
    EXPECT_FALSE(o.from_image);
    EXPECT_EQ(o.dump, before);
  }
  EXPECT_FALSE(std::filesystem::exists(ImageFile(dir)));
}

// Aux records alone (audit entries, entity-resolution explanations) do not
// change the graph: they neither make the image stale nor get it rewritten.

// What tells a rewritten image file from the same one: it is written to a
// new file renamed over the old, so its inode changes (the old file still
// exists when the new one is created, so the number cannot be reused).
struct FileId {
  ino_t inode = 0;
  int64_t mtime_ns = 0;
  off_t size = 0;
  bool operator==(const FileId&) const = default;
};

FileId IdOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return FileId{st.st_ino, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec,
                st.st_size};
}

// Writes `count` aux-only batches of namespace `ns`; returns the last batch id.
BatchId WriteAux(Database& db, const std::string& ns, int count, bool bulk = false) {
  BatchId last = 0;
  for (int i = 0; i < count; ++i) {
    WriteBatch b(db.schema());
    b.PutAux(ns, Cat({"entry ", std::to_string(i)}), Cat({"value ", std::to_string(i)}));
    auto r = bulk ? db.BulkWrite(b) : db.Write(b);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) last = r->batch;
  }
  return last;
}

// The graph as the scan of RocksDB reads it (the image is not read).
std::string Scanned(const TempDir& dir) {
  DatabaseOptions scan;
  scan.read_only = true;
  scan.graph_image = false;
  Opened o = Reopen(dir, scan);
  EXPECT_FALSE(o.from_image);
  return o.dump;
}

TEST(GraphImageTest, AuxOnlyWritesNeitherRewriteNorStaleTheImage) {
  TempDir dir;
  BuildAndClose(dir);
  const std::string before = DumpGraph(*Reopen(dir).db->GetSnapshot());
  const FileId saved = IdOf(ImageFile(dir));
  BatchId last = 0;
  {
    Opened o = Reopen(dir);
    ASSERT_TRUE(o.from_image);
    WriteAux(*o.db, "audit", 5);
    last = WriteAux(*o.db, "er.match", 2, /*bulk=*/true);
    EXPECT_EQ(o.db->GetSnapshot()->last_batch(), last);
  }  // closing must not write the image again
  EXPECT_EQ(IdOf(ImageFile(dir)), saved);
  Opened o = Reopen(dir);
  EXPECT_TRUE(o.from_image);
  EXPECT_EQ(DumpGraph(*o.db->GetSnapshot()), before);
  // The batches the aux records took are read back from RocksDB, not the image.
  EXPECT_EQ(o.db->GetSnapshot()->last_batch(), last);
  EXPECT_EQ(*o.db->GetAux("audit", "entry 4"), "value 4");
  EXPECT_EQ(*o.db->GetAux("er.match", "entry 1"), "value 1");
  o.db.reset();  // (a read-only open beside a writer may miss compacted files)
  EXPECT_EQ(o.dump, Scanned(dir));
  // A session that opened by the scan (no image to reuse) still saves one.
  std::filesystem::remove(ImageFile(dir));
  {
    Opened scanned = Reopen(dir);
    EXPECT_FALSE(scanned.from_image);
    WriteAux(*scanned.db, "audit", 1);
  }
  ASSERT_TRUE(std::filesystem::exists(ImageFile(dir)));
  EXPECT_TRUE(Reopen(dir).from_image);
}

// A batch that changes a property, an edge's end and a key but neither
// counter, so only the graph generation can tell the image is stale.
WriteBatch SameCounts(const Database& db, const std::string& tag) {
  WriteBatch b(db.schema());
  b.SetProperty(VertexRef::Existing(0), 0, Cat({"renamed ", tag}), SourceRef{0, 11, 0});
  b.SetEdgeValidTo(1, Date{777});
  b.AddKey(VertexRef::Existing(6), 0, Cat({"KEY ", tag}));
  return b;
}

TEST(GraphImageTest, GraphWriteThenAuxWritesIsNeverServedStale) {
  for (const bool bulk : {false, true}) {
    for (const bool saves : {true, false}) {
      SCOPED_TRACE(Cat({bulk ? "BulkWrite" : "Write", saves ? ", image saved" : ", not saved"}));
      TempDir dir;
      BuildAndClose(dir);
      const FileId old_image = IdOf(ImageFile(dir));
      DatabaseOptions options;
      options.graph_image = saves;  // false: this session neither reads nor saves it
      std::string expected;
      {
        Opened o = Reopen(dir, options);
        WriteAux(*o.db, "audit", 2);
        const std::string before = DumpGraph(*o.db->GetSnapshot());
        WriteBatch b = SameCounts(*o.db, "x");
        auto r = bulk ? o.db->BulkWrite(b) : o.db->Write(b);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        WriteAux(*o.db, "audit", 3);
        expected = Dump(*o.db->GetSnapshot());
        ASSERT_NE(DumpGraph(*o.db->GetSnapshot()), before);
      }
      EXPECT_EQ(IdOf(ImageFile(dir)) == old_image, !saves);
      Opened o = Reopen(dir);
      EXPECT_EQ(o.from_image, saves);
      EXPECT_EQ(o.dump, expected);
      EXPECT_EQ(o.db->GetSnapshot()->property(0, 0), Value(std::string("renamed x")));
      EXPECT_EQ(o.db->GetSnapshot()->edge(1).valid_to, Date{777});
      EXPECT_EQ(*o.db->GetSnapshot()->FindByKey(0, "KEY x"), 6u);
      o.db.reset();
      EXPECT_EQ(o.dump, Scanned(dir));
    }
  }
}

}  // namespace
}  // namespace citygraph
