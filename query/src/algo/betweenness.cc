// Betweenness centrality by Brandes' algorithm (U. Brandes, "A faster
// algorithm for betweenness centrality", J. Math. Sociol. 25(2), 2001);
// sampled sources as in Brandes & Pich, "Centrality estimation in large
// networks", IJBC 2007. For each source a level-synchronous BFS counts
// shortest paths (sigma) and a reverse sweep over the levels accumulates
// dependencies delta(u) = sum over successors v of sigma(u)/sigma(v) *
// (1 + delta(v)), pulled by u so no atomics are needed (as in GAP's bc).
// Large graphs parallelise inside each source (with GAP's successor
// bitmap, see SingleSourceParallel); small graphs with many
// sources run whole sources on different threads. Serial verifier: the
// textbook queue + stack formulation.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

struct SourceScratch {
  explicit SourceScratch(size_t n) : depth(n, kUnreached), sigma(n, 0), delta(n, 0) {}
  std::vector<int32_t> depth;
  std::vector<double> sigma, delta;
  std::vector<Node> order;  // nodes in BFS order (serial path)
};

// One source, serially; adds its dependencies to `scores`.
void SingleSourceSerial(const CsrGraph& g, Node s, SourceScratch& w, std::vector<double>& scores) {
  w.order.clear();
  w.order.push_back(s);
  w.depth[s] = 0;
  w.sigma[s] = 1;
  for (size_t head = 0; head < w.order.size(); ++head) {
    Node u = w.order[head];
    for (Node v : g.out_neighbors(u)) {
      if (w.depth[v] == kUnreached) {
        w.depth[v] = w.depth[u] + 1;
        w.order.push_back(v);
      }
      if (w.depth[v] == w.depth[u] + 1) w.sigma[v] += w.sigma[u];
    }
  }
  for (size_t i = w.order.size(); i-- > 0;) {
    Node u = w.order[i];
    double sum = 0;
    for (Node v : g.out_neighbors(u)) {
      if (w.depth[v] == w.depth[u] + 1) sum += w.sigma[u] / w.sigma[v] * (1 + w.delta[v]);
    }
    w.delta[u] = sum;
    if (u != s) scores[u] += sum;
  }
  for (Node u : w.order) {  // reset only what was touched
    w.depth[u] = kUnreached;
    w.sigma[u] = 0;
    w.delta[u] = 0;
  }
}

// Prefetches the offsets of queue[i + 2k] and the arcs of queue[i + k]
// (each level's nodes are in no useful order, so these are cache misses).
// Inside a list, the loops request the neighbour state kArcsAhead arcs
// ahead (24 measured best of 6, 14, 24, 40 at scale 20; also prefetching
// the first arcs' states of queue[i + k/2] did not help).
constexpr size_t kNodesAhead = 8, kArcsAhead = 24;
inline void PrefetchAhead(const internal::Frontier& queue, size_t i, size_t end,
                          const uint64_t* off, const Node* nbrs) {
  if (i + 2 * kNodesAhead < end) __builtin_prefetch(&off[queue[i + 2 * kNodesAhead]]);
  if (i + kNodesAhead < end) __builtin_prefetch(&nbrs[off[queue[i + kNodesAhead]]]);
}

// Per-node state of the parallel path, kept together so that the one
// random access per arc touches one cache line: depth and sigma in the
// forward pass; in the reverse pass `sigma` is replaced, level by level,
// by coef = (1 + delta) / sigma, which is all a predecessor reads.
struct NodeState {
  int32_t depth;
  double sigma;
};

