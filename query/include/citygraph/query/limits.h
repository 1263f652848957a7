// Guardrails for every CityGraph query: a deadline, caps on rows, on the
// edges expanded per vertex and on the vertices a traversal may hold, and a
// cancellation flag. A query that hits a limit stops, returns what it has and
// says so in its Truncation (never an error, never a hang).
//
// Thread-safety: Limits and Truncation are plain values. The cancellation flag
// is read with relaxed atomics and may be set from any thread.
#ifndef CITYGRAPH_QUERY_LIMITS_H_
#define CITYGRAPH_QUERY_LIMITS_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace citygraph::query {

enum class TruncationReason {
  kNone = 0,
  kDeadline,       // Limits::timeout / deadline passed
  kMaxRows,        // Limits::max_rows rows were produced
  kMaxExpansions,  // a vertex had more than max_expansions_per_vertex edges
  kMaxVisited,     // a traversal reached max_visited vertices (memory bound)
  kCancelled,      // *Limits::cancel became true
};

// "none", "deadline", "max_rows", "max_expansions_per_vertex", "max_visited",
// "cancelled".
std::string_view TruncationReasonName(TruncationReason reason);

struct Limits {
  // The query stops at the earlier of (start + timeout) and `deadline`.
  // A zero timeout means no relative timeout.
  std::chrono::milliseconds timeout{10'000};
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Maximum number of result rows (neighbours, paths, households, ...).
  size_t max_rows = 10'000;
  // Maximum number of adjacency entries examined per vertex; a hub (a
  // collective household address, a grid cell) is cut there, flagged
  // kMaxExpansions, and the query goes on with the part it saw.
  size_t max_expansions_per_vertex = 10'000;
  // Maximum number of vertices (or partial paths) a traversal keeps in memory.
  size_t max_visited = 2'000'000;
  // When non-null and set to true, the query stops as soon as it notices
  // (at the latest after a few thousand edge visits). Not owned.
  const std::atomic<bool>* cancel = nullptr;

  // Limits with no practical cap except memory: used by batch jobs.
  static Limits Unlimited();
};

// Carried by every query result. The first limit hit wins: later ones do not
// overwrite `reason`.
struct Truncation {
  bool truncated = false;
  TruncationReason reason = TruncationReason::kNone;
  std::string detail;  // e.g. "vertex 17 (Grid) has 40213 edges, examined 10000"

  // Records `reason` unless an earlier one was recorded.
  void Set(TruncationReason r, std::string why);
  // Merges another result's truncation (e.g. from a worker thread).
  void Merge(const Truncation& other);
};

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_LIMITS_H_
