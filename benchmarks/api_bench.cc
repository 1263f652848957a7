// api_bench: Thrift API throughput and latency over loopback.
//
//   api_bench --db DIR [--clients 16] [--seconds 10] [--locate-batch 1000]
//             [--locate-trips 20] [--only profile,neighbors,locate]
//
// Opens DIR (a read-write copy is not needed: the server writes only its audit
// log), starts an in-process server on a free 127.0.0.1 port, and measures
//   1. profile calls/s and p50/p99 latency with --clients concurrent clients,
//   2. the same for neighbors,
//   3. the round trip of a --locate-batch-number locate (p50/p99 of
//      --locate-trips), with the size of one answer as the binary protocol
//      encodes it.
// Each client is its own thread with its own connection and session; keys are
// identity numbers of random persons. Every call is audited, as in production.
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>
#include <vector>

#include "CityGraph.h"
#include "citygraph/api/password.h"
#include "citygraph/api/server.h"
#include "citygraph/graph.h"

using namespace citygraph;
using Clock = std::chrono::steady_clock;

namespace {

struct Conn {
  std::shared_ptr<apache::thrift::transport::TTransport> transport;
  std::unique_ptr<rpc::CityGraphClient> client;
  std::string token;
};

Conn Open(int port) {
  namespace tt = apache::thrift::transport;
  Conn c;
  c.transport =
      std::make_shared<tt::TFramedTransport>(std::make_shared<tt::TSocket>("127.0.0.1", port));
  c.client = std::make_unique<rpc::CityGraphClient>(
      std::make_shared<apache::thrift::protocol::TBinaryProtocol>(c.transport));
  c.transport->open();
  rpc::Session s;
  c.client->authenticate(s, "bench", "bench-password");
  c.token = s.token;
  return c;
}

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * (v.size() - 1));
  std::nth_element(v.begin(), v.begin() + i, v.end());
  return v[i];
}

template <typename Call>
void RunLoad(const char* name, int port, int clients, int seconds,
             const std::vector<std::string>& keys, Call call) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> lat(clients);
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      Conn c = Open(port);
      std::mt19937 rng(t);
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string& key = keys[rng() % keys.size()];
        auto s = Clock::now();
        try {
          call(c, key);
        } catch (const std::exception&) {
          errors.fetch_add(1);
        }
        lat[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::printf("%-10s clients %d  calls %zu  %.0f calls/s  p50 %.3f ms  p99 %.3f ms  errors %lld\n",
              name, clients, all.size(), all.size() / elapsed, Pct(all, 0.5), Pct(all, 0.99),
              static_cast<long long>(errors.load()));
}

// Bytes of `msg` in the binary protocol (what travels in the frame).
template <typename Msg>
size_t EncodedSize(const Msg& msg) {
  auto buf = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TBinaryProtocol proto(buf);
  msg.write(&proto);
  return buf->available_read();
}

// Times `trips` round trips of a `batch`-number locate on one connection.
void Locate(int port, const std::vector<std::string>& keys, int batch, int trips) {
  Conn c = Open(port);
  std::mt19937 rng(1);
  std::vector<double> lat, cpu;
  size_t found = 0, bytes = 0;
  for (int i = 0; i < trips; ++i) {
    rpc::LocateRequest r;
    for (int j = 0; j < batch; ++j) r.ids.push_back(keys[rng() % keys.size()]);
    rpc::RequestOptions o;
    o.__set_as_of("2024-06-30");
    r.__set_options(o);
    rpc::LocateResponse out;
    auto s = Clock::now();
    const std::clock_t c0 = std::clock();  // the process: client and server
    c.client->locate(out, c.token, r);
    lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
    cpu.push_back(1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC);
    for (const auto& row : out.results) found += row.status == rpc::LocateStatus::FOUND;
    if (i == 0) bytes = EncodedSize(out);
  }
  std::printf(
      "locate     batch %d  round trips %d  p50 %.2f ms  p99 %.2f ms  (cpu, client and server: "
      "median %.2f ms)  found %zu of %d  answer %zu bytes\n",
      batch, trips, Pct(lat, 0.5), Pct(lat, 0.99), Pct(cpu, 0.5), found, trips * batch, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"api_bench: Thrift API calls/s and latency over loopback"};
  std::string dir;
  int clients = 16, seconds = 10, batch = 1000, trips = 20;
  std::vector<std::string> only = {"profile", "neighbors", "locate"};
  app.add_option("--db", dir, "Database directory")->required();
  app.add_option("--clients", clients)->capture_default_str();
  app.add_option("--seconds", seconds)->capture_default_str();
  app.add_option("--locate-batch", batch)->capture_default_str();
  app.add_option("--locate-trips", trips, "Locate round trips timed")->capture_default_str();
  app.add_option("--only", only, "Parts to run")
      ->delimiter(',')
      ->check(CLI::IsMember({"profile", "neighbors", "locate"}));
  CLI11_PARSE(app, argc, argv);

  auto db = Database::Open(dir, {});
  if (!db.ok()) {
    std::fprintf(stderr, "error: %s\n", db.status().ToString().c_str());
    return 1;
  }
  auto snap = (*db)->GetSnapshot();
  auto person = snap->schema().FindLabel("Person");
  auto id_kind = snap->schema().FindKeyKind("id_number");
  std::vector<std::string> keys;
  for (VertexId v : snap->vertices_with_label(*person)) {
    for (auto& [kind, value] : snap->keys(v)) {
      if (kind == *id_kind) keys.push_back(value);
    }
  }
  std::printf("database %s: %zu vertices, %zu edges, %zu persons with an id number\n", dir.c_str(),
              snap->num_vertices(), snap->num_edges(), keys.size());
  if (keys.empty()) return 1;
  snap.reset();

  api::UserStore users;
  if (!users.Add("bench", api::Role::kAdmin, "bench-password").ok()) return 1;
  api::ServerOptions options;
  options.port = 0;
  auto server = api::Server::Create(db->get(), std::move(users), options);
  if (!server.ok() || !(*server)->Start().ok()) {
    std::fprintf(stderr, "error: cannot start the server\n");
    return 1;
  }
  int port = (*server)->port();

  auto runs = [&](const char* part) {
    return std::find(only.begin(), only.end(), part) != only.end();
  };
  if (runs("profile"))
    RunLoad("profile", port, clients, seconds, keys, [](Conn& c, const std::string& key) {
      rpc::ProfileRequest r;
      r.entity.__set_key(key);
      rpc::Profile p;
      c.client->profile(p, c.token, r);
    });
  if (runs("neighbors"))
    RunLoad("neighbors", port, clients, seconds, keys, [](Conn& c, const std::string& key) {
      rpc::NeighborsRequest r;
      r.entity.__set_key(key);
      rpc::NeighborsResult out;
      c.client->neighbors(out, c.token, r);
    });

  if (runs("locate")) Locate(port, keys, batch, trips);
  (*server)->Stop();
  return 0;
}
