// Parallel CSR construction: count degrees with atomic increments, prefix
// sum, scatter arcs with atomic cursors, then sort (and optionally squish)
// every adjacency list in parallel. The same scheme as GAP's builder.
#include "citygraph/algo/csr_graph.h"

#include <sys/mman.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <new>

namespace citygraph::algo {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kLargeBlock = size_t{1} << 20;

size_t RoundUp(size_t x, size_t to) { return (x + to - 1) / to * to; }

struct Side {
  internal::LargeVector<uint64_t> offsets;
  internal::LargeVector<Node> nbrs;
  internal::LargeVector<double> w;
};

// Arcs of one direction. `reverse` stores dst->src; `both` stores both
// directions of each edge (an undirected graph; a self loop is stored once).
Side BuildSide(size_t n, const std::vector<std::pair<Node, Node>>& edges,
               const std::vector<double>& weights, bool reverse, bool both,
               const BuildOptions& opt) {
  const bool weighted = !weights.empty();
  std::vector<uint64_t> deg(n + 1, 0);
  auto skip = [&](const std::pair<Node, Node>& e) {
    return opt.remove_self_loops && e.first == e.second;
  };
  tbb::parallel_for(tbb::blocked_range<size_t>(0, edges.size(), 1 << 14), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      const auto& e = edges[i];
      if (skip(e)) continue;
      Node u = reverse ? e.second : e.first;
      std::atomic_ref<uint64_t>(deg[u]).fetch_add(1, std::memory_order_relaxed);
      if (both && e.first != e.second) {
        std::atomic_ref<uint64_t>(deg[e.second]).fetch_add(1, std::memory_order_relaxed);
      }
    }
  });
  Side s;
  s.offsets.assign(n + 1, 0);
  for (size_t u = 0; u < n; ++u) s.offsets[u + 1] = s.offsets[u] + deg[u];
  std::vector<uint64_t>& cursor = deg;
  std::copy(s.offsets.begin(), s.offsets.end() - 1, cursor.begin());
  s.nbrs.resize(s.offsets[n]);
  if (weighted) s.w.resize(s.offsets[n]);
  auto put = [&](Node u, Node v, size_t i) {
    uint64_t p = std::atomic_ref<uint64_t>(cursor[u]).fetch_add(1, std::memory_order_relaxed);
    s.nbrs[p] = v;
    if (weighted) s.w[p] = weights[i];
  };
  tbb::parallel_for(tbb::blocked_range<size_t>(0, edges.size(), 1 << 14), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      const auto& e = edges[i];
      if (skip(e)) continue;
      if (reverse) {
        put(e.second, e.first, i);
      } else {
        put(e.first, e.second, i);
      }
      if (both && e.first != e.second) put(e.second, e.first, i);
    }
  });
  // Sort every list (by neighbour, then weight) and count survivors.
  std::vector<uint64_t> keep(n + 1, 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 256), [&](const auto& r) {
    std::vector<std::pair<Node, double>> tmp;
    for (size_t u = r.begin(); u != r.end(); ++u) {
      uint64_t b = s.offsets[u], e = s.offsets[u + 1];
      if (weighted) {
        tmp.clear();
        for (uint64_t p = b; p < e; ++p) tmp.emplace_back(s.nbrs[p], s.w[p]);
        std::sort(tmp.begin(), tmp.end());
        for (uint64_t p = b; p < e; ++p) {
          s.nbrs[p] = tmp[p - b].first;
          s.w[p] = tmp[p - b].second;
        }
      } else {
        std::sort(s.nbrs.begin() + b, s.nbrs.begin() + e);
      }
      if (opt.remove_duplicates) {
        uint64_t k = 0;
        for (uint64_t p = b; p < e; ++p) {
          if (p == b || s.nbrs[p] != s.nbrs[p - 1]) ++k;
        }
        keep[u] = k;
      }
    }
  });
  if (!opt.remove_duplicates) return s;
  Side d;
  d.offsets.assign(n + 1, 0);
  for (size_t u = 0; u < n; ++u) d.offsets[u + 1] = d.offsets[u] + keep[u];
  d.nbrs.resize(d.offsets[n]);
  if (weighted) d.w.resize(d.offsets[n]);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const auto& r) {
    for (size_t u = r.begin(); u != r.end(); ++u) {
      uint64_t q = d.offsets[u];
      for (uint64_t p = s.offsets[u]; p < s.offsets[u + 1]; ++p) {
        if (p != s.offsets[u] && s.nbrs[p] == s.nbrs[p - 1]) continue;
        d.nbrs[q] = s.nbrs[p];
        if (weighted) d.w[q] = s.w[p];
        ++q;
      }
    }
  });
  return d;
}

