// Ingest benchmark: generates a city with datagen (unless WORK/city exists),
// bulk-ingests every department file through ingest/mappings into a fresh
// database at WORK/db, prints rows, wall time and records/s of the ingest
// (file checks, parsing, resolution, durable storage), then evaluates
// entity resolution against the truth (--no-eval skips that). Run under
// /usr/bin/time -v for peak RSS:
//
//   nice -n 10 /usr/bin/time -v build/bin/ingest_bench --persons 1000000 --work /tmp/cg1m
//
// --fingerprint also prints a hash of everything the ingest stored (vertex
// ids, labels, keys, properties with their sources, edges, resolution and
// record-link aux records; not the commit times), from memory and again from
// the reopened database, so two builds can be checked to load the same graph.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "citygraph/datagen/datagen.h"
#include "citygraph/graph.h"
#include "citygraph/ingest/eval_er.h"
#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/mapping.h"

namespace fs = std::filesystem;
using namespace citygraph;

// User + system CPU seconds of the whole process so far (all threads).
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// FNV-1a over everything the ingest stored that does not depend on when it
// ran: vertices (label, keys, property observations), edges (record without
// batch, properties) and the ingest's aux namespaces.
class Fingerprint {
 public:
  void Add(std::string_view s) {
    U64(s.size());
    for (unsigned char c : s) h_ = (h_ ^ c) * 1099511628211ull;
  }
  void U64(uint64_t x) {
    for (int i = 0; i < 8; ++i) h_ = (h_ ^ ((x >> (8 * i)) & 0xff)) * 1099511628211ull;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ull;
};

uint64_t GraphFingerprint(const Database& db) {
  auto snap = db.GetSnapshot();
  Fingerprint f;
  f.U64(snap->num_vertices());
  for (VertexId v = 0; v < snap->num_vertices(); ++v) {
    f.U64(snap->label(v));
    auto keys = snap->keys(v);
    std::sort(keys.begin(), keys.end());
    for (const auto& [kind, value] : keys) {
      f.U64(kind);
      f.Add(value);
    }
    for (const PropertyObservation& o : snap->properties(v)) {
      f.U64(o.prop);
      f.U64(o.source.source);
      f.U64(o.source.record);
      f.U64(o.value.index());
      f.Add(ValueToString(o.value));
    }
  }
  f.U64(snap->num_edges());
  for (EdgeId e = 0; e < snap->num_edges(); ++e) {
    const EdgeRecord& r = snap->edge(e);
    for (uint64_t x :
         {uint64_t{r.src}, uint64_t{r.dst}, uint64_t{r.type},
          static_cast<uint64_t>(r.valid_from.days), static_cast<uint64_t>(r.valid_to.days),
          uint64_t{r.source.source}, uint64_t{r.source.record}}) {
      f.U64(x);
    }
    for (const auto& [prop, value] : snap->edge_properties(e)) {
      f.U64(prop);
      f.Add(ValueToString(value));
    }
  }
  for (const char* ns : {"er.match", "er.review", "ingest.links"}) {
    auto kvs = db.ScanAux(ns, "");
    if (!kvs.ok()) return 0;
    for (const auto& [k, v] : *kvs) {
      f.Add(k);
      f.Add(v);
    }
  }
  return f.value();
}

int main(int argc, char** argv) {
  CLI::App app{"ingest_bench: bulk ingest of a generated city"};
  uint64_t persons = 20000, seed = 1;
  std::string work, mappings_dir = std::string(CITYGRAPH_SOURCE_DIR) + "/ingest/mappings";
  std::string schema_path = std::string(CITYGRAPH_SOURCE_DIR) + "/graph-core/schema/city.yaml";
  std::string mode = "bulk";
  size_t batch_rows = 0;
  bool fingerprint = false, eval = true;
  app.add_option("--persons", persons, "Persons in the generated city");
  app.add_option("--seed", seed, "Generator seed");
  app.add_option("--work", work, "Work directory (city/ and db/ under it)")->required();
  app.add_option("--mappings", mappings_dir, "Directory of mapping files");
  app.add_option("--mode", mode, "bulk or incremental");
  app.add_option("--batch-rows", batch_rows, "Rows per batch (0: default)");
  app.add_flag("--eval,!--no-eval", eval,
               "Evaluate entity resolution against the truth afterwards (default: on)");
  app.add_flag("--fingerprint", fingerprint,
               "Print a hash of the stored graph, in memory and reopened (image, scan)");
  CLI11_PARSE(app, argc, argv);

  std::string city = work + "/city", db_dir = work + "/db";
  if (!fs::exists(city + "/truth/manifest.json")) {
    auto t0 = std::chrono::steady_clock::now();
    datagen::Options opt;
    opt.persons = persons;
    opt.seed = seed;
    opt.out_dir = city;
    datagen::Result g = datagen::Generate(opt);
    if (!g.ok) {
      std::fprintf(stderr, "datagen: %s\n", g.error.c_str());
      return 1;
    }
    std::printf("generated %llu persons, %llu rows in %.1f s\n",
                static_cast<unsigned long long>(persons),
                static_cast<unsigned long long>(g.summary.rows),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  fs::remove_all(db_dir);
  auto schema = Schema::ReadFile(schema_path);
  if (!schema.ok()) return std::fprintf(stderr, "%s\n", schema.status().ToString().c_str()), 1;
  auto db = Database::Create(db_dir, *schema);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;

  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(mappings_dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<ingest::Mapping> mappings;
  for (const auto& f : files) {
    auto m = ingest::LoadMapping(f, **schema, city);
    if (!m.ok()) return std::fprintf(stderr, "%s\n", m.status().ToString().c_str()), 1;
    auto x = ingest::ExpandFiles(*m);
    if (!x.ok()) return std::fprintf(stderr, "%s\n", x.status().ToString().c_str()), 1;
    mappings.insert(mappings.end(), x->begin(), x->end());
  }
  ingest::IngestOptions opt;
  opt.mode = mode == "incremental" ? ingest::IngestMode::kIncremental : ingest::IngestMode::kBulk;
  opt.batch_rows = batch_rows;
  auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = CpuSeconds();
  auto report = ingest::Ingest(db->get(), mappings, opt);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  if (!report.ok()) return std::fprintf(stderr, "%s\n", report.status().ToString().c_str()), 1;
  ingest::QualityCounts t = report->Totals();
  DatabaseStats s = (*db)->Stats();
  std::printf(
      "ingest (%s): %zu files, %llu records (%llu loaded, %llu rejected, %llu keyless "
      "matched, %llu unresolved) in %.1f s = %.0f records/s\n",
      mode.c_str(), mappings.size(), static_cast<unsigned long long>(t.rows),
      static_cast<unsigned long long>(t.loaded), static_cast<unsigned long long>(t.rejected),
      static_cast<unsigned long long>(t.matched), static_cast<unsigned long long>(t.unresolved),
      secs, t.rows / secs);
  std::printf("ingest CPU (user+sys): %.1f s = %.1f us per record\n", cpu, 1e6 * cpu / t.rows);
  std::printf("time by phase: %s\n", report->PhasesText().c_str());
  std::printf("graph: %zu vertices, %zu edges, %zu keys, disk %.2f GiB\n", s.num_vertices,
              s.num_edges, s.num_keys, s.disk_bytes / 1073741824.0);
  if (eval) {
    auto ev = ingest::EvaluateEr(**db, city);
    if (!ev.ok()) return std::fprintf(stderr, "%s\n", ev.status().ToString().c_str()), 1;
    std::printf("%s", ev->ToText().c_str());
  }
  if (fingerprint) {
    std::printf("fingerprint (memory):   %016llx\n",
                static_cast<unsigned long long>(GraphFingerprint(**db)));
    db->reset();
    // Reopened twice: from the graph image saved at close, and by scanning
    // the column families (what RocksDB holds).
    for (const bool image : {true, false}) {
      DatabaseOptions options;
      options.graph_image = image;
      auto reopened = Database::Open(db_dir, options);
      if (!reopened.ok())
        return std::fprintf(stderr, "%s\n", reopened.status().ToString().c_str()), 1;
      std::printf("fingerprint (reopened, %s): %016llx\n", image ? "image" : "scan ",
                  static_cast<unsigned long long>(GraphFingerprint(**reopened)));
    }
  }
  return 0;
}
