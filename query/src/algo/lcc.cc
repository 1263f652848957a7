// Local clustering coefficient as the LDBC Graphalytics specification
// defines it (Iosup et al., VLDB 2016, section 2.3.5; Watts & Strogatz,
// Nature 1998 for the undirected form): N(v) ignores direction, the
// numerator counts arcs u->w with u, w in N(v), the denominator is
// |N(v)|(|N(v)|-1). The kernel marks N(v) in a per-thread stamp array and
// scans each member's out-arcs, or binary-searches a member's (sorted)
// out-list when that is shorter than scanning it. A simple undirected graph
// takes the faster route through per-node triangle counts (TrianglesPerNode,
// ordered counting as in triangle_count.cc).
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <set>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

// Sorted, duplicate-free union of in- and out-neighbours, without v.
void Neighbourhood(const CsrGraph& g, Node v, std::vector<Node>& out) {
  out.clear();
  auto a = g.out_neighbors(v);
  if (g.directed()) {
    auto b = g.in_neighbors(v);
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  } else {
    out.assign(a.begin(), a.end());
  }
  out.erase(std::unique(out.begin(), out.end()), out.end());
  out.erase(std::remove(out.begin(), out.end(), v), out.end());
}

struct Scratch {
  std::vector<Node> nbhd;
  std::vector<Node> stamp;  // stamp[w] == v + 1 iff w in N(v)
};

// No self loops and no parallel arcs: then |N(v)| is the degree and the
// arcs among N(v) are twice the triangles through v.
bool IsSimpleUndirected(const CsrGraph& g) {
  if (g.directed()) return false;
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, g.num_nodes(), 4096), true,
      [&](const auto& r, bool ok) {
        for (size_t u = r.begin(); ok && u != r.end(); ++u) {
          auto n = g.out_neighbors(static_cast<Node>(u));
          if (std::adjacent_find(n.begin(), n.end()) != n.end() ||
              std::binary_search(n.begin(), n.end(), static_cast<Node>(u))) {
            ok = false;
          }
        }
        return ok;
      },
      [](bool a, bool b) { return a && b; });
}

}  // namespace

std::vector<double> Lcc(const CsrGraph& g) {
  const size_t n = g.num_nodes();
  std::vector<double> lcc(n, 0.0);
  if (IsSimpleUndirected(g)) {
    std::vector<uint64_t> t = TrianglesPerNode(g);
    tbb::parallel_for(size_t{0}, n, [&](size_t u) {
      const double d = static_cast<double>(g.out_degree(static_cast<Node>(u)));
      if (d >= 2) lcc[u] = 2.0 * static_cast<double>(t[u]) / (d * (d - 1));
    });
    return lcc;
  }
  tbb::enumerable_thread_specific<Scratch> scratch([n] {
    Scratch s;
    s.stamp.assign(n, 0);
    return s;
  });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), [&](const auto& r) {
    Scratch& s = scratch.local();
    for (size_t i = r.begin(); i != r.end(); ++i) {
      Node v = static_cast<Node>(i);
      Neighbourhood(g, v, s.nbhd);
      const size_t d = s.nbhd.size();
      if (d < 2) continue;
      for (Node u : s.nbhd) s.stamp[u] = v + 1;
      uint64_t arcs = 0;
      for (Node u : s.nbhd) {
        auto out = g.out_neighbors(u);
        if (out.size() > 8 * d) {
          for (Node w : s.nbhd) {
            if (w != u && std::binary_search(out.begin(), out.end(), w)) ++arcs;
          }
        } else {
          for (Node w : out) {
            if (w != u && s.stamp[w] == v + 1) ++arcs;
          }
        }
      }
      // Parallel arcs would count twice; Graphalytics graphs have none.
      lcc[v] = static_cast<double>(arcs) / (static_cast<double>(d) * static_cast<double>(d - 1));
    }
  });
  return lcc;
}

std::vector<double> LccSerial(const CsrGraph& g) {
  std::vector<double> lcc(g.num_nodes(), 0.0);
  for (Node v = 0; v < g.num_nodes(); ++v) {
    std::set<Node> nbhd;
    for (Node u : g.out_neighbors(v)) nbhd.insert(u);
    for (Node u : g.in_neighbors(v)) nbhd.insert(u);
    nbhd.erase(v);
    if (nbhd.size() < 2) continue;
    uint64_t arcs = 0;
    for (Node u : nbhd) {
      for (Node w : g.out_neighbors(u)) {
        if (w != u && nbhd.count(w)) ++arcs;
      }
    }
    const double d = static_cast<double>(nbhd.size());
    lcc[v] = static_cast<double>(arcs) / (d * (d - 1));
  }
  return lcc;
}

}  // namespace citygraph::algo
