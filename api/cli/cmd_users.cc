// `citygraph users add|list`: maintain the server's users file.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "citygraph/api/users.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct UsersArgs {
  std::string file;
  std::string name;
  std::string role;
  std::string password_file;
};

// The password from --password-file, else $CITYGRAPH_PASSWORD, else stdin.
StatusOr<std::string> ReadPassword(const std::string& file) {
  std::string pw;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return IOError("cannot read password file " + file);
    std::getline(in, pw);
  } else if (const char* env = std::getenv("CITYGRAPH_PASSWORD"); env != nullptr) {
    pw = env;
  } else {
    if (isatty(STDIN_FILENO)) std::fprintf(stderr, "password: ");
    std::getline(std::cin, pw);
  }
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  if (pw.empty()) return InvalidArgument("empty password");
  return pw;
}

void RunAdd(const UsersArgs& args) {
  auto role = api::ParseRole(args.role);
  if (!role.ok()) return Report(role.status());
  api::UserStore store;
  auto loaded = api::UserStore::Load(args.file);
  if (loaded.ok()) {
    store = std::move(*loaded);
  } else if (loaded.status().code() != StatusCode::kNotFound) {
    return Report(loaded.status());
  }
  auto pw = ReadPassword(args.password_file);
  if (!pw.ok()) return Report(pw.status());
  Status st = store.Add(args.name, *role, *pw);
  if (!st.ok()) return Report(st);
  st = store.Save(args.file);
  if (!st.ok()) return Report(st);
  std::printf("user %s (%s) saved in %s\n", args.name.c_str(), args.role.c_str(),
              args.file.c_str());
}

void RunList(const UsersArgs& args) {
  auto store = api::UserStore::Load(args.file);
  if (!store.ok()) return Report(store.status());
  for (const api::User& u : store->List()) {
    std::printf("%-24s %s\n", u.name.c_str(), std::string(api::RoleName(u.role)).c_str());
  }
}

}  // namespace

void RegisterUsersCommands(CLI::App& app) {
  auto* users = app.add_subcommand("users", "Maintain the server's users file");
  users->require_subcommand(1);
  auto args = std::make_shared<UsersArgs>();
  auto* add = users->add_subcommand(
      "add", "Add or replace a user (password from --password-file, $CITYGRAPH_PASSWORD or stdin)");
  add->add_option("--file", args->file, "Users file (JSON; created if absent)")->required();
  add->add_option("--name", args->name, "User name")->required();
  add->add_option("--role", args->role,
                  "admin, investigator, court_executor, welfare_auditor or analyst")
      ->required();
  add->add_option("--password-file", args->password_file, "File whose first line is the password");
  add->callback([args] { RunAdd(*args); });
  auto* list = users->add_subcommand("list", "List the users and their roles");
  list->add_option("--file", args->file, "Users file")->required();
  list->callback([args] { RunList(*args); });
}

}  // namespace citygraph::cli
