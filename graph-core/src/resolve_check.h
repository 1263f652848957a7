// Internal: the validation loops of Resolve, run in parallel on large
// batches with the error a serial loop would report.
#ifndef CITYGRAPH_SRC_RESOLVE_CHECK_H_
#define CITYGRAPH_SRC_RESOLVE_CHECK_H_

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <mutex>

#include "citygraph/status.h"

namespace citygraph::internal {

// Below this many operations a batch is checked on the calling thread.
inline constexpr size_t kParallelCheckMin = size_t{1} << 16;

// Runs `check(i)` (returning Status) for every i in [0, n), in parallel when
// n >= kParallelCheckMin. `check` must be safe to call concurrently for
// different i. Returns OK, or the error of the lowest failing i, and stores
// that i in `*first_bad` (n when none failed). A serial loop stops at its
// first error; here later indexes may have run as well.
template <typename Check>
Status CheckAll(size_t n, const Check& check, size_t* first_bad) {
  *first_bad = n;
  if (n < kParallelCheckMin) {
    for (size_t i = 0; i < n; ++i) {
      Status st = check(i);
      if (!st.ok()) {
        *first_bad = i;
        return st;
      }
    }
    return Status::OK();
  }
  std::mutex mu;
  Status bad;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, size_t{1} << 14), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      Status st = check(i);
      if (st.ok()) continue;
      std::lock_guard<std::mutex> lock(mu);
      if (i < *first_bad) {
        *first_bad = i;
        bad = std::move(st);
      }
      return;
    }
  });
  return bad;
}

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_RESOLVE_CHECK_H_
