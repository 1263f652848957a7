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
// so contributions are floats (half the bytes of doubles). Sums and ranks
// stay double; a float contribution has relative error 2^-24 and the sums
// are of non-negative terms, so every rank is within ~1e-7 relative of the
// all-double result, far inside Graphalytics' 1e-4. (Renumbering the nodes
// by degree-based grouping inside the kernel, Faldu et al., IISWC 2019,
// was tried and removed: back-to-back CPU A/B at Kronecker scale 20 showed
// no consistent gain; see BENCHMARKS.md.)
//
// The verifier uses Eigen: one PageRank iteration is a sparse
// matrix-vector product r' = b + d M r with M(v,u) = 1/outdeg(u), which is
// exactly what a sparse linear algebra library is for and gives an
// implementation independent of the CSR loops.
#include <tbb/parallel_reduce.h>

#include <Eigen/SparseCore>
#include <functional>

#include "citygraph/algo/kernels.h"
#include "parallel_util.h"

namespace citygraph::algo {
namespace {

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

// What an iteration reads: in-arcs per node and out-offsets (degrees).
struct Pull {
  const uint64_t* off;
  const Node* arcs;
  const uint64_t* out_off;
  size_t OutDegree(size_t u) const { return out_off[u + 1] - out_off[u]; }
};

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
  return Iterate(Pull{g.in_offsets().data(), g.in_nbrs().data(), g.out_offsets().data()}, n,
                 iterations, damping);
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
