// Tests that need a second process: crash durability under SIGKILL and the
// single-writer lock. The child is core_test_helper (core_test_helper.cc).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

#include "crash_batch.h"
#include "test_util.h"

namespace citygraph {
namespace {

// A running child whose stdout is a pipe we read.
class Child {
 public:
  Child(const std::string& mode, const std::string& dir) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(CITYGRAPH_CORE_HELPER, CITYGRAPH_CORE_HELPER, mode.c_str(), dir.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Child() {
    if (fd_ >= 0) close(fd_);
  }
  void Kill() { kill(pid_, SIGKILL); }
  // Blocks until the child printed a first complete line (or ended).
  void WaitForLine() {
    char c;
    while (out_.find('\n') == std::string::npos && read(fd_, &c, 1) == 1) out_.push_back(c);
  }
  // Waits for the child to end; returns everything it printed.
  std::string Finish() {
    std::string out = std::move(out_);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd_, buf, sizeof buf)) > 0) out.append(buf, n);
    int status = 0;
    waitpid(pid_, &status, 0);
    return out;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
};

// Numbers on complete lines of `out`.
std::vector<uint32_t> AckedBatches(const std::string& out) {
  std::vector<uint32_t> acked;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    acked.push_back(static_cast<uint32_t>(std::stoul(out.substr(start, nl - start))));
  }
  return acked;
}

// Checks that batches 0..n/3-1 are complete and nothing of later ones exists.
void ExpectWholeBatches(Database& db, uint32_t* whole) {
  auto s = db.GetSnapshot();
  ASSERT_EQ(s->num_vertices() % testing::kCrashBatchVertices, 0u);
  *whole = testing::NextCrashBatch(*s);
  ASSERT_EQ(s->num_edges(), size_t{*whole} * testing::kCrashBatchEdges);
  for (uint32_t k = 0; k < *whole; ++k) {
    for (int j = 0; j < testing::kCrashBatchVertices; ++j) {
      auto v = s->FindByKey(0, testing::CrashKey(k, j));
      ASSERT_TRUE(v.ok()) << "batch " << k << " lost key " << j;
      ASSERT_EQ(*v, k * testing::kCrashBatchVertices + j);
      ASSERT_EQ(s->property(*v, 0), Value("batch " + std::to_string(k)));
    }
    for (int j = 0; j < testing::kCrashBatchEdges; ++j) {
      const EdgeRecord& e = s->edge(k * testing::kCrashBatchEdges + j);
      ASSERT_EQ(e.source.record, k);
      ASSERT_EQ(e.src, k * testing::kCrashBatchVertices + j);
      ASSERT_EQ(s->edge_properties(k * testing::kCrashBatchEdges + j).size(), 1u);
    }
    ASSERT_TRUE(db.GetAux("crash", std::to_string(k)).ok()) << "batch " << k;
  }
  EXPECT_FALSE(s->FindByKey(0, testing::CrashKey(*whole, 0)).ok());
  EXPECT_FALSE(db.GetAux("crash", std::to_string(*whole)).ok());
}

TEST(ProcessTest, AcknowledgedBatchesSurviveSigkill) {
  testing::TempDir dir;
  testing::CreateTestDb(dir.path()).reset();
  std::mt19937 rng(20240501);
  constexpr int kTrials = 24;
  size_t total_acked = 0;
  int trials_with_progress = 0;
  uint32_t whole = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    Child child("write", dir.path());
    // Most trials kill while batches are being written (after the first
    // acknowledgement, however slow the machine); every fourth one at any
    // moment, possibly while the child is still opening or recovering.
    if (trial % 4 != 3) child.WaitForLine();
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 150));
    child.Kill();
    const std::vector<uint32_t> acked = AckedBatches(child.Finish());
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok()) << "trial " << trial << ": " << db.status().ToString();
    const uint32_t before = whole;
    // The parent's previous close saved a graph image; once the child has
    // written anything, that image is stale and must not be used.
    if (!acked.empty()) {
      EXPECT_FALSE((*db)->Stats().opened_from_image) << "trial " << trial;
    }
    ExpectWholeBatches(**db, &whole);
    for (uint32_t k : acked) ASSERT_LT(k, whole) << "acknowledged batch " << k << " lost";
    // At most the one batch in flight may be durable without its acknowledgement.
    if (!acked.empty()) {
      EXPECT_LE(whole, acked.back() + 2);
    }
    EXPECT_GE(whole, before);
    total_acked += acked.size();
    if (!acked.empty()) ++trials_with_progress;
  }
  std::fprintf(stderr, "%d trials, %d with acknowledged batches, %zu acknowledged, %u whole\n",
               kTrials, trials_with_progress, total_acked, whole);
  EXPECT_GE(trials_with_progress, kTrials / 2);
  EXPECT_GT(total_acked, size_t{kTrials});
}

// A writer killed after aux-only writes leaves the saved image current; one
// killed after a graph write (that keeps the vertex and edge counts) leaves
// it stale, and the reopened database shows the write.
TEST(ProcessTest, ImageAfterAKilledWriterShowsItsGraphWritesOnly) {
  testing::TempDir dir;
  std::string saved;
  {
    auto db = testing::CreateTestDb(dir.path());
    ASSERT_TRUE(db->Write(testing::CrashBatch(*db, 0)).ok());
    saved = testing::DumpGraph(*db->GetSnapshot());
  }  // saves the image
  {
    Child child("aux", dir.path());
    child.WaitForLine();
    child.Kill();
    EXPECT_EQ(child.Finish(), "written\n");
  }
  {
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_TRUE((*db)->Stats().opened_from_image);
    EXPECT_EQ(testing::DumpGraph(*(*db)->GetSnapshot()), saved);
    EXPECT_EQ(*(*db)->GetAux("crash-aux", "1"), "written");
  }
  {
    Child child("update", dir.path());
    child.WaitForLine();
    child.Kill();
    EXPECT_EQ(child.Finish(), "written\n");
  }
  DatabaseOptions scan;
  scan.read_only = true;
  scan.graph_image = false;
  std::string expected;
  {
    auto scanned = Database::Open(dir.path(), scan);
    ASSERT_TRUE(scanned.ok()) << scanned.status().ToString();
    expected = testing::Dump(*(*scanned)->GetSnapshot());
  }
  auto db = Database::Open(dir.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_FALSE((*db)->Stats().opened_from_image);
  auto s = (*db)->GetSnapshot();
  EXPECT_EQ(s->property(0, 0), Value(std::string(testing::kCrashUpdate)));
  EXPECT_EQ(s->num_vertices(), size_t{testing::kCrashBatchVertices});
  EXPECT_EQ(testing::Dump(*s), expected);
  EXPECT_EQ(*(*db)->GetAux("crash-aux", "1"), "written");
}

TEST(ProcessTest, SecondWriterGetsFailedPrecondition) {
  testing::TempDir dir;
  auto db = testing::CreateTestDb(dir.path());
  ASSERT_TRUE(db->Write(testing::CrashBatch(*db, 0)).ok());
  Child writer("lock", dir.path());
  EXPECT_EQ(writer.Finish(), "FailedPrecondition\n");
  auto second = Database::Open(dir.path());  // in-process second writer
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(dir.path()), std::string::npos);
  Child reader("read", dir.path());  // read-only opens take no lock
  EXPECT_EQ(reader.Finish(), "3\n");
  db.reset();
  Child after("lock", dir.path());
  EXPECT_EQ(after.Finish(), "OK\n");
}

}  // namespace
}  // namespace citygraph
