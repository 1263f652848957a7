// algo_bench: times the graph kernels of citygraph_algo on a GAP edge list
// or a generated Graph500 Kronecker graph, with a fixed thread count.
// Loading/generation is timed separately from the kernels; each kernel
// runs --trials times and the median is reported. Lines starting with
// "RESULT" are read by benchmarks/run_algo_bench.sh.
//
//   algo_bench --kron 20 --write-el /tmp/kron20.el --threads 2 --trials 5
//   algo_bench --el graph.el --kernels bfs,wcc --verify
#include <tbb/global_control.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "citygraph/algo/graph_io.h"
#include "citygraph/algo/kernels.h"

namespace citygraph::algo {
namespace {

// CPU seconds of the whole process (all threads): on a shared machine this
// is the figure to compare during development; wall time is the verdict
// only on a quiet machine.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double g_last_cpu = 0;  // CPU seconds of the last Seconds() call

double Seconds(const std::function<void()>& fn) {
  const double c0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  fn();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  g_last_cpu = CpuSeconds() - c0;
  return wall;
}

// The number after `key` on the first line of a /proc file that starts
// with it, or -1. Each run records whether its memory got transparent huge
// pages, one cause of the spread between runs of one binary (BENCHMARKS.md).
long ProcValue(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  }
  return -1;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Sources with at least one arc, picked deterministically (as GAP picks
// random non-isolated sources).
std::vector<Node> PickSources(const CsrGraph& g, int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Node> pick(0, static_cast<Node>(g.num_nodes() - 1));
  std::vector<Node> out;
  while (static_cast<int>(out.size()) < count) {
    Node s = pick(rng);
    if (g.out_degree(s) > 0) out.push_back(s);
  }
  return out;
}

int Run(int argc, char** argv) {
  CLI::App app{"Times citygraph_algo kernels (median of several trials)"};
  std::string el, write_el, kernels_arg = "bfs,wcc,pr,sssp,bc,tc,kcore,lcc,cdlp,louvain";
  int scale = 0, trials = 5, threads = 2, pr_iterations = 20, cdlp_iterations = 10;
  double delta = 2.0;
  uint64_t seed = 27491095;
  bool verify = false, weighted = true;
  app.add_option("--el", el, "read this .el (or .wel with --weighted) edge list");
  app.add_option("--kron", scale, "generate a Kronecker graph of this scale instead");
  app.add_option("--write-el", write_el,
                 "write the graph as .el (and, if weighted, FILE.w weights) for igraph_bench.py");
  app.add_option("--kernels", kernels_arg, "comma-separated kernels to time");
  app.add_option("--trials", trials, "trials per kernel");
  app.add_option("--threads", threads, "oneTBB threads");
  app.add_option("--delta", delta, "SSSP delta-stepping bucket width");
  app.add_option("--seed", seed, "generator and source seed");
  app.add_flag("--weighted,!--unweighted", weighted, "weights 1..255 (Kronecker) / read .wel");
  app.add_flag("--verify", verify, "check each kernel's result against its serial verifier");
  CLI11_PARSE(app, argc, argv);
  if (el.empty() == (scale == 0)) {
    std::fprintf(stderr, "error: give exactly one of --el FILE or --kron SCALE\n");
    return 2;
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<size_t>(threads));

  CsrGraph g;
  double load = Seconds([&] {
    if (scale > 0) {
      g = GenerateKronecker({.scale = scale, .seed = seed, .weighted = weighted});
    } else {
      auto r = ReadEdgeList(el, /*directed=*/false, weighted);
      if (!r.ok()) {
        std::fprintf(stderr, "error: %s\n", r.status().ToString().c_str());
        std::exit(1);
      }
      g = std::move(r).value();
    }
  });
  std::printf("graph: %zu nodes, %zu undirected edges, %s; load %.3f s; %d threads\n",
              g.num_nodes(), g.num_edges(), weighted ? "weights 1..255" : "unweighted", load,
              threads);
  std::printf("RESULT load %.6f\n", load);
  std::printf("memory: rss %ld MiB, on huge pages %ld MiB\n",
              ProcValue("/proc/self/smaps_rollup", "Rss:") / 1024,
              ProcValue("/proc/self/smaps_rollup", "AnonHugePages:") / 1024);
  if (!write_el.empty()) {
    Status st = WriteEdgeList(g, write_el, false);
    if (st.ok() && weighted) {
      // Weights one per line, in the .el's edge order.
      std::string text;
      for (Node u = 0; u < g.num_nodes(); ++u) {
        auto nbrs = g.out_neighbors(u);
        auto ws = g.out_weights(u);
        for (size_t i = 0; i < nbrs.size(); ++i) {
          if (nbrs[i] > u) text += std::to_string(static_cast<int>(ws[i])) + "\n";
        }
      }
      std::FILE* f = std::fopen((write_el + ".w").c_str(), "w");
      st = f && std::fwrite(text.data(), 1, text.size(), f) == text.size() && !std::fclose(f)
               ? Status::OK()
               : IOError("cannot write " + write_el + ".w");
    }
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", st.ToString().c_str());
      return 1;
    }
    // Write the files back now: the kernel's flusher threads would otherwise
    // write them out (hundreds of MB at scale 20) while the kernels are timed.
    ::sync();
  }
  std::vector<Node> sources = PickSources(g, trials, seed);
  std::printf("SOURCES");
  for (Node s : sources) std::printf(" %u", s);
  std::printf("\n");

  // Each kernel: run(trial) stores its result; check(trial) compares the
  // stored result with the serial verifier (only with --verify, untimed).
  struct Kernel {
    std::function<void(int)> run;
    std::function<bool(int)> check;
  };
  std::vector<int32_t> depth;
  std::vector<Node> comp;
  std::vector<double> reals;
  std::vector<uint32_t> cores;
  std::vector<int64_t> labels;
  uint64_t triangles = 0;
  // Within `rel` relative plus `abs` absolute of the verifier's values.
  auto close = [](const std::vector<double>& a, const std::vector<double>& b, double rel = 1e-9,
                  double abs = 1e-9) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::abs(a[i] - b[i]) > abs + rel * std::abs(b[i])) return false;
    }
    return true;
  };
  std::map<std::string, Kernel> kernels;
  kernels["bfs"] = {[&](int t) { depth = Bfs(g, sources[t]); },
                    [&](int t) { return depth == BfsSerial(g, sources[t]); }};
  kernels["wcc"] = {[&](int) { comp = Wcc(g); },
                    [&](int) { return SamePartition(comp, WccSerial(g)); }};
  kernels["pr"] = {
      [&](int) { reals = PageRank(g, pr_iterations, 0.85); },
      [&](int) { return close(reals, PageRankSerial(g, pr_iterations, 0.85), 1e-6, 0); }};
  kernels["sssp"] = {[&](int t) { reals = Sssp(g, sources[t], delta); },
                     [&](int t) { return reals == SsspSerial(g, sources[t]); }};
  kernels["bc"] = {
      [&](int t) { reals = Betweenness(g, std::vector<Node>{sources[t]}); },
      [&](int t) { return close(reals, BetweennessSerial(g, std::vector<Node>{sources[t]})); }};
  kernels["tc"] = {[&](int) { triangles = TriangleCount(g); },
                   [&](int) {
                     std::printf("  triangles: %llu\n", static_cast<unsigned long long>(triangles));
                     return triangles == TriangleCountSerial(g);
                   }};
  kernels["kcore"] = {[&](int) { cores = CoreNumbers(g); },
                      [&](int) { return cores == CoreNumbersSerial(g); }};
  kernels["lcc"] = {[&](int) { reals = Lcc(g); }, [&](int) { return close(reals, LccSerial(g)); }};
  kernels["cdlp"] = {[&](int) { labels = Cdlp(g, cdlp_iterations); },
                     [&](int) { return labels == CdlpSerial(g, cdlp_iterations); }};
  kernels["louvain"] = {[&](int) { reals = {Louvain(g, {.seed = seed}).modularity}; },
                        [&](int) {
                          std::printf("  modularity: %.6f\n", reals[0]);
                          return reals[0] > 0;
                        }};

  std::stringstream list(kernels_arg);
  std::string name;
  bool all_ok = true;
  while (std::getline(list, name, ',')) {
    auto it = kernels.find(name);
    if (it == kernels.end()) {
      std::fprintf(stderr, "error: unknown kernel '%s'\n", name.c_str());
      return 2;
    }
    // One trial for the slow whole-graph kernels, as GAP does for tc.
    const int n = (name == "tc" || name == "louvain" || name == "lcc" || name == "cdlp")
                      ? std::min(trials, 3)
                      : trials;
    std::vector<double> times, cpu;
    const long thp_alloc = ProcValue("/proc/vmstat", "thp_fault_alloc ");
    const long thp_fallback = ProcValue("/proc/vmstat", "thp_fault_fallback ");
    bool ok = true;
    for (int t = 0; t < n; ++t) {
      times.push_back(Seconds([&] { it->second.run(t); }));
      cpu.push_back(g_last_cpu);
      if (verify) ok = it->second.check(t) && ok;
    }
    all_ok = all_ok && ok;
    std::printf("%-8s median %.4f s  min %.4f s  cpu %.4f s  (%d trials)%s\n", name.c_str(),
                Median(times), *std::min_element(times.begin(), times.end()), Median(cpu), n,
                verify ? (ok ? "  verified" : "  VERIFY FAILED") : "");
    std::printf("  %s trials (s):", name.c_str());
    for (double t : times) std::printf(" %.4f", t);
    std::printf("\n");
    std::printf("  %s huge page faults (machine-wide): %ld, fell back to 4 KiB: %ld\n",
                name.c_str(), ProcValue("/proc/vmstat", "thp_fault_alloc ") - thp_alloc,
                ProcValue("/proc/vmstat", "thp_fault_fallback ") - thp_fallback);
    std::printf("RESULT %s %.6f\n", name.c_str(), Median(times));
    std::fflush(stdout);
  }
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace citygraph::algo

int main(int argc, char** argv) { return citygraph::algo::Run(argc, argv); }
