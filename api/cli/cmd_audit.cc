// `citygraph audit verify` and `citygraph audit show`: the audit log of a
// database, read without a server (read-only open; safe while one runs).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "citygraph/api/audit_log.h"
#include "citygraph/graph.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct AuditArgs {
  std::string db;
  std::string user;
  std::string method;
  size_t limit = 50;
};

StatusOr<std::unique_ptr<Database>> OpenReadOnly(const std::string& dir) {
  DatabaseOptions options;
  options.read_only = true;
  return Database::Open(dir, options);
}

void RunVerify(const AuditArgs& args) {
  auto db = OpenReadOnly(args.db);
  if (!db.ok()) return Report(db.status());
  auto store = api::MakeDatabaseAuditStore(db->get());
  auto report = api::VerifyAudit(*store);
  if (!report.ok()) return Report(report.status());
  if (report->ok()) {
    std::printf("audit log intact: %llu entries, head %s\n",
                static_cast<unsigned long long>(report->entries), report->head_hash.c_str());
    return;
  }
  std::printf("audit log TAMPERED: %zu problem(s) in %llu entries\n", report->problems.size(),
              static_cast<unsigned long long>(report->entries));
  for (const auto& p : report->problems) std::printf("  %s\n", p.c_str());
  SetExitCode(3);
}

void RunShow(const AuditArgs& args) {
  auto db = OpenReadOnly(args.db);
  if (!db.ok()) return Report(db.status());
  auto store = api::MakeDatabaseAuditStore(db->get());
  auto entries = api::ReadAudit(*store, args.user, args.method, 0, args.limit);
  if (!entries.ok()) return Report(entries.status());
  std::printf("%-6s %-27s %-12s %-15s %-13s %-18s %-7s %s\n", "seq", "time", "user", "role",
              "method", "outcome", "rows", "purpose / detail");
  for (const auto& e : *entries) {
    const auto& r = e.record;
    std::string extra = r.purpose;
    if (!r.detail.empty()) extra += (extra.empty() ? "" : " | ") + r.detail;
    std::printf("%-6llu %-27s %-12s %-15s %-13s %-18s %-7lld %s\n",
                static_cast<unsigned long long>(e.seq), Timestamp{r.time_micros}.ToString().c_str(),
                r.user.c_str(), r.role.c_str(), r.method.c_str(), r.outcome.c_str(),
                static_cast<long long>(r.result_count), extra.c_str());
  }
}

}  // namespace

void RegisterAuditCommands(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Verify or list the tamper-evident audit log");
  audit->require_subcommand(1);
  auto args = std::make_shared<AuditArgs>();

  auto* verify = audit->add_subcommand(
      "verify", "Check the hash chain; exit 3 and name every changed or removed entry");
  verify->add_option("--db", args->db, "Database directory")->required();
  verify->callback([args] { RunVerify(*args); });

  auto* show = audit->add_subcommand("show", "List the newest audit entries");
  show->add_option("--db", args->db, "Database directory")->required();
  show->add_option("--user", args->user, "Only this user's calls");
  show->add_option("--method", args->method, "Only this method (e.g. locate)");
  show->add_option("--limit", args->limit, "Newest N entries (0 = all)")->capture_default_str();
  show->callback([args] { RunShow(*args); });
}

}  // namespace citygraph::cli
