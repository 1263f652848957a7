// query_bench: timings of the query library on an ingested city.
//
//   query_bench --db DIR [--as-of 2024-06-30] [--samples 1000] [--seed 1]
//               [--repeat 10] [--only conflicts,locate,khop,paths] [--no-aux]
//
// Prints: full conflict audit (default rules; best and median of --repeat
// runs, the first of which is cold), batch locate of 1,000 and 25,861
// identity numbers of random persons (best/median of --repeat, timed until
// the answer is returned; freeing it is timed apart), 2-hop neighbourhood of
// random persons (ids only and with evidence; p50/p99), shortest path between
// random persons with the Connections filter and with every label (p50/p99),
// all on the database's snapshot.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <random>

#include "citygraph/query/conflicts.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/traverse.h"

using namespace citygraph;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[i];
}

// Runs fn() n times and prints the best and median wall time. `release`,
// when given, runs after each timed call, timed apart: it frees the answer,
// which is ready when fn returns (a consumer frees it after use; the service
// frees locate rows in parallel as it converts them).
template <typename Fn>
void Repeat(const char* name, int n, Fn fn, std::function<void()> release = nullptr) {
  std::vector<double> t, cpu, freeing;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    std::clock_t c0 = std::clock();
    std::string note = fn();
    cpu.push_back(1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC);
    t.push_back(Ms(t0));
    if (i == 0) std::printf("  %s: %s\n", name, note.c_str());
    if (release) {
      auto f0 = Clock::now();
      release();
      freeing.push_back(Ms(f0));
    }
  }
  // CPU time (all threads) shows how much of the wall time a loaded machine
  // spent running other processes.
  std::printf("%-28s best %9.2f ms   median %9.2f ms   (cpu, all threads: median %.2f ms)", name,
              Pct(t, 0), Pct(t, 0.5), Pct(cpu, 0.5));
  if (release) std::printf("   then freeing the answer: median %.2f ms", Pct(freeing, 0.5));
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Query library benchmark"};
  std::string dir, as_of = "2024-06-30";
  size_t samples = 1000;
  int repeat = 10;
  uint64_t seed = 1;
  bool no_aux = false;
  std::string only;
  app.add_option("--db", dir, "Ingested database directory")->required();
  app.add_option("--as-of", as_of, "As-of date");
  app.add_option("--samples", samples, "Random persons / pairs for the latency figures");
  app.add_option("--seed", seed, "Random seed");
  app.add_option("--repeat", repeat, "Runs of each conflict audit / locate batch (best, median)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--no-aux", no_aux, "Do not look up entity-resolution matches (er.match)");
  app.add_option("--only", only,
                 "Comma-separated sections to run: conflicts, locate, khop, paths (default all)");
  CLI11_PARSE(app, argc, argv);
  auto run = [&](std::string_view section) {
    if (only.empty()) return true;
    std::string list = "," + only + ",";
    return list.find("," + std::string(section) + ",") != std::string::npos;
  };

  auto d = Date::Parse(as_of);
  if (!d.ok()) return std::fprintf(stderr, "%s\n", d.status().ToString().c_str()), 2;
  DatabaseOptions opts;
  opts.read_only = true;
  auto t_open = Clock::now();
  auto db = Database::Open(dir, opts);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
  std::printf("open (builds the in-memory graph): %.0f ms\n", Ms(t_open));
  query::QueryContext ctx = query::QueryContext::FromDatabase(**db);
  if (no_aux) ctx.aux = nullptr;
  const Snapshot& snap = ctx.snap();
  std::printf("vertices %zu  edges %zu\n", snap.num_vertices(), snap.num_edges());

  LabelId person = *snap.schema().FindLabel("Person");
  KeyKindId id_kind = *snap.schema().FindKeyKind("id_number");
  std::vector<VertexId> persons = snap.vertices_with_label(person);
  std::vector<std::string> numbers;
  for (VertexId p : persons)
    for (auto& [k, v] : snap.keys(p))
      if (k == id_kind) numbers.push_back(v);
  std::printf("persons %zu  with identity numbers %zu\n", persons.size(), numbers.size());
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) {
    std::vector<std::string> out;
    std::uniform_int_distribution<size_t> u(0, numbers.size() - 1);
    for (size_t i = 0; i < n; ++i) out.push_back(numbers[u(rng)]);
    return out;
  };

  query::Limits unlimited = query::Limits::Unlimited();
  if (run("conflicts"))
    Repeat("conflict audit", repeat, [&] {
      auto r = query::FindConflicts(ctx, query::ConflictRules::Default(), *d, unlimited);
      if (!r.ok()) return r.status().ToString();
      return std::to_string(r->recipients_checked) + " recipients, " +
             std::to_string(r->households.size()) + " flagged";
    });
  for (size_t n : {size_t{1000}, size_t{25861}}) {
    std::vector<std::string> ids = pick(n);  // drawn even when skipped: same pairs below
    if (!run("locate")) continue;
    std::string name = "locate " + std::to_string(n);
    std::optional<query::LocateResult> answer;
    Repeat(
        name.c_str(), repeat,
        [&] {
          auto r = query::Locate(ctx, ids, *d, query::RankingConfig::Default(), unlimited);
          if (!r.ok()) return r.status().ToString();
          size_t found = 0;
          for (const auto& row : r->rows) found += row.status == query::LocateStatus::kFound;
          answer = std::move(*r);
          return std::to_string(found) + " found";
        },
        [&] { answer.reset(); });
  }

  std::uniform_int_distribution<size_t> up(0, persons.size() - 1);
  query::Filter f;
  f.as_of = *d;
  std::vector<double> t_ids, t_full;
  size_t total_v = 0;
  for (size_t i = 0; i < samples && run("khop"); ++i) {
    VertexId p = persons[up(rng)];
    auto t0 = Clock::now();
    auto r = query::KHopIdsOnly(ctx, p, 2, f, query::Limits{});
    t_ids.push_back(Ms(t0));
    total_v += r.ok() ? r->vertices.size() : 0;
    t0 = Clock::now();
    auto g = query::KHop(ctx, p, 2, f, query::Limits{});
    t_full.push_back(Ms(t0));
  }
  if (run("khop")) {
    std::printf("%-28s p50 %8.3f ms   p99 %8.3f ms   (mean %.1f vertices)\n", "2-hop ids",
                Pct(t_ids, .5), Pct(t_ids, .99), double(total_v) / samples);
    std::printf("%-28s p50 %8.3f ms   p99 %8.3f ms\n", "2-hop with evidence", Pct(t_full, .5),
                Pct(t_full, .99));
  }

  query::ConnectionOptions copt;
  copt.as_of = *d;
  copt.max_hops = 6;
  auto conn = query::ConnectionPathOptions(snap.schema(), copt);
  query::PathOptions all{f, 10};
  for (auto [name, po] : {std::pair{"shortest path (connections)", *conn},
                          std::pair{"shortest path (all labels)", all}}) {
    if (!run("paths")) break;
    std::vector<double> t_sp;
    size_t reached = 0, truncated = 0;
    // Process CPU: only this thread works during the loop.
    const std::clock_t cpu0 = std::clock();
    for (size_t i = 0; i < samples; ++i) {
      VertexId a = persons[up(rng)], b = persons[up(rng)];
      query::Truncation tr;
      auto t0 = Clock::now();
      auto r = query::ShortestDistance(ctx, a, b, po, query::Limits{}, &tr);
      t_sp.push_back(Ms(t0));
      reached += r.ok() && r->has_value();
      truncated += tr.truncated;
    }
    const double cpu = 1000.0 * double(std::clock() - cpu0) / CLOCKS_PER_SEC;
    std::printf(
        "%-28s p50 %8.3f ms   p99 %8.3f ms   (%zu of %zu within %d hops, %zu truncated; "
        "CPU %.0f ms)\n",
        name, Pct(t_sp, .5), Pct(t_sp, .99), reached, samples, po.max_hops, truncated, cpu);
  }
  return 0;
}
