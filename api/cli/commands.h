// Subcommands of the `citygraph` binary. Each Register* function adds one or
// more subcommands to the app; they live in cmd_*.cc beside this file.
// A subcommand's callback prints its result and returns the process exit
// code through SetExitCode (0 ok, 1 error, 2 usage).
#ifndef CITYGRAPH_API_CLI_COMMANDS_H_
#define CITYGRAPH_API_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "citygraph/status.h"

namespace CLI {
class App;
}

namespace citygraph::cli {

void RegisterCoreCommands(CLI::App& app);       // init, stats
void RegisterQueryCommands(CLI::App& app);      // conflicts, locate, paths, neighbors, profile
void RegisterQueryEvalCommands(CLI::App& app);  // eval-queries
void RegisterGenCommands(CLI::App& app);        // gen (synthetic city, datagen)
void RegisterIngestCommands(CLI::App& app);     // ingest, eval-er
void RegisterAlgoCommands(CLI::App& app);       // graphalytics, algo
void RegisterServeCommands(CLI::App& app);      // serve
void RegisterClientCommands(CLI::App& app);     // client (the queries over Thrift)
void RegisterAuditCommands(CLI::App& app);      // audit verify, audit show
void RegisterUsersCommands(CLI::App& app);      // users add, users list

// The identity numbers of a file as users paste them (query::SplitIdList:
// one per line or separated by commas, semicolons or tabs; a header line and
// '#' lines dropped), for `locate` and `client locate`. The file must be
// UTF-8 (a byte-order mark is removed): otherwise the error names the file
// and the offset of the first bad byte.
StatusOr<std::vector<std::string>> ReadIdList(const std::string& path);

// Sets the exit code the process returns after the subcommand ran.
void SetExitCode(int code);
int ExitCode();

// Prints "error: <status>" to stderr and sets exit code 1 when !status.ok().
void Report(const Status& status);

}  // namespace citygraph::cli

#endif  // CITYGRAPH_API_CLI_COMMANDS_H_