// One source, each BFS level and each reverse level in parallel, as GAP's
// bc: the forward pass marks in `succ` (one bit per arc) each arc u->v with
// depth(v) = depth(u) + 1, so the reverse pass reads u's successor bits
// sequentially instead of every neighbour's depth at random. The reverse
// pass computes delta(u) = sigma(u) * sum of coef over u's successors: one
// random read per successor and no division per arc.
void SingleSourceParallel(const CsrGraph& g, Node s, internal::NodeArray<NodeState>& state,
                          internal::Frontier& queue, internal::Bitmap& succ,
                          std::vector<size_t>& level_start, std::vector<double>& scores) {
  const uint64_t* off = g.out_offsets().data();
  const Node* nbrs = g.out_nbrs().data();
  NodeState* st = state.data();
  double* score = scores.data();
  state.Fill({kUnreached, 0.0});
  succ.Clear();
  queue.Reset();
  queue.PushSerial(s);
  st[s] = {0, 1.0};
  level_start.assign({0, 1});
  for (int32_t d = 0;; ++d) {
    const size_t begin = level_start[d], end = level_start[d + 1];
    if (begin == end) break;
    const int32_t next = d + 1;
    tbb::parallel_for(tbb::blocked_range<size_t>(begin, end, 32), [&](const auto& r) {
      internal::Frontier::LocalBuffer out(&queue);
      for (size_t i = r.begin(); i != r.end(); ++i) {
        PrefetchAhead(queue, i, r.end(), off, nbrs);
        const Node u = queue[i];
        const double su = st[u].sigma;
        const uint64_t first = off[u], last = off[u + 1];
        // u's successor bits, gathered per 64-bit word and ORed in once
        // (neighbouring lists may share the first and last word).
        size_t word = first >> 6;
        uint64_t bits = 0;
        for (uint64_t p = first; p < last; ++p) {
          if (p + kArcsAhead < last) __builtin_prefetch(&st[nbrs[p + kArcsAhead]]);
          if ((p >> 6) != word) {
            if (bits != 0) succ.OrWordAtomic(word, bits);
            word = p >> 6;
            bits = 0;
          }
          const Node v = nbrs[p];
          std::atomic_ref<int32_t> dv(st[v].depth);
          int32_t cur = dv.load(std::memory_order_relaxed);
          if (cur == kUnreached) {
            if (dv.compare_exchange_strong(cur, next, std::memory_order_relaxed)) out.Push(v);
            cur = next;  // set by us or by another task of this level
          }
          if (cur == next) {
            internal::AtomicAdd(st[v].sigma, su);
            bits |= uint64_t{1} << (p & 63);
          }
        }
        if (bits != 0) succ.OrWordAtomic(word, bits);
      }
    });
    level_start.push_back(queue.size());
  }
  for (size_t d = level_start.size() - 2; d-- > 0;) {
    tbb::parallel_for(tbb::blocked_range<size_t>(level_start[d], level_start[d + 1], 32),
                      [&](const auto& r) {
                        for (size_t i = r.begin(); i != r.end(); ++i) {
                          PrefetchAhead(queue, i, r.end(), off, nbrs);
                          const Node u = queue[i];
                          const uint64_t first = off[u], last = off[u + 1];
                          double sum = 0;
                          for (uint64_t p = first; p < last; ++p) {
                            if (p + kArcsAhead < last && succ.Get(p + kArcsAhead)) {
                              __builtin_prefetch(&st[nbrs[p + kArcsAhead]]);
                            }
                            if (succ.Get(p))
                              sum += st[nbrs[p]].sigma;  // coef(v): its level is done
                          }
                          const double delta = st[u].sigma * sum;
                          st[u].sigma = (1 + delta) / st[u].sigma;
                          if (u != s) score[u] += delta;
                        }
                      });
  }
}

// Both (s, t) and (t, s) were summed; report each unordered pair once.
void HalveIfUndirected(const CsrGraph& g, std::vector<double>& scores) {
  if (g.directed()) return;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, scores.size(), 1 << 14), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) scores[i] *= 0.5;
  });
}

}  // namespace

std::vector<double> Betweenness(const CsrGraph& g, std::span<const Node> sources) {
  const size_t n = g.num_nodes();
  // Whole sources per thread when there are many sources on a small graph:
  // per-level synchronisation would cost more than the work of a level.
  if (n < (1u << 16) && sources.size() >= 8) {
    // A fixed number of source chunks, each summed serially and the chunks
    // added in order, so the floating-point result does not depend on the
    // thread count or scheduling.
    constexpr size_t kChunks = 16;
    const size_t chunks = std::min(kChunks, sources.size());
    std::vector<std::vector<double>> partial(chunks);
    tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
      partial[c].assign(n, 0.0);
      SourceScratch w(n);
      for (size_t i = c; i < sources.size(); i += chunks) {
        SingleSourceSerial(g, sources[i], w, partial[c]);
      }
    });
    std::vector<double> scores(n, 0.0);
    for (const auto& p : partial) {
      for (size_t u = 0; u < n; ++u) scores[u] += p[u];
    }
    HalveIfUndirected(g, scores);
    return scores;
  }
  std::vector<double> scores(n, 0.0);
  internal::NodeArray<NodeState> state(n);
  internal::Frontier queue(n);
  internal::Bitmap succ(g.num_arcs());
  std::vector<size_t> level_start;
  for (Node s : sources) SingleSourceParallel(g, s, state, queue, succ, level_start, scores);
  HalveIfUndirected(g, scores);
  return scores;
}

std::vector<double> BetweennessExact(const CsrGraph& g) {
  std::vector<Node> all(g.num_nodes());
  std::iota(all.begin(), all.end(), Node{0});
  return Betweenness(g, all);
}

std::vector<double> BetweennessSampled(const CsrGraph& g, size_t k, uint64_t seed) {
  const size_t n = g.num_nodes();
  if (k >= n) return BetweennessExact(g);
  std::vector<Node> nodes(n);
  std::iota(nodes.begin(), nodes.end(), Node{0});
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < k; ++i) {  // partial Fisher-Yates: k distinct sources
    std::uniform_int_distribution<size_t> pick(i, n - 1);
    std::swap(nodes[i], nodes[pick(rng)]);
  }
  std::vector<double> scores = Betweenness(g, std::span<const Node>(nodes.data(), k));
  const double scale = static_cast<double>(n) / static_cast<double>(k);
  for (double& x : scores) x *= scale;
  return scores;
}

std::vector<double> BetweennessSerial(const CsrGraph& g, std::span<const Node> sources) {
  std::vector<double> scores(g.num_nodes(), 0.0);
  SourceScratch w(g.num_nodes());
  for (Node s : sources) SingleSourceSerial(g, s, w, scores);
  HalveIfUndirected(g, scores);
  return scores;
}

}  // namespace citygraph::algo