// The largest weight, and whether every weight is a whole number in
// [0, 2^32).
struct WeightSummary {
  double max = 0;
  bool integer = true;
};

WeightSummary Summarise(const internal::LargeVector<double>& w) {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, w.size(), 1 << 16), WeightSummary{},
      [&](const auto& r, WeightSummary acc) {
        for (size_t i = r.begin(); i != r.end(); ++i) {
          acc.max = std::max(acc.max, w[i]);
          acc.integer =
              acc.integer && w[i] >= 0 && w[i] <= 4294967295.0 && std::floor(w[i]) == w[i];
        }
        return acc;
      },
      [](WeightSummary a, WeightSummary b) {
        return WeightSummary{std::max(a.max, b.max), a.integer && b.integer};
      });
}

}  // namespace

namespace internal {

void* AllocateLarge(size_t bytes) {
  if (bytes < kLargeBlock) return ::operator new(bytes);
  const size_t size = RoundUp(bytes, kHugePage);
  // Map one huge page more than needed and unmap the unaligned ends.
  void* raw =
      mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t at = RoundUp(begin, kHugePage);
  if (at > begin) munmap(raw, at - begin);
  munmap(reinterpret_cast<void*>(at + size), kHugePage - (at - begin));
  void* p = reinterpret_cast<void*>(at);
  (void)madvise(p, size, MADV_HUGEPAGE);  // only advice: 4 KiB pages work too
  return p;
}

void FreeLarge(void* p, size_t bytes) noexcept {
  if (bytes < kLargeBlock) {
    ::operator delete(p);
    return;
  }
  munmap(p, RoundUp(bytes, kHugePage));
}

}  // namespace internal

CsrGraph CsrGraph::Build(EdgeList list, const BuildOptions& options) {
  assert(list.weights.empty() || list.weights.size() == list.edges.size());
  assert(list.external_ids.empty() || list.external_ids.size() == list.num_nodes);
  CsrGraph g;
  g.directed_ = options.directed;
  g.weighted_ = !list.weights.empty();
  const size_t n = list.num_nodes;
  Side out = BuildSide(n, list.edges, list.weights, false, !options.directed, options);
  g.out_offsets_ = std::move(out.offsets);
  g.out_nbrs_ = std::move(out.nbrs);
  g.out_w_ = std::move(out.w);
  if (g.weighted_) {
    const WeightSummary ws = Summarise(g.out_w_);
    g.integer_weights_ = ws.integer;
    g.max_weight_ = ws.max;
  }
  if (g.integer_weights_) {
    g.out_packed_.resize(g.out_nbrs_.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, g.out_nbrs_.size(), 1 << 16),
                      [&](const auto& r) {
                        for (size_t p = r.begin(); p != r.end(); ++p) {
                          g.out_packed_[p] = {g.out_nbrs_[p], static_cast<uint32_t>(g.out_w_[p])};
                        }
                      });
  }
  if (options.directed) {
    Side in = BuildSide(n, list.edges, list.weights, true, false, options);
    g.in_offsets_ = std::move(in.offsets);
    g.in_nbrs_ = std::move(in.nbrs);
    g.in_w_ = std::move(in.w);
  }
  g.external_ids_ = std::move(list.external_ids);
  if (!g.external_ids_.empty()) {
    g.index_.reserve(n);
    for (Node u = 0; u < n; ++u) g.index_.emplace(g.external_ids_[u], u);
  }
  return g;
}

std::optional<Node> CsrGraph::FindNode(int64_t id) const {
  if (external_ids_.empty()) {
    if (id < 0 || static_cast<uint64_t>(id) >= num_nodes()) return std::nullopt;
    return static_cast<Node>(id);
  }
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

CsrGraph MakeUndirected(const CsrGraph& g) {
  EdgeList list;
  list.num_nodes = g.num_nodes();
  list.edges.reserve(g.num_arcs());
  for (Node u = 0; u < g.num_nodes(); ++u) {
    for (Node v : g.out_neighbors(u)) {
      if (!g.directed() && v < u) continue;  // each undirected edge once
      list.edges.emplace_back(u, v);
    }
  }
  list.external_ids = g.external_ids();
  BuildOptions opt;
  opt.directed = false;
  opt.remove_self_loops = true;
  opt.remove_duplicates = true;
  return CsrGraph::Build(std::move(list), opt);
}

}  // namespace citygraph::algo
