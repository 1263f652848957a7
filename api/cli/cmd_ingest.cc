// `citygraph ingest` (department files through mappings into the graph) and
// `citygraph eval-er` (entity-resolution quality against datagen truth).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/eval_er.h"
#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/mapping.h"
#include "citygraph/schema.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

namespace fs = std::filesystem;

struct IngestArgs {
  std::string db;
  std::vector<std::string> mappings;
  std::string data_dir;
  std::string mode = "bulk";
  size_t batch_rows = 0;
  std::string report;
  std::string rejects;
  std::string schema;
  bool quiet = false;
};

struct EvalArgs {
  std::string db;
  std::string truth;
};

// A --mapping that names a directory stands for its *.yaml files, sorted.
std::vector<std::string> MappingFiles(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    if (!fs::is_directory(a)) {
      out.push_back(a);
      continue;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(a)) {
      if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") {
        files.push_back(e.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

StatusOr<std::unique_ptr<Database>> OpenOrCreate(const IngestArgs& args) {
  auto db = Database::Open(args.db);
  if (db.ok() || db.status().code() != StatusCode::kNotFound) return db;
  std::string schema_path = args.schema;
  if (schema_path.empty()) schema_path = "graph-core/schema/city.yaml";
  auto schema = Schema::ReadFile(schema_path);
  if (!schema.ok()) {
    return schema.status().WithContext("database " + args.db +
                                       " does not exist and its schema cannot be read "
                                       "(pass --schema FILE)");
  }
  std::fprintf(stderr, "creating database %s with schema %s\n", args.db.c_str(),
               schema_path.c_str());
  return Database::Create(args.db, *schema);
}

std::string Eta(const ingest::IngestProgress& p) {
  if (p.bytes_done == 0 || p.bytes_total <= p.bytes_done) return "-";
  double rest = p.seconds * static_cast<double>(p.bytes_total - p.bytes_done) / p.bytes_done;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%dm%02ds", static_cast<int>(rest) / 60,
                static_cast<int>(rest) % 60);
  return buf;
}

void RunIngest(const IngestArgs& args) {
  auto db = OpenOrCreate(args);
  if (!db.ok()) return Report(db.status());
  std::shared_ptr<const Schema> schema = (*db)->schema();

  // Every mapping is checked before anything is read or loaded.
  std::vector<ingest::Mapping> mappings;
  for (const auto& path : MappingFiles(args.mappings)) {
    auto m = ingest::LoadMapping(path, *schema, args.data_dir);
    if (!m.ok()) return Report(m.status());
    auto files = ingest::ExpandFiles(*m);
    if (!files.ok()) return Report(files.status());
    for (auto& f : *files) mappings.push_back(std::move(f));
  }
  if (mappings.empty()) return Report(InvalidArgument("no mapping files given"));

  ingest::RejectWriter rejects;
  if (!args.rejects.empty()) {
    Status s = rejects.Open(args.rejects);
    if (!s.ok()) return Report(s);
  }
  ingest::IngestOptions opt;
  opt.mode =
      args.mode == "incremental" ? ingest::IngestMode::kIncremental : ingest::IngestMode::kBulk;
  opt.batch_rows = args.batch_rows;
  opt.rejects = rejects.is_open() ? &rejects : nullptr;
  const bool tty = isatty(STDERR_FILENO) && !args.quiet;
  opt.on_commit = [&](const ingest::BatchAck& a) {
    if (args.quiet && opt.mode == ingest::IngestMode::kBulk) return;
    if (tty) std::fprintf(stderr, "\r\033[K");
    std::printf("committed batch %u: %s lines %u-%u (%zu rows%s)\n", a.batch, a.file.c_str(),
                a.first_line, a.last_line, a.rows, a.resolved_rows ? ", entity-resolved" : "");
    std::fflush(stdout);
  };
  if (tty) {
    opt.on_progress = [](const ingest::IngestProgress& p) {
      std::fprintf(stderr, "\r\033[K%llu rows  %.0f rows/s  files %zu/%zu  ETA %s",
                   static_cast<unsigned long long>(p.rows),
                   p.seconds > 0 ? p.rows / p.seconds : 0.0, p.files_done, p.files_total,
                   Eta(p).c_str());
      std::fflush(stderr);
    };
  }
  auto report = ingest::Ingest(db->get(), mappings, opt);
  if (tty) std::fprintf(stderr, "\r\033[K");
  Status closed = rejects.Close();
  if (!report.ok()) return Report(report.status());
  if (!closed.ok()) return Report(closed);
  if (!args.report.empty()) {
    std::ofstream out(args.report);
    out << report->ToJson() << "\n";
    if (!out) return Report(IOError("cannot write report " + args.report));
  }
  ingest::QualityCounts t = report->Totals();
  std::printf("%s", report->ToTable().c_str());
  std::printf(
      "ingested %zu files (%s): %llu rows, %llu loaded, %llu rejected in %.1f s "
      "(%.0f rows/s)\n",
      mappings.size(), report->mode.c_str(), static_cast<unsigned long long>(t.rows),
      static_cast<unsigned long long>(t.loaded), static_cast<unsigned long long>(t.rejected),
      report->seconds, report->seconds > 0 ? t.rows / report->seconds : 0.0);
  std::printf("time by phase: %s\n", report->PhasesText().c_str());
}

void RunEval(const EvalArgs& args) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(args.db, options);
  if (!db.ok()) return Report(db.status());
  auto ev = ingest::EvaluateEr(**db, args.truth);
  if (!ev.ok()) return Report(ev.status());
  std::printf("%s", ev->ToText().c_str());
}

}  // namespace

void RegisterIngestCommands(CLI::App& app) {
  auto a = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand("ingest", "Load department files through mapping files");
  cmd->add_option("--db", a->db, "Database directory (created with --schema if absent)")
      ->required();
  cmd->add_option("--mapping", a->mappings, "Mapping file (YAML) or a directory of them")
      ->required();
  cmd->add_option("--data", a->data_dir,
                  "Directory that relative data file paths are resolved against "
                  "(default: each mapping file's directory)");
  cmd->add_option("--mode", a->mode, "bulk (initial load) or incremental (durable upserts)")
      ->check(CLI::IsMember({"bulk", "incremental"}));
  cmd->add_option("--batch-rows", a->batch_rows,
                  "Rows per committed batch (default 4000000 bulk, 5000 incremental)");
  cmd->add_option("--report", a->report, "Write the data-quality report (JSON) here");
  cmd->add_option("--rejects", a->rejects,
                  "Write rejected rows here (CSV, or JSON Lines if .jsonl)");
  cmd->add_option("--schema", a->schema,
                  "Schema for a new database (default graph-core/schema/city.yaml)");
  cmd->add_flag("--quiet", a->quiet, "No progress line and no bulk batch lines");
  cmd->callback([a] { RunIngest(*a); });

  auto e = std::make_shared<EvalArgs>();
  CLI::App* eval = app.add_subcommand(
      "eval-er", "Entity-resolution precision, recall and homonym merges against datagen truth");
  eval->add_option("--db", e->db, "Database directory")->required();
  eval->add_option("--truth", e->truth, "datagen output directory or its truth/ directory")
      ->required();
  eval->callback([e] { RunEval(*e); });
}

}  // namespace citygraph::cli
