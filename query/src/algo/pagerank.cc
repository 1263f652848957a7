// PageRank as the LDBC Graphalytics specification defines it (Iosup et al.,
// "LDBC Graphalytics", VLDB 2016, section 2.3.3): a fixed number of
// synchronous iterations, ranks start at 1/n, and the rank held by nodes
// without out-arcs is spread evenly over all nodes. The kernel pulls
// contributions along in-arcs, so no atomics are needed.
//
// The verifier uses Eigen: one PageRank iteration is a sparse
// matrix-vector product r' = b + d M r with M(v,u) = 1/outdeg(u), which is
// exactly what a sparse linear algebra library is for and gives an
// implementation independent of the CSR loops.
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <Eigen/SparseCore>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {

std::vector<double> PageRank(const CsrGraph& g, int iterations, double damping) {
  const size_t n = g.num_nodes();
  if (n == 0) return {};
  std::vector<double> rank(n, 1.0 / static_cast<double>(n)), contrib(n), next(n);
  for (int it = 0; it < iterations; ++it) {
    double dangling = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, n, 4096), 0.0,
        [&](const auto& r, double sum) {
          for (size_t u = r.begin(); u != r.end(); ++u) {
            size_t d = g.out_degree(static_cast<Node>(u));
            if (d == 0) {
              sum += rank[u];
              contrib[u] = 0;
            } else {
              contrib[u] = rank[u] / static_cast<double>(d);
            }
          }
          return sum;
        },
        std::plus<>());
    const double base =
        (1.0 - damping) / static_cast<double>(n) + damping * dangling / static_cast<double>(n);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const auto& r) {
      for (size_t v = r.begin(); v != r.end(); ++v) {
        double sum = 0;
        for (Node u : g.in_neighbors(static_cast<Node>(v))) sum += contrib[u];
        next[v] = base + damping * sum;
      }
    });
    rank.swap(next);
  }
  return rank;
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
