// Louvain community detection: Blondel, Guillaume, Lambiotte & Lefebvre,
// "Fast unfolding of communities in large networks", J. Stat. Mech. 2008.
// Each level moves single nodes to the neighbouring community with the
// largest modularity gain until no move helps, then contracts every
// community to one node and repeats on the contracted graph.
//
// Local moving is sequential, in an order shuffled from the seed, so the
// result is deterministic and every move strictly increases modularity
// (parallel local moving can oscillate and loses determinism); the
// contraction and the modularity sums run in parallel.
//
// Conventions: A is the symmetric weight matrix; a self loop is one arc
// (u,u,w) with A_uu = w; k_u = sum_v A_uv; 2m = sum_u k_u;
// Q = sum_c [ in_c / 2m - (tot_c / 2m)^2 ] with in_c = sum_{u,v in c} A_uv.
// The contracted graph keeps A'_CD = sum_{u in C, v in D} A_uv, so Q is
// unchanged by contraction.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

struct WGraph {
  std::vector<uint64_t> off;
  std::vector<Node> nbr;
  std::vector<double> w;
  size_t n() const { return off.size() - 1; }
};

WGraph FromCsr(const CsrGraph& g) {
  WGraph h;
  h.off.assign(g.out_offsets().begin(), g.out_offsets().end());
  h.nbr.assign(g.out_nbrs().begin(), g.out_nbrs().end());
  h.w.assign(h.nbr.size(), 1.0);
  if (g.weighted()) {
    for (Node u = 0; u < g.num_nodes(); ++u) {
      auto ws = g.out_weights(u);
      std::copy(ws.begin(), ws.end(), h.w.begin() + static_cast<ptrdiff_t>(h.off[u]));
    }
  }
  return h;
}

std::vector<double> Strengths(const WGraph& h) {
  std::vector<double> k(h.n(), 0.0);
  tbb::parallel_for(size_t{0}, h.n(), [&](size_t u) {
    double s = 0;
    for (uint64_t p = h.off[u]; p < h.off[u + 1]; ++p) s += h.w[p];
    k[u] = s;
  });
  return k;
}

double LevelModularity(const WGraph& h, const std::vector<double>& k, const std::vector<Node>& comm,
                       double m2) {
  std::vector<double> in(h.n(), 0.0), tot(h.n(), 0.0);
  for (size_t u = 0; u < h.n(); ++u) {
    tot[comm[u]] += k[u];
    for (uint64_t p = h.off[u]; p < h.off[u + 1]; ++p) {
      if (comm[h.nbr[p]] == comm[u]) in[comm[u]] += h.w[p];
    }
  }
  double q = 0;
  for (size_t c = 0; c < h.n(); ++c) q += in[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
  return q;
}

// Moves nodes between communities until a sweep moves none (or the pass
// limit). Returns whether any node moved.
bool LocalMoving(const WGraph& h, const std::vector<double>& k, double m2,
                 const LouvainOptions& opt, std::mt19937_64& rng, std::vector<Node>& comm) {
  const size_t n = h.n();
  std::vector<double> tot(k);  // every node starts alone
  std::vector<Node> order(n);
  std::iota(order.begin(), order.end(), Node{0});
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<double> weight_to(n, 0.0);
  std::vector<uint8_t> seen(n, 0);
  std::vector<Node> touched;
  bool any = false;
  for (int pass = 0; pass < opt.max_passes; ++pass) {
    size_t moves = 0;
    for (Node u : order) {
      const Node cu = comm[u];
      touched.clear();
      for (uint64_t p = h.off[u]; p < h.off[u + 1]; ++p) {
        Node v = h.nbr[p];
        if (v == u) continue;
        Node c = comm[v];
        if (!seen[c]) {
          seen[c] = 1;
          touched.push_back(c);
        }
        weight_to[c] += h.w[p];
      }
      tot[cu] -= k[u];
      Node best = cu;
      double best_gain = weight_to[cu] - tot[cu] * k[u] / m2;
      for (Node c : touched) {
        double gain = weight_to[c] - tot[c] * k[u] / m2;
        if (gain > best_gain + 1e-12) {
          best = c;
          best_gain = gain;
        }
      }
      tot[best] += k[u];
      if (best != cu) {
        comm[u] = best;
        ++moves;
      }
      for (Node c : touched) {
        seen[c] = 0;
        weight_to[c] = 0;
      }
      weight_to[cu] = 0;
    }
    if (moves == 0) break;
    any = true;
  }
  return any;
}

// Renumbers `comm` densely (in order of first appearance); returns the count.
size_t Renumber(std::vector<Node>& comm) {
  std::vector<Node> id(comm.size(), kNoNode);
  Node next = 0;
  for (Node& c : comm) {
    if (id[c] == kNoNode) id[c] = next++;
    c = id[c];
  }
  return next;
}

// Contracts each community to one node (in parallel over communities).
WGraph Contract(const WGraph& h, const std::vector<Node>& comm, size_t nc) {
  std::vector<uint64_t> mstart(nc + 1, 0);
  for (Node c : comm) ++mstart[c + 1];
  for (size_t c = 0; c < nc; ++c) mstart[c + 1] += mstart[c];
  std::vector<Node> members(h.n());
  std::vector<uint64_t> cursor(mstart.begin(), mstart.end() - 1);
  for (Node u = 0; u < h.n(); ++u) members[cursor[comm[u]]++] = u;

  std::vector<std::vector<std::pair<Node, double>>> adj(nc);
  struct Scratch {
    std::vector<double> acc;
    std::vector<Node> touched;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([nc] {
    Scratch s;
    s.acc.assign(nc, 0.0);
    return s;
  });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, nc, 64), [&](const auto& r) {
    Scratch& s = scratch.local();
    for (size_t c = r.begin(); c != r.end(); ++c) {
      s.touched.clear();
      for (uint64_t i = mstart[c]; i < mstart[c + 1]; ++i) {
        Node u = members[i];
        for (uint64_t p = h.off[u]; p < h.off[u + 1]; ++p) {
          Node d = comm[h.nbr[p]];
          if (s.acc[d] == 0) s.touched.push_back(d);
          s.acc[d] += h.w[p];
        }
      }
      std::sort(s.touched.begin(), s.touched.end());
      s.touched.erase(std::unique(s.touched.begin(), s.touched.end()), s.touched.end());
      for (Node d : s.touched) {
        adj[c].emplace_back(d, s.acc[d]);
        s.acc[d] = 0;
      }
    }
  });
  WGraph out;
  out.off.assign(nc + 1, 0);
  for (size_t c = 0; c < nc; ++c) out.off[c + 1] = out.off[c] + adj[c].size();
  out.nbr.resize(out.off[nc]);
  out.w.resize(out.off[nc]);
  tbb::parallel_for(size_t{0}, nc, [&](size_t c) {
    for (size_t i = 0; i < adj[c].size(); ++i) {
      out.nbr[out.off[c] + i] = adj[c][i].first;
      out.w[out.off[c] + i] = adj[c][i].second;
    }
  });
  return out;
}

}  // namespace

