// Snapshot isolation: while a writer thread commits batches (and the delta
// is rebuilt under it), readers only ever see whole batches, and what they
// see never goes backwards.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crash_batch.h"
#include "test_util.h"

namespace citygraph {
namespace {

// Fails unless `s` shows exactly batches 0..k-1, each complete.
void CheckWhole(const Snapshot& s) {
  ASSERT_EQ(s.num_vertices() % testing::kCrashBatchVertices, 0u);
  const uint32_t k = testing::NextCrashBatch(s);
  ASSERT_EQ(s.num_edges(), size_t{k} * testing::kCrashBatchEdges);
  ASSERT_EQ(s.last_batch(), k);  // RegisterSource is no batch; batch ids start at 1
  if (k == 0) return;
  const uint32_t last = k - 1;
  for (int j = 0; j < testing::kCrashBatchVertices; ++j) {
    auto v = s.FindByKey(0, testing::CrashKey(last, j));
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(s.property(*v, 0), Value("batch " + std::to_string(last)));
  }
  ASSERT_FALSE(s.FindByKey(0, testing::CrashKey(k, 0)).ok());
  const VertexId first = last * testing::kCrashBatchVertices;
  ASSERT_EQ(s.out_edges(first).size(), 1u);
  ASSERT_EQ(s.in_edges(first + 2).size(), 1u);
  size_t degree_sum = 0;
  for (VertexId v = 0; v < s.num_vertices(); ++v) degree_sum += s.out_edges(v).size();
  ASSERT_EQ(degree_sum, s.num_edges());
}

TEST(SnapshotTest, ReadersSeeOnlyWholeBatchesWhileWriterRuns) {
  testing::TempDir dir;
  DatabaseOptions options;
  options.sync = false;
  options.delta_rebuild_edges = 40;  // rebuilds happen while readers read
  auto db = testing::CreateTestDb(dir.path(), options);
  ASSERT_TRUE(db->Write(testing::CrashBatch(*db, 0)).ok());
  constexpr uint32_t kBatches = 300;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (uint32_t k = 1; k < kBatches; ++k) {
      auto r = db->Write(testing::CrashBatch(*db, k));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
    done = true;
  });
  std::vector<std::thread> readers;
  std::atomic<size_t> observations{0};
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      size_t last_vertices = 0;
      BatchId last_batch = 0;
      while (!done.load()) {
        auto s = db->GetSnapshot();
        CheckWhole(*s);
        ASSERT_GE(s->num_vertices(), last_vertices);
        ASSERT_GE(s->last_batch(), last_batch);
        last_vertices = s->num_vertices();
        last_batch = s->last_batch();
        ++observations;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_GT(observations.load(), 0u);
  CheckWhole(*db->GetSnapshot());
  EXPECT_EQ(db->GetSnapshot()->num_vertices(), size_t{kBatches} * 3);
}

TEST(SnapshotTest, OldSnapshotIsUnchangedByLaterWrites) {
  testing::TempDir dir;
  auto db = testing::CreateTestDb(dir.path());
  ASSERT_TRUE(db->Write(testing::CrashBatch(*db, 0)).ok());
  auto old = db->GetSnapshot();
  const std::string before = testing::Dump(*old);
  for (uint32_t k = 1; k < 5; ++k) ASSERT_TRUE(db->Write(testing::CrashBatch(*db, k)).ok());
  WriteBatch b(db->schema());
  b.SetProperty(VertexRef::Existing(0), 0, std::string("changed"), SourceRef{0, 0, 0});
  b.SetEdgeValidTo(0, Date{5});
  b.AddEdge(EdgeSpec{1,
                     VertexRef::Existing(0),
                     VertexRef::Existing(2),
                     Date{0},
                     Date::Max(),
                     SourceRef{0, 0, 0},
                     {}});
  ASSERT_TRUE(db->Write(b).ok());
  ASSERT_TRUE(db->Rebuild().ok());
  EXPECT_EQ(testing::Dump(*old), before);
  auto now = db->GetSnapshot();
  EXPECT_EQ(now->property(0, 0), Value(std::string("changed")));
  EXPECT_EQ(now->edge(0).valid_to, Date{5});
  EXPECT_EQ(old->edge(0).valid_to, Date::Max());
}

}  // namespace
}  // namespace citygraph
