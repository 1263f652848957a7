// Weakly connected components with Afforest: Sutton, Ben-Nun & Barak,
// "Optimizing Parallel Graph Connectivity Computation via Subgraph
// Sampling", IPDPS 2018. Links a couple of neighbours per node, compresses,
// guesses the giant component from a sample, and then only processes the
// remaining arcs of nodes outside it. Links are lock-free hooks of the
// higher root under the lower (Shiloach-Vishkin style) with pointer
// jumping. Serial verifier: BFS over out- and in-arcs.
#include <tbb/parallel_for.h>

#include <atomic>
#include <deque>
#include <random>
#include <unordered_map>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

constexpr int kNeighborRounds = 2;
constexpr int kSamples = 1024;

Node Load(std::vector<Node>& comp, Node i) {
  return std::atomic_ref<Node>(comp[i]).load(std::memory_order_relaxed);
}

void Link(Node u, Node v, std::vector<Node>& comp) {
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

void Compress(std::vector<Node>& comp) {
  tbb::parallel_for(tbb::blocked_range<size_t>(0, comp.size(), 2048), [&](const auto& r) {
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

Node SampleFrequentLabel(const std::vector<Node>& comp) {
  std::mt19937 rng(27491095);
  std::uniform_int_distribution<size_t> pick(0, comp.size() - 1);
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
  std::vector<Node> comp(n);
  if (n == 0) return comp;
  tbb::parallel_for(size_t{0}, n, [&](size_t u) { comp[u] = static_cast<Node>(u); });
  for (int r = 0; r < kNeighborRounds; ++r) {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 2048), [&](const auto& range) {
      for (size_t u = range.begin(); u != range.end(); ++u) {
        auto nbrs = g.out_neighbors(static_cast<Node>(u));
        if (static_cast<size_t>(r) < nbrs.size()) Link(static_cast<Node>(u), nbrs[r], comp);
      }
    });
    Compress(comp);
  }
  const Node giant = SampleFrequentLabel(comp);
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
  Compress(comp);
  return comp;
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
