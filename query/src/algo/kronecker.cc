// Graph500 Kronecker generator (Leskovec et al., "Kronecker graphs", JMLR
// 2010; parameters of the Graph500 specification: A=0.57, B=0.19, C=0.19).
// Each block of edges draws from its own generator seeded from (seed,
// block), so the graph depends on the seed only, not on the thread count.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "citygraph/algo/graph_io.h"

namespace citygraph::algo {
namespace {

constexpr double kA = 0.57, kB = 0.19, kC = 0.19;
constexpr size_t kBlock = 1 << 16;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

CsrGraph GenerateKronecker(const KroneckerOptions& options) {
  const size_t n = size_t{1} << options.scale;
  const size_t m = n * static_cast<size_t>(options.edge_factor);
  EdgeList list;
  list.num_nodes = n;
  list.edges.resize(m);
  if (options.weighted) list.weights.resize(m);
  // Random relabelling so that ids carry no degree information.
  std::vector<Node> perm(n);
  std::iota(perm.begin(), perm.end(), Node{0});
  std::mt19937_64 perm_rng(SplitMix64(options.seed));
  std::shuffle(perm.begin(), perm.end(), perm_rng);
  const size_t blocks = (m + kBlock - 1) / kBlock;
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    std::mt19937_64 rng(SplitMix64(options.seed ^ SplitMix64(b + 1)));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> weight(1, 255);
    const size_t end = std::min(m, (b + 1) * kBlock);
    for (size_t i = b * kBlock; i < end; ++i) {
      uint64_t src = 0, dst = 0;
      for (int level = 0; level < options.scale; ++level) {
        double r = unit(rng);
        src <<= 1;
        dst <<= 1;
        if (r < kA) {
        } else if (r < kA + kB) {
          dst |= 1;
        } else if (r < kA + kB + kC) {
          src |= 1;
        } else {
          src |= 1;
          dst |= 1;
        }
      }
      list.edges[i] = {perm[src], perm[dst]};
      if (options.weighted) list.weights[i] = weight(rng);
    }
  });
  BuildOptions opt;
  opt.directed = false;
  opt.remove_self_loops = true;
  opt.remove_duplicates = true;
  return CsrGraph::Build(std::move(list), opt);
}

}  // namespace citygraph::algo
