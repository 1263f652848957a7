// Triangle counting by ordered counting on a degree-ordered orientation, as
// GAP's tc (Beamer, Asanovic & Patterson, "The GAP Benchmark Suite",
// arXiv:1508.03619, after Schank & Wagner, WEA 2005). Nodes are ranked (by
// decreasing degree when the degree distribution is skewed, else by id) and
// each edge is kept once, pointing to the lower rank: low(u) = neighbours
// ranked below u. A triangle with ranks u > v > w is then counted exactly
// once, at u, as w in low(u) and low(v) for v in low(u). On a skewed graph
// hubs get the lowest ranks, so every low() list is short (at most about
// sqrt(2m)) and the hubs' long lists are never scanned.
//
// Instead of GAP's merge of two sorted lists, the thread handling u marks
// low(u) in its own bitmap and tests each w of low(v) against it: one
// branch-free bit test per w instead of a data-dependent merge, and no
// pointer walk over low(u) for every v. Nodes run in parallel (oneTBB's
// work stealing balances the uneven per-node work, like GAP's dynamic
// schedule). Serial verifier: per edge u < v, merge the full sorted lists
// above v.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

bool WorthRelabelling(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  if (n < 1024) return false;
  std::vector<size_t> deg(n);
  for (Node u = 0; u < n; ++u) deg[u] = g.out_degree(u);
  const double mean = static_cast<double>(g.num_arcs()) / static_cast<double>(n);
  std::nth_element(deg.begin(), deg.begin() + static_cast<ptrdiff_t>(n / 2), deg.end());
  const double median = static_cast<double>(deg[n / 2]);
  return mean > 1.3 * std::max(median, 1.0);
}

// The oriented graph: node r (a rank) has the sorted ranks of its
// lower-ranked neighbours in nbr[off[r]..off[r+1]). `rank[u]` is the rank
// of original node u.
struct Dag {
  std::vector<uint64_t> off;
  std::vector<Node> nbr;
  std::vector<Node> rank;
  size_t n() const { return off.size() - 1; }
  const Node* begin(Node r) const { return nbr.data() + off[r]; }
  const Node* end(Node r) const { return nbr.data() + off[r + 1]; }
};

Dag Orient(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  Dag d;
  d.rank.resize(n);
  std::vector<Node> order(n);  // order[r] = node of rank r
  std::iota(order.begin(), order.end(), Node{0});
  if (WorthRelabelling(g)) {
    tbb::parallel_sort(order.begin(), order.end(), [&](Node a, Node b) {
      size_t da = g.out_degree(a), db = g.out_degree(b);
      return da != db ? da > db : a < b;
    });
  }
  tbb::parallel_for(size_t{0}, n, [&](size_t r) { d.rank[order[r]] = static_cast<Node>(r); });
  d.off.assign(n + 1, 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const auto& range) {
    for (size_t r = range.begin(); r != range.end(); ++r) {
      uint64_t k = 0;
      for (Node v : g.out_neighbors(order[r])) k += d.rank[v] < r;
      d.off[r + 1] = k;
    }
  });
  for (size_t r = 0; r < n; ++r) d.off[r + 1] += d.off[r];
  d.nbr.resize(d.off[n]);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 256), [&](const auto& range) {
    for (size_t r = range.begin(); r != range.end(); ++r) {
      Node* out = d.nbr.data() + d.off[r];
      Node* p = out;
      for (Node v : g.out_neighbors(order[r])) {
        if (d.rank[v] < r) *p++ = d.rank[v];
      }
      std::sort(out, p);
    }
  });
  return d;
}

// Per-thread scratch: a bitmap over ranks (all zero between nodes) and
// the thread's triangle counts (per rank, or a single total).
struct Scratch {
  Scratch(size_t n, bool per_node) : bits((n + 63) / 64, 0), counts(per_node ? n : 1, 0) {}
  void Set(Node r) { bits[r >> 6] |= uint64_t{1} << (r & 63); }
  void Reset(Node r) { bits[r >> 6] = 0; }
  uint64_t Test(Node r) const { return (bits[r >> 6] >> (r & 63)) & 1; }
  std::vector<uint64_t> bits;
  std::vector<uint64_t> counts;
};

// Calls visit(u, v, scratch) for every rank u and every v in low(u), in
// parallel over u; scratch.bits holds low(u) during the calls.
template <typename Visit>
void ForEachWedge(const Dag& d, tbb::enumerable_thread_specific<Scratch>& scratch, Visit visit) {
  const size_t n = d.n();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), [&](const auto& range) {
    Scratch& s = scratch.local();
    for (size_t i = range.begin(); i != range.end(); ++i) {
      const Node u = static_cast<Node>(i);
      if (d.end(u) - d.begin(u) < 2) continue;  // no v, w pair below u
      for (const Node* p = d.begin(u); p != d.end(u); ++p) s.Set(*p);
      for (const Node* p = d.begin(u); p != d.end(u); ++p) visit(u, *p, s);
      for (const Node* p = d.begin(u); p != d.end(u); ++p) s.Reset(*p);
    }
  });
}

}  // namespace

std::vector<uint64_t> TrianglesPerNode(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  Dag d = Orient(g);
  tbb::enumerable_thread_specific<Scratch> scratch([n] { return Scratch(n, true); });
  ForEachWedge(d, scratch, [&](Node u, Node v, Scratch& s) {
    uint64_t found = 0;
    for (const Node* q = d.begin(v); q != d.end(v); ++q) {
      const uint64_t hit = s.Test(*q);
      s.counts[*q] += hit;
      found += hit;
    }
    s.counts[u] += found;
    s.counts[v] += found;
  });
  std::vector<uint64_t> out(n, 0);
  tbb::parallel_for(size_t{0}, n, [&](size_t u) {
    uint64_t sum = 0;
    for (const Scratch& s : scratch) sum += s.counts[d.rank[u]];
    out[u] = sum;
  });
  return out;
}

uint64_t TriangleCount(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  Dag d = Orient(g);
  tbb::enumerable_thread_specific<Scratch> scratch([n] { return Scratch(n, false); });
  ForEachWedge(d, scratch, [&](Node, Node v, Scratch& s) {
    uint64_t found = 0;
    for (const Node* q = d.begin(v); q != d.end(v); ++q) found += s.Test(*q);
    s.counts[0] += found;
  });
  uint64_t total = 0;
  for (const Scratch& s : scratch) total += s.counts[0];
  return total;
}

uint64_t TriangleCountSerial(const CsrGraph& g) {
  uint64_t total = 0;
  for (Node u = 0; u < g.num_nodes(); ++u) {
    auto nu = g.out_neighbors(u);
    for (Node v : nu) {
      if (v <= u) continue;
      auto nv = g.out_neighbors(v);
      auto a = std::upper_bound(nu.begin(), nu.end(), v);
      auto b = std::upper_bound(nv.begin(), nv.end(), v);
      while (a != nu.end() && b != nv.end()) {
        if (*a < *b) {
          ++a;
        } else if (*b < *a) {
          ++b;
        } else {
          ++total;
          ++a;
          ++b;
        }
      }
    }
  }
  return total;
}

}  // namespace citygraph::algo
