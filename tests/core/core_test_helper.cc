// A child process for the graph-core tests.
//   core_test_helper write DIR   writes crash-test batches forever, printing
//                                the number of each acknowledged batch
//   core_test_helper lock DIR    tries to open DIR for writing, prints the
//                                status code name ("OK", "FailedPrecondition")
//   core_test_helper read DIR    opens DIR read-only, prints its vertex count
//   core_test_helper aux DIR     writes aux-only batches, prints "written",
//                                then waits to be killed (never closes DIR)
//   core_test_helper update DIR  the same around a batch that renames vertex 0
//                                (property 0, source 0: kCrashUpdate)
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "citygraph/graph.h"
#include "crash_batch.h"

using namespace citygraph;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: core_test_helper write|lock|read|aux|update DIR\n");
    return 2;
  }
  const std::string mode = argv[1], dir = argv[2];
  if (mode == "lock") {
    auto db = Database::Open(dir);
    std::printf("%s\n", std::string(StatusCodeName(db.status().code())).c_str());
    return 0;
  }
  if (mode == "read") {
    DatabaseOptions options;
    options.read_only = true;
    auto db = Database::Open(dir, options);
    if (!db.ok()) {
      std::printf("%s\n", db.status().ToString().c_str());
      return 1;
    }
    std::printf("%zu\n", (*db)->GetSnapshot()->num_vertices());
    return 0;
  }
  if (mode == "aux" || mode == "update") {
    auto db = Database::Open(dir);
    if (!db.ok()) {
      std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
      return 1;
    }
    auto aux = [&](int i) {
      WriteBatch b((*db)->schema());
      b.PutAux("crash-aux", std::to_string(i), "written");
      return (*db)->Write(b).ok();
    };
    if (!aux(0)) return 1;
    if (mode == "update") {
      WriteBatch b((*db)->schema());
      b.SetProperty(VertexRef::Existing(0), 0, std::string(testing::kCrashUpdate),
                    SourceRef{0, 99, 0});
      if (!(*db)->Write(b).ok()) return 1;
    }
    if (!aux(1)) return 1;
    std::printf("written\n");
    std::fflush(stdout);
    for (;;) pause();
  }
  if (mode != "write") return 2;
  auto db = Database::Open(dir);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  for (uint32_t k = testing::NextCrashBatch(*(*db)->GetSnapshot());; ++k) {
    WriteBatch b = testing::CrashBatch(**db, k);
    auto r = k % 5 == 4 ? (*db)->BulkWrite(b) : (*db)->Write(b);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    std::printf("%u\n", k);
    std::fflush(stdout);
  }
}
