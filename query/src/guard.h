// Internal: enforces Limits during a traversal. A Guard is created at the
// start of a query; Tick() is called once per unit of work (an edge examined,
// a path extended) and reports when the deadline passed or the caller
// cancelled, recording the reason in the query's Truncation.
//
// Thread-safety: one Guard per thread; parallel queries give each worker its
// own Guard built from the same deadline (Guard(limits, deadline)).
#ifndef CITYGRAPH_QUERY_SRC_GUARD_H_
#define CITYGRAPH_QUERY_SRC_GUARD_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "citygraph/query/limits.h"

namespace citygraph::query::internal {

using Clock = std::chrono::steady_clock;

// The absolute deadline of a query started now under `limits`
// (Clock::time_point::max() when none).
Clock::time_point DeadlineOf(const Limits& limits);

class Guard {
 public:
  explicit Guard(const Limits& limits) : Guard(limits, DeadlineOf(limits)) {}
  Guard(const Limits& limits, Clock::time_point deadline) : limits_(limits), deadline_(deadline) {}

  // Counts one unit of work. Returns false once the query must stop (deadline
  // or cancellation), after recording the reason in `t`. The clock is read
  // every 256 ticks, so a stop is noticed within microseconds.
  bool Tick(Truncation* t) {
    if (stopped_) return false;
    if ((++ticks_ & 0xFF) != 0) return true;
    return Check(t);
  }
  // Checks deadline and cancellation now.
  bool Check(Truncation* t);
  bool stopped() const { return stopped_; }
  const Limits& limits() const { return limits_; }
  Clock::time_point deadline() const { return deadline_; }

 private:
  const Limits& limits_;
  Clock::time_point deadline_;
  uint64_t ticks_ = 0;
  bool stopped_ = false;
};

}  // namespace citygraph::query::internal

#endif  // CITYGRAPH_QUERY_SRC_GUARD_H_
