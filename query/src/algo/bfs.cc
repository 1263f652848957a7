// Breadth-first search, direction-optimising: Beamer, Asanovic & Patterson,
// "Direction-Optimizing Breadth-First Search", SC 2012. Top-down steps
// expand a frontier queue; when the frontier's out-arcs outnumber the
// unexplored arcs / alpha, bottom-up steps let every unvisited node look
// for a parent in a frontier bitmap, until the frontier shrinks below
// n / beta. Serial verifier: a textbook queue BFS.
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <deque>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

using internal::Bitmap;
using internal::Frontier;

constexpr uint64_t kAlpha = 15, kBeta = 18;

// Returns the summed out-degree of the nodes it discovered.
uint64_t TopDownStep(const CsrGraph& g, std::vector<int32_t>& depth, const Frontier& cur,
                     Frontier& next, int32_t level) {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, cur.size(), 64), uint64_t{0},
      [&](const auto& r, uint64_t scout) {
        Frontier::LocalBuffer out(&next);
        for (size_t i = r.begin(); i != r.end(); ++i) {
          for (Node v : g.out_neighbors(cur[i])) {
            std::atomic_ref<int32_t> d(depth[v]);
            int32_t expected = kUnreached;
            if (d.load(std::memory_order_relaxed) == kUnreached &&
                d.compare_exchange_strong(expected, level + 1, std::memory_order_relaxed)) {
              out.Push(v);
              scout += g.out_degree(v);
            }
          }
        }
        return scout;
      },
      std::plus<>());
}

// Returns how many nodes joined the next frontier. Tasks own whole bitmap
// words, so `next` is written without atomics.
uint64_t BottomUpStep(const CsrGraph& g, std::vector<int32_t>& depth, const Bitmap& front,
                      Bitmap& next, int32_t level) {
  const size_t n = g.num_nodes();
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, next.num_words(), 16), uint64_t{0},
      [&](const auto& r, uint64_t awake) {
        const size_t end = std::min(n, r.end() * 64);
        for (size_t v = r.begin() * 64; v < end; ++v) {
          if (depth[v] != kUnreached) continue;
          for (Node u : g.in_neighbors(static_cast<Node>(v))) {
            if (front.Get(u)) {
              depth[v] = level + 1;
              next.SetPlain(v);
              ++awake;
              break;
            }
          }
        }
        return awake;
      },
      std::plus<>());
}

void QueueToBitmap(const Frontier& q, Bitmap& bm) {
  bm.Clear();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, q.size(), 4096), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) bm.SetAtomic(q[i]);
  });
}

void BitmapToQueue(const Bitmap& bm, Frontier& q) {
  q.Reset();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, bm.num_words(), 256), [&](const auto& r) {
    Frontier::LocalBuffer out(&q);
    for (size_t w = r.begin(); w != r.end(); ++w) {
      for (uint64_t bits = bm.word(w); bits != 0; bits &= bits - 1) {
        out.Push(static_cast<Node>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
      }
    }
  });
}

}  // namespace

std::vector<int32_t> Bfs(const CsrGraph& g, Node source) {
  const size_t n = g.num_nodes();
  std::vector<int32_t> depth(n, kUnreached);
  depth[source] = 0;
  Frontier cur(n), next(n);
  cur.PushSerial(source);
  Bitmap front(n), front_next(n);
  uint64_t edges_to_check = g.num_arcs();
  uint64_t scout = g.out_degree(source);
  int32_t level = 0;
  while (!cur.empty()) {
    if (scout > edges_to_check / kAlpha) {
      QueueToBitmap(cur, front);
      uint64_t awake = cur.size(), old_awake;
      do {
        old_awake = awake;
        front_next.Clear();
        awake = BottomUpStep(g, depth, front, front_next, level);
        front.Swap(front_next);
        ++level;
      } while (awake >= old_awake || awake > n / kBeta);
      BitmapToQueue(front, cur);
      scout = 1;
    } else {
      edges_to_check -= std::min(edges_to_check, scout);
      next.Reset();
      scout = TopDownStep(g, depth, cur, next, level);
      cur.Swap(next);
      ++level;
    }
  }
  return depth;
}

std::vector<int32_t> BfsSerial(const CsrGraph& g, Node source) {
  std::vector<int32_t> depth(g.num_nodes(), kUnreached);
  std::deque<Node> queue{source};
  depth[source] = 0;
  while (!queue.empty()) {
    Node u = queue.front();
    queue.pop_front();
    for (Node v : g.out_neighbors(u)) {
      if (depth[v] == kUnreached) {
        depth[v] = depth[u] + 1;
        queue.push_back(v);
      }
    }
  }
  return depth;
}

}  // namespace citygraph::algo
