// `citygraph serve`: the Thrift server embedding one database.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <thread>

#include "citygraph/api/server.h"
#include "citygraph/api/users.h"
#include "citygraph/graph.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct ServeArgs {
  std::string db;
  std::string users_file;
  api::ServerOptions options;
  int session_ttl_s = 8 * 3600;
};

void RunServe(ServeArgs args) {
  // Block SIGINT/SIGTERM in every thread; one thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  api::UserStore users;
  if (!args.users_file.empty()) {
    auto loaded = api::UserStore::Load(args.users_file);
    if (!loaded.ok()) return Report(loaded.status());
    users = std::move(*loaded);
  } else {
    std::fprintf(stderr, "warning: no --users file: nobody can sign in\n");
  }
  auto db = Database::Open(args.db, {});
  if (!db.ok()) return Report(db.status());
  args.options.session_ttl = std::chrono::seconds(args.session_ttl_s);
  auto server = api::Server::Create(db->get(), std::move(users), args.options);
  if (!server.ok()) return Report(server.status());
  Status st = (*server)->Start();
  if (!st.ok()) return Report(st);
  std::printf("citygraph serving %s on %s:%d (%s, framed binary protocol)\n", args.db.c_str(),
              args.options.host.c_str(), (*server)->port(),
              args.options.tls_cert.empty() ? "plain TCP" : "TLS");
  std::fflush(stdout);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::printf("citygraph: %s received, draining\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    std::fflush(stdout);
    (*server)->Stop();
  });
  (*server)->Wait();
  // The server may also stop on its own (e.g. a fatal transport error):
  // release the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  (*server)->Stop();
  server->reset();
  db->reset();  // closes RocksDB: the WAL is synced, nothing acknowledged is lost
  std::printf("citygraph: stopped\n");
}

}  // namespace

void RegisterServeCommands(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve =
      app.add_subcommand("serve", "Serve a database over Thrift (Ctrl-C / SIGTERM to stop)");
  api::ServerOptions& o = args->options;
  serve->add_option("--db", args->db, "Database directory")->required();
  serve->add_option("--host", o.host, "Address to bind")->capture_default_str();
  serve->add_option("--port", o.port, "TCP port (0 = any free port)")->capture_default_str();
  serve->add_option("--users", args->users_file, "Users file (see `citygraph users add`)");
  serve->add_option("--tls-cert", o.tls_cert, "TLS certificate (PEM)");
  serve->add_option("--tls-key", o.tls_key, "TLS private key (PEM)");
  serve->add_option("--max-frame-bytes", o.max_frame_bytes, "Largest accepted frame")
      ->capture_default_str();
  serve->add_option("--max-connections", o.max_connections, "Concurrent connections")
      ->capture_default_str();
  serve->add_option("--deadline-ms", o.default_deadline_ms, "Default per-request deadline")
      ->capture_default_str();
  serve->add_option("--max-deadline-ms", o.max_deadline_ms, "Largest deadline a client may ask")
      ->capture_default_str();
  serve->add_option("--max-locate-batch", o.max_locate_batch, "Most numbers per locate")
      ->capture_default_str();
  serve->add_option("--max-upsert-records", o.max_upsert_records, "Most records per upsert")
      ->capture_default_str();
  serve->add_option("--session-ttl", args->session_ttl_s, "Session lifetime in seconds")
      ->capture_default_str();
  serve->add_option("--mappings", o.mappings_dir, "Directory of ingest mappings for upsert");
  serve->add_option("--ranking", o.locate_ranking_file, "Locate ranking YAML (default built in)");
  serve->add_option("--rules", o.conflict_rules_file, "Conflict rules YAML (default built in)");
  serve->callback([args] { RunServe(*args); });
}

}  // namespace citygraph::cli
