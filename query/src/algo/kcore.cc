// k-core decomposition. Kernel: parallel level-synchronous peeling (as in
// Dhulipala, Blelloch & Shun, "Julienne", SPAA 2017, without its bucket
// structure): for k = the smallest remaining degree, repeatedly remove
// every node of degree <= k, decrementing neighbours' degrees atomically;
// a neighbour whose degree drops to exactly k joins the next sub-round.
// Verifier: Batagelj & Zaversnik, "An O(m) Algorithm for Cores
// Decomposition of Networks", 2003 (bucket sort by degree).
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {

std::vector<uint32_t> CoreNumbers(const CsrGraph& g) {
  constexpr uint32_t kAlive = std::numeric_limits<uint32_t>::max();
  const size_t n = g.num_nodes();
  std::vector<int64_t> deg(n);
  std::vector<uint32_t> core(n, kAlive);
  tbb::parallel_for(size_t{0}, n, [&](size_t u) {
    deg[u] = static_cast<int64_t>(g.out_degree(static_cast<Node>(u)));
  });
  internal::Frontier cur(n), next(n);
  size_t removed = 0;
  while (removed < n) {
    const int64_t k = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, n, 4096), std::numeric_limits<int64_t>::max(),
        [&](const auto& r, int64_t m) {
          for (size_t u = r.begin(); u != r.end(); ++u) {
            if (core[u] == kAlive) m = std::min(m, deg[u]);
          }
          return m;
        },
        [](int64_t a, int64_t b) { return std::min(a, b); });
    cur.Reset();
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 4096), [&](const auto& r) {
      internal::Frontier::LocalBuffer out(&cur);
      for (size_t u = r.begin(); u != r.end(); ++u) {
        if (core[u] == kAlive && deg[u] <= k) out.Push(static_cast<Node>(u));
      }
    });
    while (!cur.empty()) {
      const size_t size = cur.size();
      tbb::parallel_for(size_t{0}, size,
                        [&](size_t i) { core[cur[i]] = static_cast<uint32_t>(k); });
      removed += size;
      next.Reset();
      tbb::parallel_for(tbb::blocked_range<size_t>(0, size, 64), [&](const auto& r) {
        internal::Frontier::LocalBuffer out(&next);
        for (size_t i = r.begin(); i != r.end(); ++i) {
          for (Node v : g.out_neighbors(cur[i])) {
            if (std::atomic_ref<uint32_t>(core[v]).load(std::memory_order_relaxed) != kAlive) {
              continue;
            }
            int64_t old = std::atomic_ref<int64_t>(deg[v]).fetch_sub(1, std::memory_order_relaxed);
            if (old == k + 1) out.Push(v);
          }
        }
      });
      cur.Swap(next);
    }
  }
  return core;
}

std::vector<uint32_t> CoreNumbersSerial(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  std::vector<uint32_t> deg(n), pos(n), vert(n);
  uint32_t max_deg = 0;
  for (Node u = 0; u < n; ++u) {
    deg[u] = static_cast<uint32_t>(g.out_degree(u));
    max_deg = std::max(max_deg, deg[u]);
  }
  std::vector<uint32_t> bin(max_deg + 2, 0);
  for (Node u = 0; u < n; ++u) ++bin[deg[u]];
  uint32_t start = 0;
  for (uint32_t d = 0; d <= max_deg; ++d) {
    uint32_t count = bin[d];
    bin[d] = start;
    start += count;
  }
  for (Node u = 0; u < n; ++u) {
    pos[u] = bin[deg[u]]++;
    vert[pos[u]] = u;
  }
  for (uint32_t d = max_deg; d >= 1; --d) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    Node v = vert[i];
    for (Node u : g.out_neighbors(v)) {
      if (deg[u] > deg[v]) {
        uint32_t du = deg[u], pu = pos[u], pw = bin[du];
        Node w = vert[pw];
        if (u != w) {
          pos[u] = pw;
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
        }
        ++bin[du];
        --deg[u];
      }
    }
  }
  return deg;
}

}  // namespace citygraph::algo
