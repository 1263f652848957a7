// The batches of the crash-durability test, shared by the test and its
// child process. Batch k adds three persons with keys "k.0", "k.1", "k.2",
// a name on each (record k) and KNOWS edges 0->1, 1->2 (record k), plus an
// aux record "crash/k". A partially applied batch is therefore detectable.
#ifndef CITYGRAPH_TESTS_CORE_CRASH_BATCH_H_
#define CITYGRAPH_TESTS_CORE_CRASH_BATCH_H_

#include <string>

#include "citygraph/graph.h"

namespace citygraph::testing {

inline constexpr int kCrashBatchVertices = 3;
inline constexpr int kCrashBatchEdges = 2;

inline std::string CrashKey(uint32_t k, int j) {
  return std::to_string(k) + "." + std::to_string(j);
}

inline WriteBatch CrashBatch(const Database& db, uint32_t k) {
  WriteBatch b(db.schema());
  for (int j = 0; j < kCrashBatchVertices; ++j) {
    VertexRef v = b.AddVertex(0);
    b.AddKey(v, 0, CrashKey(k, j));
    b.SetProperty(v, 0, "batch " + std::to_string(k), SourceRef{0, k, 0});
    if (j > 0) {
      b.AddEdge(EdgeSpec{1,
                         VertexRef::New(j - 1),
                         v,
                         Date{0},
                         Date::Max(),
                         SourceRef{0, k, 0},
                         {{1, std::string(200, 'x')}}});
    }
  }
  b.PutAux("crash", std::to_string(k), "done");
  return b;
}

// The name core_test_helper's "update" mode gives vertex 0.
inline constexpr const char* kCrashUpdate = "renamed before the crash";

// The number of the next batch: batches are whole, so vertices / 3.
inline uint32_t NextCrashBatch(const Snapshot& s) {
  return static_cast<uint32_t>(s.num_vertices() / kCrashBatchVertices);
}

}  // namespace citygraph::testing

#endif  // CITYGRAPH_TESTS_CORE_CRASH_BATCH_H_
