// citygraph: the command-line entry point. Subcommands are registered from
// cmd_*.cc; see README.md for the list.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.h"

namespace citygraph::cli {
namespace {
int exit_code = 0;
}
void SetExitCode(int code) { exit_code = code; }
int ExitCode() { return exit_code; }
void Report(const Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  SetExitCode(1);
}
}  // namespace citygraph::cli

int main(int argc, char** argv) {
  CLI::App app{"CityGraph: knowledge graph and link analysis for city governance data"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  citygraph::cli::RegisterCoreCommands(app);
  citygraph::cli::RegisterQueryCommands(app);
  citygraph::cli::RegisterQueryEvalCommands(app);
  citygraph::cli::RegisterGenCommands(app);
  citygraph::cli::RegisterIngestCommands(app);
  citygraph::cli::RegisterAlgoCommands(app);
  citygraph::cli::RegisterServeCommands(app);
  citygraph::cli::RegisterClientCommands(app);
  citygraph::cli::RegisterAuditCommands(app);
  citygraph::cli::RegisterUsersCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return citygraph::cli::ExitCode();
}
