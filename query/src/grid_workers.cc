// Grid workers by grid cell on a date, with a small cache across batches.
#include "grid_workers.h"

#include <algorithm>
#include <mutex>

namespace citygraph::query::internal {

WorkerIndex::WorkerIndex(const Snapshot& snap, LabelId worker, LabelId grid, EdgeTypeId assigned_to,
                         Date d) {
  for (VertexId w : snap.vertices_with_label(worker)) {
    for (const AdjEntry& a : snap.out_edges(w)) {
      if (snap.label(a.nbr) != grid) continue;  // reports: skipped without a record read
      const EdgeRecord& rec = snap.edge(a.edge);
      if (rec.type != assigned_to || !ValidOn(rec.valid_from, rec.valid_to, d)) continue;
      std::vector<VertexId>& ids = by_grid_[a.nbr];
      if (ids.empty() || ids.back() != w) ids.push_back(w);  // workers come ascending
    }
  }
}

std::span<const VertexId> WorkerIndex::Of(VertexId grid) const {
  auto it = by_grid_.find(grid);
  if (it == by_grid_.end()) return {};
  return it->second;
}

namespace {

struct Entry {
  std::weak_ptr<const Snapshot> snapshot;
  Date date;
  std::shared_ptr<const WorkerIndex> index;
};

bool SameOwner(const std::weak_ptr<const Snapshot>& a, const std::shared_ptr<const Snapshot>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace

std::shared_ptr<const WorkerIndex> WorkersByGrid(const QueryContext& ctx, LabelId worker,
                                                 LabelId grid, EdgeTypeId assigned_to, Date d) {
  constexpr size_t kKept = 4;
  static std::mutex mu;
  static std::vector<Entry> cache;  // most recently used last
  {
    std::lock_guard<std::mutex> lock(mu);
    std::erase_if(cache, [](const Entry& e) { return e.snapshot.expired(); });
    for (size_t i = 0; i < cache.size(); ++i) {
      if (cache[i].date != d || !SameOwner(cache[i].snapshot, ctx.snapshot)) continue;
      std::rotate(cache.begin() + i, cache.begin() + i + 1, cache.end());
      return cache.back().index;
    }
  }
  // Built outside the lock: two batches may build the same index at once,
  // which costs time but not correctness.
  auto index = std::make_shared<const WorkerIndex>(ctx.snap(), worker, grid, assigned_to, d);
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= kKept) cache.erase(cache.begin());
  cache.push_back(Entry{ctx.snapshot, d, index});
  return index;
}

}  // namespace citygraph::query::internal
