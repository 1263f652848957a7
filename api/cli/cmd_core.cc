// `citygraph init` and `citygraph stats`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "citygraph/graph.h"
#include "citygraph/schema.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct InitArgs {
  std::string db;
  std::string schema;
};

struct StatsArgs {
  std::string db;
  std::string format = "table";
};

void RunInit(const InitArgs& args) {
  auto schema = Schema::ReadFile(args.schema);
  if (!schema.ok()) return Report(schema.status());
  auto db = Database::Create(args.db, *schema);
  if (!db.ok()) return Report(db.status());
  std::printf("created database %s (%zu labels, %zu edge types)\n", args.db.c_str(),
              (*schema)->labels().size(), (*schema)->edge_types().size());
}

std::string HumanBytes(size_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

void RunStats(const StatsArgs& args) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(args.db, options);
  if (!db.ok()) return Report(db.status());
  DatabaseStats s = (*db)->Stats();
  if (args.format == "json") {
    nlohmann::json j;
    j["vertices"] = s.num_vertices;
    j["edges"] = s.num_edges;
    j["keys"] = s.num_keys;
    j["memory_bytes"] = s.memory_bytes;
    j["disk_bytes"] = s.disk_bytes;
    for (const auto& [name, n] : s.vertices_per_label) j["vertices_per_label"][name] = n;
    for (const auto& [name, n] : s.edges_per_type) j["edges_per_type"][name] = n;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("database   %s\n", args.db.c_str());
  std::printf("vertices   %zu\nedges      %zu\nkeys       %zu\n", s.num_vertices, s.num_edges,
              s.num_keys);
  std::printf("memory     %s\ndisk       %s\n", HumanBytes(s.memory_bytes).c_str(),
              HumanBytes(s.disk_bytes).c_str());
  std::printf("\n%-16s %12s\n", "label", "vertices");
  for (const auto& [name, n] : s.vertices_per_label) std::printf("%-16s %12zu\n", name.c_str(), n);
  std::printf("\n%-16s %12s\n", "edge type", "edges");
  for (const auto& [name, n] : s.edges_per_type) std::printf("%-16s %12zu\n", name.c_str(), n);
}

}  // namespace

void RegisterCoreCommands(CLI::App& app) {
  auto init_args = std::make_shared<InitArgs>();
  CLI::App* init = app.add_subcommand("init", "Create an empty database with a schema");
  init->add_option("--db", init_args->db, "Database directory to create")->required();
  init->add_option("--schema", init_args->schema, "Schema file (YAML)")->required();
  init->callback([init_args] { RunInit(*init_args); });

  auto stats_args = std::make_shared<StatsArgs>();
  CLI::App* stats = app.add_subcommand("stats", "Counts per label and edge type, memory, disk");
  stats->add_option("--db", stats_args->db, "Database directory")->required();
  stats->add_option("--format", stats_args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  stats->callback([stats_args] { RunStats(*stats_args); });
}

}  // namespace citygraph::cli
