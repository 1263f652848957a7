// PageRank as the LDBC Graphalytics specification defines it (Iosup et al.,
// "LDBC Graphalytics", VLDB 2016, section 2.3.3): a fixed number of
// synchronous iterations, ranks start at 1/n, and the rank held by nodes
// without out-arcs is spread evenly over all nodes. The kernel pulls
// contributions rank(u)/outdeg(u) along in-arcs (as GAP's pr), so no
// atomics are needed, and one parallel pass per iteration both sums a
// node's in-arcs and computes its contribution and the dangling mass for
// the next iteration.
//
// An iteration's cost is the random gathers over the contribution array,
// so that array is made small and dense in what is read most:
// - Contributions are floats. Sums and ranks stay double; a float
//   contribution has relative error 2^-24 and the sums are of non-negative
//   terms, so every rank is within ~1e-7 relative of the all-double result,
//   far inside Graphalytics' 1e-4.
// - On a graph whose contribution array outgrows a core's L2 cache, the
//   kernel first renumbers the nodes by degree-based grouping (Faldu,
//   Diamond & Grot, "A closer look at lightweight graph reordering",
//   IISWC 2019): descending groups of floor(log2(out-degree)), id order
//   inside a group, so the few nodes that most arcs point to share a few
//   cache lines. It copies the in-arcs in that order (each list keeps its
//   order, neighbours renumbered), iterates on the copy and maps the ranks
//   back: every node's sum adds the same values in the same order as
//   without the renumbering. The renumbering and the copy are part of the
//   kernel's time, as GAP counts its triangle-counting relabelling; at
//   Kronecker scale 20 they cost two to three iterations, and the saving
//   per iteration depends on how contended the shared L3 is (measured
//   0.72-1.04x of the whole kernel's CPU time; see BENCHMARKS.md).
//
// The verifier uses Eigen: one PageRank iteration is a sparse
// matrix-vector product r' = b + d M r with M(v,u) = 1/outdeg(u), which is
// exactly what a sparse linear algebra library is for and gives an
// implementation independent of the CSR loops.
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <Eigen/SparseCore>
#include <algorithm>
#include <array>
#include <bit>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

// Grouping pays when the float contribution array is larger than a
// quarter of a 1 MiB L2 (it shares the cache with the streamed arcs) and
// there are enough iterations to repay the copy (about three).
constexpr size_t kGroupAboveNodes = size_t{1} << 16;
constexpr int kGroupFromIterations = 8;

// Group 0 holds the largest out-degrees (2^31 and up), group 31 degree 1,
// group 32 the dangling nodes, which no arc gathers.
constexpr int kGroups = 33;
inline int DegreeGroup(size_t degree) {
  if (degree == 0) return kGroups - 1;
  return std::max(0, 32 - static_cast<int>(std::bit_width(degree)));
}

// slot[u] for every node: a stable counting sort by DegreeGroup, in
// parallel over blocks of nodes (each block's share of each group is
// counted, then placed after the earlier groups and blocks).
std::vector<Node> GroupByDegree(const CsrGraph& g) {
  constexpr size_t kBlock = size_t{1} << 14;
  const size_t n = g.num_nodes(), blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::array<size_t, kGroups>> at(blocks);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    at[b].fill(0);
    for (size_t u = b * kBlock; u < std::min(n, (b + 1) * kBlock); ++u) {
      ++at[b][DegreeGroup(g.out_degree(static_cast<Node>(u)))];
    }
  });
  size_t total = 0;
  for (int k = 0; k < kGroups; ++k) {
    for (size_t b = 0; b < blocks; ++b) {
      const size_t count = at[b][k];
      at[b][k] = total;
      total += count;
    }
  }
  std::vector<Node> slot(n);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    for (size_t u = b * kBlock; u < std::min(n, (b + 1) * kBlock); ++u) {
      slot[u] = static_cast<Node>(at[b][DegreeGroup(g.out_degree(static_cast<Node>(u)))]++);
    }
  });
  return slot;
}

// The sum of contrib[u] over the arcs [p, end), in four independent
// accumulators (one running sum is a chain of dependent adds). The order of
// the additions is fixed, so results do not depend on scheduling.
inline double SumContributions(const Node* p, const Node* end, const float* contrib) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (; end - p >= 4; p += 4) {
    s0 += contrib[p[0]];
    s1 += contrib[p[1]];
    s2 += contrib[p[2]];
    s3 += contrib[p[3]];
  }
  for (; p != end; ++p) s0 += contrib[*p];
  return (s0 + s1) + (s2 + s3);
}

// What an iteration reads: in-arcs per node, and each node's out-degree
// (from out-offsets, or from a degree array when grouped).
struct Pull {
  const uint64_t* off;
  const Node* arcs;
  const uint64_t* out_off;  // null when `degree` is set
  const uint32_t* degree;
  size_t OutDegree(size_t u) const { return degree ? degree[u] : out_off[u + 1] - out_off[u]; }
};

