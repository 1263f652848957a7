// Weakly connected components with Afforest: Sutton, Ben-Nun & Barak,
// "Optimizing Parallel Graph Connectivity Computation via Subgraph
// Sampling", IPDPS 2018. Links a couple of neighbours per node, compresses,
// guesses the giant component from a sample, and then only processes the
// remaining arcs of nodes outside it. Links are lock-free hooks of the
// higher root under the lower (Shiloach-Vishkin style) with pointer
// jumping. Labels live on huge pages (random access per arc), the two
// neighbour rounds share one pass with one compression, and that pass
// prefetches the next nodes' first arcs and their labels.
// Serial verifier: BFS over out- and in-arcs.
#include <tbb/parallel_for.h>

#include <atomic>
#include <deque>
#include <random>
#include <unordered_map>

#include "citygraph/algo/kernels.h"
#include "citygraph/huge_pages.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

constexpr int kNeighborRounds = 2;
constexpr int kSamples = 1024;
constexpr size_t kAhead = 16;  // prefetch distance in nodes

Node Load(Node* comp, Node i) {
  return std::atomic_ref<Node>(comp[i]).load(std::memory_order_relaxed);
}

void Link(Node u, Node v, Node* comp) {
  Node p1 = Load(comp, u), p2 = Load(comp, v);
  while (p1 != p2) {
    Node high = std::max(p1, p2), low = std::min(p1, p2);
    Node p_high = Load(comp, high);
    if (p_high == low) break;
    if (p_high == high) {
      Node expected = high;
      if (std::atomic_ref<Node>(comp[high])
              .compare_exchange_strong(expected, low, std::memory_order_relaxed)) {
        break;
      }
    }
    p1 = Load(comp, Load(comp, high));
    p2 = Load(comp, low);
  }
}

void Compress(Node* comp, size_t n) {
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 2048), [&](const auto& r) {
    for (size_t u = r.begin(); u != r.end(); ++u) {
      Node c = Load(comp, static_cast<Node>(u));
      Node cc = Load(comp, c);
      while (c != cc) {
        c = cc;
        cc = Load(comp, c);
      }
      std::atomic_ref<Node>(comp[u]).store(c, std::memory_order_relaxed);
    }
  });
}

Node SampleFrequentLabel(const Node* comp, size_t n) {
  std::mt19937 rng(27491095);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  std::unordered_map<Node, int> count;
  for (int i = 0; i < kSamples; ++i) ++count[comp[pick(rng)]];
  Node best = comp[0];
  int best_count = 0;
  for (const auto& [label, c] : count) {
    if (c > best_count || (c == best_count && label < best)) {
      best = label;
      best_count = c;
    }
  }
  return best;
}

}  // namespace

std::vector<Node> Wcc(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  if (n == 0) return {};
  // The result is the label array itself. Labels are read at random (one
  // per arc): huge pages, advised before the first touch.
  std::vector<Node> labels;
  ReserveHuge(&labels, n);
  labels.resize(n);
  Node* comp = labels.data();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (size_t u = r.begin(); u != r.end(); ++u) comp[u] = static_cast<Node>(u);
  });
  // Both neighbour rounds in one pass (a node's first arcs share a cache
  // line, and each pass over the nodes touches a line of every list); the
  // links, hence the partition sampled below, are the same as with a
  // compression between the rounds.
  const uint64_t* off = g.out_offsets().data();
  const Node* arcs = g.out_nbrs().data();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 2048), [&](const auto& range) {
    for (size_t u = range.begin(); u != range.end(); ++u) {
      // The first arcs of the node 2k ahead, the labels of the node k
      // ahead's first neighbours: both are cache misses.
      if (u + 2 * kAhead < range.end()) __builtin_prefetch(&arcs[off[u + 2 * kAhead]]);
      if (u + kAhead < range.end() && off[u + kAhead] < off[u + kAhead + 1]) {
        __builtin_prefetch(&comp[arcs[off[u + kAhead]]]);
      }
      auto nbrs = g.out_neighbors(static_cast<Node>(u));
      const size_t k = std::min(nbrs.size(), static_cast<size_t>(kNeighborRounds));
      for (size_t r = 0; r < k; ++r) Link(static_cast<Node>(u), nbrs[r], comp);
    }
  });
  Compress(comp, n);
  const Node giant = SampleFrequentLabel(comp, n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 256), [&](const auto& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) {
      Node u = static_cast<Node>(i);
      if (Load(comp, u) == giant) continue;
      auto nbrs = g.out_neighbors(u);
      for (size_t k = kNeighborRounds; k < nbrs.size(); ++k) Link(u, nbrs[k], comp);
      if (g.directed()) {
        for (Node v : g.in_neighbors(u)) Link(u, v, comp);
      }
    }
  });
  Compress(comp, n);  // every node now holds its root: the result
  return labels;
}

std::vector<Node> WccSerial(const CsrGraph& g) {
  std::vector<Node> comp(g.num_nodes(), kNoNode);
  std::deque<Node> queue;
  for (Node s = 0; s < g.num_nodes(); ++s) {
    if (comp[s] != kNoNode) continue;
    comp[s] = s;
    queue.push_back(s);
    while (!queue.empty()) {
      Node u = queue.front();
      queue.pop_front();
      for (auto nbrs : {g.out_neighbors(u), g.in_neighbors(u)}) {
        for (Node v : nbrs) {
          if (comp[v] == kNoNode) {
            comp[v] = s;
            queue.push_back(v);
          }
        }
      }
    }
  }
  return comp;
}

bool SamePartition(std::span<const Node> a, std::span<const Node> b) {
  if (a.size() != b.size()) return false;
  std::unordered_map<Node, Node> ab, ba;
  for (size_t i = 0; i < a.size(); ++i) {
    auto [it1, new1] = ab.emplace(a[i], b[i]);
    auto [it2, new2] = ba.emplace(b[i], a[i]);
    if (it1->second != b[i] || it2->second != a[i]) return false;
  }
  return true;
}

}  // namespace citygraph::algo