LouvainResult Louvain(const CsrGraph& input, const LouvainOptions& options) {
  CsrGraph converted;
  if (input.directed()) converted = MakeUndirected(input);
  const CsrGraph& g = input.directed() ? converted : input;
  LouvainResult result;
  result.community.resize(g.num_nodes());
  std::iota(result.community.begin(), result.community.end(), Node{0});
  WGraph h = FromCsr(g);
  std::vector<double> k = Strengths(h);
  const double m2 = std::accumulate(k.begin(), k.end(), 0.0);
  if (g.num_nodes() == 0 || m2 <= 0) return result;
  std::mt19937_64 rng(options.seed);
  std::vector<Node> singletons(h.n());
  std::iota(singletons.begin(), singletons.end(), Node{0});
  double prev_q = LevelModularity(h, k, singletons, m2);
  result.modularity = prev_q;
  for (int level = 0; level < options.max_levels; ++level) {
    std::vector<Node> comm(h.n());
    std::iota(comm.begin(), comm.end(), Node{0});
    if (!LocalMoving(h, k, m2, options, rng, comm)) break;
    const size_t nc = Renumber(comm);
    const double q = LevelModularity(h, k, comm, m2);
    tbb::parallel_for(size_t{0}, result.community.size(),
                      [&](size_t u) { result.community[u] = comm[result.community[u]]; });
    result.level_modularity.push_back(q);
    result.modularity = q;
    h = Contract(h, comm, nc);
    k = Strengths(h);
    if (q - prev_q < options.min_gain) break;
    prev_q = q;
  }
  return result;
}

double Modularity(const CsrGraph& g, std::span<const Node> community) {
  double m2 = 0;
  std::vector<double> in(g.num_nodes(), 0.0), tot(g.num_nodes(), 0.0);
  for (Node u = 0; u < g.num_nodes(); ++u) {
    auto nbrs = g.out_neighbors(u);
    auto ws = g.out_weights(u);
    for (size_t i = 0; i < nbrs.size(); ++i) {
      const double w = ws.empty() ? 1.0 : ws[i];
      m2 += w;
      tot[community[u]] += w;
      if (community[nbrs[i]] == community[u]) in[community[u]] += w;
    }
  }
  if (m2 <= 0) return 0;
  double q = 0;
  for (size_t c = 0; c < g.num_nodes(); ++c) q += in[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
  return q;
}

}  // namespace citygraph::algo