// The graph renumbered by slot: node i is the node u with slot[u] == i,
// with u's in-arcs (each neighbour replaced by its slot) in their original
// order. Throws std::bad_alloc.
struct GroupedGraph {
  explicit GroupedGraph(const CsrGraph& g);
  Pull view() const { return {off.data(), arcs.data(), nullptr, degree.data()}; }

  std::vector<Node> slot;
  internal::NodeArray<uint64_t> off;
  internal::NodeArray<Node> arcs;  // not zero-filled first
  internal::NodeArray<uint32_t> degree;
};

GroupedGraph::GroupedGraph(const CsrGraph& g)
    : slot(GroupByDegree(g)), off(g.num_nodes() + 1), arcs(g.num_arcs()), degree(g.num_nodes()) {
  const size_t n = g.num_nodes();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (size_t u = r.begin(); u != r.end(); ++u) {
      const Node i = slot[u];
      degree[i] = static_cast<uint32_t>(g.out_degree(static_cast<Node>(u)));
      off[i + 1] = g.in_degree(static_cast<Node>(u));
    }
  });
  off[0] = 0;
  for (size_t i = 0; i < n; ++i) off[i + 1] += off[i];
  // Lists are read in id order (sequentially) and written to their new
  // place: a store to a random place does not stall as a load does.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const auto& r) {
    for (size_t u = r.begin(); u != r.end(); ++u) {
      Node* to = arcs.data() + off[slot[u]];
      for (Node v : g.in_neighbors(static_cast<Node>(u))) *to++ = slot[v];
    }
  });
}

// Stores u's contribution for rank `r`; returns r if u is dangling, else 0.
inline double SetContribution(const Pull& g, size_t u, double r, float* contrib) {
  const size_t d = g.OutDegree(u);
  if (d == 0) {
    contrib[u] = 0;
    return r;
  }
  contrib[u] = static_cast<float>(r / static_cast<double>(d));
  return 0;
}

std::vector<double> Iterate(const Pull& g, size_t n, int iterations, double damping) {
  const double nd = static_cast<double>(n);
  std::vector<double> rank(n, 1.0 / nd);
  internal::NodeArray<float> contrib(n), next_contrib(n);
  float* cur = contrib.data();
  float* next = next_contrib.data();
  double dangling = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, n, 4096), 0.0,
      [&](const auto& r, double sum) {
        for (size_t u = r.begin(); u != r.end(); ++u) sum += SetContribution(g, u, rank[u], cur);
        return sum;
      },
      std::plus<>());
  for (int it = 0; it < iterations; ++it) {
    const double base = (1.0 - damping) / nd + damping * dangling / nd;
    dangling = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, n, 2048), 0.0,
        [&](const auto& r, double dangling_sum) {
          for (size_t v = r.begin(); v != r.end(); ++v) {
            rank[v] =
                base + damping * SumContributions(g.arcs + g.off[v], g.arcs + g.off[v + 1], cur);
            dangling_sum += SetContribution(g, v, rank[v], next);
          }
          return dangling_sum;
        },
        std::plus<>());
    std::swap(cur, next);
  }
  return rank;
}

}  // namespace

std::vector<double> PageRank(const CsrGraph& g, int iterations, double damping) {
  const size_t n = g.num_nodes();
  if (n == 0) return {};
  // (GroupedGraph keeps degrees in 32 bits.)
  if (n > kGroupAboveNodes && iterations >= kGroupFromIterations && g.num_arcs() <= UINT32_MAX) {
    const GroupedGraph gg(g);
    std::vector<double> by_slot = Iterate(gg.view(), n, iterations, damping);
    std::vector<double> rank(n);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& r) {
      for (size_t u = r.begin(); u != r.end(); ++u) rank[u] = by_slot[gg.slot[u]];
    });
    return rank;
  }
  return Iterate(Pull{g.in_offsets().data(), g.in_nbrs().data(), g.out_offsets().data(), nullptr},
                 n, iterations, damping);
}

std::vector<double> PageRankSerial(const CsrGraph& g, int iterations, double damping) {
  const Eigen::Index n = static_cast<Eigen::Index>(g.num_nodes());
  if (n == 0) return {};
  std::vector<Eigen::Triplet<double>> triplets;
  Eigen::VectorXd dangling_mask = Eigen::VectorXd::Zero(n);
  for (Node u = 0; u < g.num_nodes(); ++u) {
    const double d = static_cast<double>(g.out_degree(u));
    if (d == 0) dangling_mask[u] = 1;
    for (Node v : g.out_neighbors(u)) triplets.emplace_back(v, u, 1.0 / d);
  }
  Eigen::SparseMatrix<double> m(n, n);
  m.setFromTriplets(triplets.begin(), triplets.end());  // sums parallel arcs
  Eigen::VectorXd r = Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n));
  for (int it = 0; it < iterations; ++it) {
    const double dangling = dangling_mask.dot(r);
    const double base =
        (1.0 - damping) / static_cast<double>(n) + damping * dangling / static_cast<double>(n);
    Eigen::VectorXd next = damping * (m * r);
    next.array() += base;
    r = next;
  }
  return std::vector<double>(r.data(), r.data() + n);
}

}  // namespace citygraph::algo
