// graph_core_bench: builds a synthetic graph through the bulk path and
// prints bulk-load throughput, reopen time, memory per vertex and per edge,
// parallel full out-neighbour scan rate and external-key lookup latency.
//
//   graph_core_bench --vertices 5000000 --edges 25000000 --dir /tmp/cg_bench
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "citygraph/graph.h"

namespace {

using namespace citygraph;
using Clock = std::chrono::steady_clock;

constexpr const char* kSchema = R"(
key_kinds: [id_number]
vertex_labels:
  Person:
    keys: [id_number]
    properties: {name: string, birth_date: date}
edge_types:
  KNOWS:
    from: [Person]
    to: [Person]
    properties: {weight: double}
)";

// CPU seconds (user + system, all threads) used by this process so far.
double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Resident set size of this process, from /proc/self/statm.
size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string KeyOf(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "42%016llu", static_cast<unsigned long long>(i));
  return buf;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"graph-core benchmark"};
  size_t n = 5'000'000, m = 25'000'000, chunk = 0, lookups = 1'000'000;
  std::string dir = "/tmp/cg_core_bench";
  int scan_rounds = 5;
  app.add_option("--vertices", n, "Persons to create");
  app.add_option("--edges", m, "KNOWS edges to create");
  app.add_option("--chunk", chunk, "Edges per BulkWrite call (default: all in one call)");
  app.add_option("--lookups", lookups, "Random key lookups to time");
  app.add_option("--scan-rounds", scan_rounds, "Full scans to time");
  app.add_option("--dir", dir, "Database directory (wiped first)");
  bool scan_reopen = false;
  app.add_flag("--scan-reopen", scan_reopen,
               "Reopen by scanning RocksDB even if a current graph image exists");
  bool measure_only = false;
  app.add_flag("--measure-only", measure_only,
               "Skip the load; reopen --dir and measure (the load phase re-executes the "
               "program with this flag so memory is measured in a fresh process)");
  CLI11_PARSE(app, argc, argv);

  if (chunk == 0) chunk = std::max<size_t>(m, 1);
  auto schema = Schema::Parse(kSchema);
  if (!schema.ok()) return Fail(schema.status());
  if (!measure_only) {
    std::filesystem::remove_all(dir);
    std::printf("graph_core_bench: %zu vertices, %zu edges, %u hardware threads, dir %s\n", n, m,
                std::thread::hardware_concurrency(), dir.c_str());
  }

  // ---- bulk load ----
  double vertex_secs = 0, edge_secs = 0, edge_cpu = 0;
  if (!measure_only) {
    DatabaseOptions options;
    options.delta_rebuild_edges = m + 1;
    auto db = Database::Create(dir, *schema, options);
    if (!db.ok()) return Fail(db.status());
    auto src = (*db)->RegisterSource("bench", "synthetic");
    if (!src.ok()) return Fail(src.status());
    {
      WriteBatch b(*schema);
      for (size_t i = 0; i < n; ++i) {
        VertexRef v = b.AddVertex(0);
        b.AddKey(v, 0, KeyOf(i));
        b.SetProperty(v, 0, "P" + std::to_string(i), SourceRef{*src, uint32_t(i), 0});
        b.SetProperty(v, 1, Date{static_cast<int32_t>(-10000 + SplitMix(i) % 25000)},
                      SourceRef{*src, uint32_t(i), 0});
      }
      auto t = Clock::now();
      const double cpu = CpuSeconds();
      auto r = (*db)->BulkWrite(b);
      if (!r.ok()) return Fail(r.status());
      vertex_secs = Seconds(t);
      std::printf(
          "bulk load vertices: %zu in %.2f s (%.2f CPU-s) = %.0f vertices/s (key + 2 "
          "properties each)\n",
          n, vertex_secs, CpuSeconds() - cpu, n / vertex_secs);
    }
    for (size_t done = 0; done < m; done += chunk) {
      WriteBatch b(*schema);
      const size_t end = std::min(m, done + chunk);
      for (size_t i = done; i < end; ++i) {
        const uint64_t h = SplitMix(i + 1'000'000'007ull);
        EdgeSpec e;
        e.type = 0;
        e.src = VertexRef::Existing(static_cast<VertexId>(h % n));
        e.dst = VertexRef::Existing(static_cast<VertexId>((h >> 32) % n));
        e.valid_from = Date{static_cast<int32_t>(i % 20000)};
        e.source = SourceRef{*src, static_cast<uint32_t>(i), 0};
        if (i % 5 == 0) e.props.emplace_back(0, 0.5);
        b.AddEdge(std::move(e));
      }
      auto t = Clock::now();
      const double cpu = CpuSeconds();
      auto r = (*db)->BulkWrite(b);
      if (!r.ok()) return Fail(r.status());
      edge_secs += Seconds(t);
      edge_cpu += CpuSeconds() - cpu;
      std::printf("  BulkWrite of %zu edges (%zu total): %.2f s, %.2f CPU-s\n", end - done, end,
                  Seconds(t), CpuSeconds() - cpu);
    }
    std::printf(
        "bulk load edges: %zu in %.2f s (%.2f CPU-s) = %.0f edges/s (validation, SST "
        "write + ingest, CSR rebuild)\n",
        m, edge_secs, edge_cpu, m / edge_secs);
    {
      auto t = Clock::now();
      const double cpu = CpuSeconds();
      db->reset();
      std::printf("close (saves the graph image): %.2f s (%.2f CPU-s)\n", Seconds(t),
                  CpuSeconds() - cpu);
    }
    std::fflush(stdout);
    // Measure in a fresh process, so RSS is not inflated by the load phase.
    std::vector<char*> args(argv, argv + argc);
    std::string flag = "--measure-only";
    args.push_back(flag.data());
    args.push_back(nullptr);
    execv("/proc/self/exe", args.data());
    std::perror("execv");
    return 1;
  }

  // ---- reopen ----
  const size_t rss_before = RssBytes();
  auto t = Clock::now();
  double cpu = CpuSeconds();
  DatabaseOptions options;
  options.block_cache_bytes = 8 << 20;
  options.graph_image = !scan_reopen;
  auto db = Database::Open(dir, options);
  if (!db.ok()) return Fail(db.status());
  const double reopen = Seconds(t);
  const size_t rss_after = RssBytes();
  auto snap = (*db)->GetSnapshot();
  DatabaseStats st = (*db)->Stats();
  std::printf(
      "reopen (%s -> in-memory CSR): %.2f s (%.2f CPU-s) for %zu vertices, %zu "
      "edges\n",
      st.opened_from_image ? "graph image" : "RocksDB scan", reopen, CpuSeconds() - cpu,
      snap->num_vertices(), snap->num_edges());
  const double rss_delta = static_cast<double>(rss_after - rss_before);
  std::printf("resident memory (RSS delta over reopen): %.2f GiB\n", rss_delta / (1 << 30));
  const double fixed_edge = sizeof(EdgeRecord) + 2 * sizeof(AdjEntry);
  std::printf(
      "computed memory: %.2f GiB total (Stats().memory_bytes); per edge fixed: %.0f B "
      "(%zu B record + 2 x %zu B adjacency); per vertex: %.1f B after edges\n",
      st.memory_bytes / double(1 << 30), fixed_edge, sizeof(EdgeRecord), sizeof(AdjEntry),
      (st.memory_bytes - fixed_edge * m) / double(n));
  std::printf(
      "RSS per edge if all RSS is charged to edges: %.1f B; RSS per vertex if "
      "edge share is %.0f B/edge: %.1f B\n",
      rss_delta / m, fixed_edge, (rss_delta - fixed_edge * m) / n);
  std::printf("disk: %.2f GiB\n", st.disk_bytes / double(1 << 30));

  // ---- full out-neighbour scan ----
  double best_scan = 1e30;
  for (int round = 0; round < scan_rounds; ++round) {
    t = Clock::now();
    cpu = CpuSeconds();
    const uint64_t sum = tbb::parallel_reduce(
        tbb::blocked_range<VertexId>(0, static_cast<VertexId>(snap->num_vertices()), 1 << 14),
        uint64_t{0},
        [&](const auto& r, uint64_t acc) {
          for (VertexId v = r.begin(); v != r.end(); ++v) {
            for (const AdjEntry& a : snap->out_edges(v)) acc += a.nbr;
          }
          return acc;
        },
        std::plus<>());
    const double secs = Seconds(t);
    best_scan = std::min(best_scan, secs);
    std::printf(
        "full out-neighbour scan %d: %.3f s (%.3f CPU-s) = %.0f M edges/s (checksum "
        "%llu)\n",
        round, secs, CpuSeconds() - cpu, snap->num_edges() / secs / 1e6,
        static_cast<unsigned long long>(sum));
  }
  std::printf("full out-neighbour scan, best of %d: %.0f M edges/s\n", scan_rounds,
              snap->num_edges() / best_scan / 1e6);
  {
    t = Clock::now();
    const uint64_t count = tbb::parallel_reduce(
        tbb::blocked_range<VertexId>(0, static_cast<VertexId>(snap->num_vertices()), 1 << 14),
        uint64_t{0},
        [&](const auto& r, uint64_t acc) {
          for (VertexId v = r.begin(); v != r.end(); ++v) {
            for (const AdjEntry& a : snap->out_edges(v)) {
              const EdgeRecord& e = snap->edge(a.edge);
              acc += ValidOn(e.valid_from, e.valid_to, Date{10000});
            }
          }
          return acc;
        },
        std::plus<>());
    const double secs = Seconds(t);
    std::printf(
        "scan reading each edge record (as-of date filter): %.3f s = %.0f M edges/s "
        "(%llu valid)\n",
        secs, snap->num_edges() / secs / 1e6, static_cast<unsigned long long>(count));
  }

  // ---- key lookups ----
  std::vector<std::string> keys(lookups);
  for (size_t i = 0; i < lookups; ++i) keys[i] = KeyOf(SplitMix(i * 7 + 3) % n);
  t = Clock::now();
  cpu = CpuSeconds();
  size_t found = 0;
  for (const auto& k : keys) found += snap->FindByKey(0, k).ok();
  const double secs = Seconds(t);
  std::printf(
      "key lookup: %zu random keys, %.0f ns/op wall, %.0f ns/op CPU, single thread (%zu "
      "found)\n",
      lookups, secs * 1e9 / lookups, (CpuSeconds() - cpu) * 1e9 / lookups, found);
  return found == lookups ? 0 : 1;
}
