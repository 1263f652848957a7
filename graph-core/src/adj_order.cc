#include "adj_order.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "citygraph/huge_pages.h"

namespace citygraph::internal {
namespace {

AdjKey KeyOf(const EdgeRecord& e, uint32_t index) {
  const uint32_t from = static_cast<uint32_t>(e.valid_from.days) ^ 0x80000000u;
  return AdjKey{uint64_t{e.src} << 16 | e.type, uint64_t{e.dst} << 32 | from, e.source.source,
                index};
}

}  // namespace

std::vector<AdjKey> SortedOutKeys(std::span<const EdgeRecord> edges, size_t n) {
  const size_t m = edges.size();
  std::vector<AdjKey> keys;
  ReserveParallel(&keys, m);  // faulted in on all threads, then zeroed
  keys.resize(m);
  if (m < n / 8 || m < 4096) {
    for (size_t i = 0; i < m; ++i) keys[i] = KeyOf(edges[i], static_cast<uint32_t>(i));
    tbb::parallel_sort(keys.begin(), keys.end());
    return keys;
  }
  // Stable parallel counting sort by vertex: the edges are cut into chunks;
  // each chunk counts its vertices, a prefix sum over (vertex, chunk) gives
  // each chunk its own slots, and each chunk scatters its keys in order.
  const size_t chunks =
      std::clamp<size_t>(m / (1 << 16), 1, 2 * tbb::this_task_arena::max_concurrency());
  const size_t per = (m + chunks - 1) / chunks;
  auto vertex = [&](size_t i) { return edges[i].src; };
  std::vector<std::vector<uint32_t>> counts(chunks);
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    counts[c].assign(n, 0);
    const size_t end = std::min(m, (c + 1) * per);
    for (size_t i = c * per; i < end; ++i) ++counts[c][vertex(i)];
  });
  std::vector<uint32_t> off(n + 1, 0);
  uint32_t running = 0;
  for (size_t v = 0; v < n; ++v) {
    off[v] = running;
    for (size_t c = 0; c < chunks; ++c) {
      const uint32_t k = counts[c][v];
      counts[c][v] = running;
      running += k;
    }
  }
  off[n] = running;
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    const size_t end = std::min(m, (c + 1) * per);
    for (size_t i = c * per; i < end; ++i) {
      keys[counts[c][vertex(i)]++] = KeyOf(edges[i], static_cast<uint32_t>(i));
    }
  });
  counts.clear();
  // The rest of the key, within each vertex (degrees are small).
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (size_t v = r.begin(); v != r.end(); ++v) {
      if (off[v + 1] - off[v] > 1) std::sort(keys.begin() + off[v], keys.begin() + off[v + 1]);
    }
  });
  return keys;
}

}  // namespace citygraph::internal
