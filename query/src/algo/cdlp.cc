// Community detection by label propagation as the LDBC Graphalytics
// specification defines it (Iosup et al., VLDB 2016, section 2.3.4, after
// Raghavan, Albert & Kumara, Phys. Rev. E 2007): deterministic and
// synchronous; every round each node takes the most frequent label among
// its in- and out-neighbours (on a directed graph a neighbour linked both
// ways is counted twice), ties broken towards the smallest label. The
// parallel kernel sorts each node's neighbour labels; the verifier counts
// them in a map.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

std::vector<int64_t> InitialLabels(const CsrGraph& g) {
  std::vector<int64_t> labels(g.num_nodes());
  for (Node u = 0; u < g.num_nodes(); ++u) labels[u] = g.external_id(u);
  return labels;
}

}  // namespace

std::vector<int64_t> Cdlp(const CsrGraph& g, int iterations) {
  const size_t n = g.num_nodes();
  std::vector<int64_t> labels = InitialLabels(g), next(n);
  tbb::enumerable_thread_specific<std::vector<int64_t>> scratch;
  for (int it = 0; it < iterations; ++it) {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 256), [&](const auto& r) {
      std::vector<int64_t>& seen = scratch.local();
      for (size_t i = r.begin(); i != r.end(); ++i) {
        Node v = static_cast<Node>(i);
        seen.clear();
        for (Node u : g.out_neighbors(v)) seen.push_back(labels[u]);
        if (g.directed()) {
          for (Node u : g.in_neighbors(v)) seen.push_back(labels[u]);
        }
        if (seen.empty()) {
          next[v] = labels[v];
          continue;
        }
        std::sort(seen.begin(), seen.end());
        int64_t best = seen[0];
        size_t best_count = 0;
        for (size_t a = 0; a < seen.size();) {
          size_t b = a;
          while (b < seen.size() && seen[b] == seen[a]) ++b;
          if (b - a > best_count) {  // strictly greater: the smallest label wins ties
            best = seen[a];
            best_count = b - a;
          }
          a = b;
        }
        next[v] = best;
      }
    });
    labels.swap(next);
  }
  return labels;
}

std::vector<int64_t> CdlpSerial(const CsrGraph& g, int iterations) {
  std::vector<int64_t> labels = InitialLabels(g), next(g.num_nodes());
  for (int it = 0; it < iterations; ++it) {
    for (Node v = 0; v < g.num_nodes(); ++v) {
      std::map<int64_t, size_t> count;
      for (Node u : g.out_neighbors(v)) ++count[labels[u]];
      if (g.directed()) {
        for (Node u : g.in_neighbors(v)) ++count[labels[u]];
      }
      next[v] = labels[v];
      size_t best_count = 0;
      for (const auto& [label, c] : count) {
        if (c > best_count) {
          next[v] = label;
          best_count = c;
        }
      }
    }
    labels.swap(next);
  }
  return labels;
}

}  // namespace citygraph::algo
