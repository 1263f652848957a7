// Limits, Truncation and the internal Guard.
#include "citygraph/query/limits.h"

#include "guard.h"

namespace citygraph::query {

std::string_view TruncationReasonName(TruncationReason reason) {
  switch (reason) {
    case TruncationReason::kNone:
      return "none";
    case TruncationReason::kDeadline:
      return "deadline";
    case TruncationReason::kMaxRows:
      return "max_rows";
    case TruncationReason::kMaxExpansions:
      return "max_expansions_per_vertex";
    case TruncationReason::kMaxVisited:
      return "max_visited";
    case TruncationReason::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

Limits Limits::Unlimited() {
  Limits l;
  l.timeout = std::chrono::milliseconds(0);
  l.max_rows = SIZE_MAX;
  l.max_expansions_per_vertex = SIZE_MAX;
  l.max_visited = SIZE_MAX;
  return l;
}

void Truncation::Set(TruncationReason r, std::string why) {
  if (truncated) return;
  truncated = true;
  reason = r;
  detail = std::move(why);
}

void Truncation::Merge(const Truncation& other) {
  if (other.truncated) Set(other.reason, other.detail);
}

namespace internal {

Clock::time_point DeadlineOf(const Limits& limits) {
  Clock::time_point d = Clock::time_point::max();
  if (limits.timeout.count() > 0) d = Clock::now() + limits.timeout;
  if (limits.deadline && *limits.deadline < d) d = *limits.deadline;
  return d;
}

bool Guard::Check(Truncation* t) {
  if (stopped_) return false;
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) {
    stopped_ = true;
    t->Set(TruncationReason::kCancelled, "cancelled by the caller");
    return false;
  }
  if (deadline_ != Clock::time_point::max() && Clock::now() >= deadline_) {
    stopped_ = true;
    t->Set(TruncationReason::kDeadline,
           "deadline passed after " + std::to_string(ticks_) + " steps");
    return false;
  }
  return true;
}

}  // namespace internal
}  // namespace citygraph::query
