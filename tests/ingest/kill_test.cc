// SIGKILL during an incremental ingest loses no acknowledged batch and
// leaves no partial one: a child process ingests a grid-report file in
// batches of kBatch rows and is killed at a random moment; after reopening,
// every batch is either wholly present or wholly absent, and every batch it
// acknowledged is present.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "test_util.h"

extern char** environ;

namespace citygraph::ingest {
namespace {

using testing::TempDir;

constexpr int kRows = 2000;
constexpr int kBatch = 40;

std::string ReportNo(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "R20240101%06d", i);
  return buf;
}

TEST(KillTest, AcknowledgedBatchesSurviveAndNoneIsPartial) {
  TempDir dir;
  std::string csv = "上报编号,上报日期,网格编码,描述\n";
  for (int i = 0; i < kRows; ++i) {
    csv += ReportNo(i) + ",2024-01-01,420106003002" + std::to_string(100 + i % 7) + ",走访记录" +
           std::to_string(i) + "\n";
  }
  testing::WriteFile(dir / "reports.csv", csv);
  testing::WriteFile(dir / "reports.yaml", R"(department: 网格员日报
file: reports.csv
format: csv
columns:
  上报编号: {required: true}
  上报日期: [date]
  网格编码: [collapse]
  描述: [collapse]
vertices:
  - {as: report, label: Report, key: {kind: report_no, column: 上报编号},
     properties: {report_date: 上报日期, note: 描述}}
  - {as: grid, label: Grid, key: {kind: grid_code, column: 网格编码}}
edges:
  - {type: LOCATED_IN, from: report, to: grid, valid_from: 上报日期}
subject: report
)");
  std::mt19937 rng(20240101);
  int killed_midway = 0;
  for (int trial = 0; trial < 10; ++trial) {
    std::string db_dir = dir / ("db" + std::to_string(trial));
    testing::NewDb(db_dir).reset();
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::string helper = INGEST_KILL_HELPER;
    std::string mapping = dir / "reports.yaml";
    std::string batch = std::to_string(kBatch);
    char* args[] = {helper.data(), db_dir.data(), mapping.data(), batch.data(), nullptr};
    pid_t pid;
    ASSERT_EQ(posix_spawn(&pid, helper.c_str(), &actions, nullptr, args, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);

    // Read acknowledgements until a random number has arrived, then kill at
    // a random moment shortly after.
    int kill_after = std::uniform_int_distribution<int>(1, kRows / kBatch - 2)(rng);
    std::vector<std::pair<int, int>> acked;
    FILE* in = fdopen(out[0], "r");
    char line[256];
    bool done = false;
    while (static_cast<int>(acked.size()) < kill_after && std::fgets(line, sizeof(line), in)) {
      int a = 0, b = 0;
      if (std::sscanf(line, "ACK %d %d", &a, &b) == 2) acked.emplace_back(a, b);
      if (std::string(line).rfind("DONE", 0) == 0) done = true;
    }
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20000)(rng)));
    kill(pid, SIGKILL);
    // Acks printed before the kill were durable too.
    while (std::fgets(line, sizeof(line), in)) {
      int a = 0, b = 0;
      if (std::sscanf(line, "ACK %d %d", &a, &b) == 2) acked.emplace_back(a, b);
      if (std::string(line).rfind("DONE", 0) == 0) done = true;
    }
    fclose(in);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_FALSE(acked.empty()) << "trial " << trial;

    auto db = Database::Open(db_dir);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto snap = (*db)->GetSnapshot();
    KeyKindId kind = *snap->schema().FindKeyKind("report_no");
    // Batches are rows [g*kBatch, (g+1)*kBatch) = lines [2+g*kBatch, 1+(g+1)*kBatch].
    int present_batches = 0;
    for (int g = 0; g < kRows / kBatch; ++g) {
      int present = 0;
      for (int i = g * kBatch; i < (g + 1) * kBatch; ++i)
        present += snap->FindByKey(kind, ReportNo(i)).ok();
      EXPECT_TRUE(present == 0 || present == kBatch)
          << "trial " << trial << ": batch " << g << " is partial (" << present << " rows)";
      present_batches += present == kBatch;
      if (present == kBatch) {
        // Its edges came with it.
        VertexId v = *snap->FindByKey(kind, ReportNo(g * kBatch));
        EXPECT_EQ(snap->out_edges(v).size(), 1u);
      }
    }
    for (const auto& [first, last] : acked) {
      EXPECT_EQ(last - first + 1, kBatch);
      int g = (first - 2) / kBatch;
      EXPECT_TRUE(snap->FindByKey(kind, ReportNo(g * kBatch)).ok())
          << "trial " << trial << ": acknowledged batch " << g << " lost";
    }
    EXPECT_GE(present_batches, static_cast<int>(acked.size()));
    // Batches commit in order: the present ones are a prefix.
    for (int g = 0; g < present_batches; ++g) {
      EXPECT_TRUE(snap->FindByKey(kind, ReportNo(g * kBatch)).ok()) << "trial " << trial;
    }
    killed_midway += !done && present_batches < kRows / kBatch;
  }
  EXPECT_GE(killed_midway, 5) << "the child finished before being killed too often";
}

}  // namespace
}  // namespace citygraph::ingest
