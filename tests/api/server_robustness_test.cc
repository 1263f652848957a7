// End to end: malformed input does not crash the server; many concurrent
// clients get no error and lose no write; SIGTERM during writes loses no
// acknowledged write.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "api_test_util.h"
#include "citygraph/api/audit_log.h"

namespace citygraph::api::testing {
namespace {

// Sends `bytes` on a fresh TCP connection, optionally half-closes, then reads
// until the server closes or 2 s pass. Returns the bytes received.
std::string SendRaw(int port, const std::string& bytes, bool half_close = true) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on an oversized frame
    sent += static_cast<size_t>(n);
  }
  if (half_close) shutdown(fd, SHUT_WR);
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) got.append(buf, static_cast<size_t>(n));
  close(fd);
  return got;
}

std::string Frame(uint32_t len, const std::string& body) {
  std::string f(4, '\0');
  f[0] = static_cast<char>(len >> 24);
  f[1] = static_cast<char>(len >> 16);
  f[2] = static_cast<char>(len >> 8);
  f[3] = static_cast<char>(len);
  return f + body;
}

void ExpectServerAnswers(int port) {
  Client c = SignIn(port, "analyst");
  rpc::Health h;
  c->health(h, c.token);
  EXPECT_EQ(h.status, "ok");
}

TEST(RobustnessTest, MalformedFramesDoNotCrashTheServer) {
  auto city = TestCity::Create();
  ServerOptions o;
  o.max_frame_bytes = 1 << 20;
  auto server = StartServer(city.get(), o);
  int port = server->port();
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::string junk(1 + rng() % 3000, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    SendRaw(port, junk);
  }
  ExpectServerAnswers(port);
  // Truncated: a frame announcing 100 bytes that carries 10.
  SendRaw(port, Frame(100, std::string(10, 'x')));
  // Truncated in the middle of the length prefix.
  SendRaw(port, std::string("\x00\x00", 2));
  ExpectServerAnswers(port);
  // Oversized: larger than max_frame_bytes, and the largest possible length.
  SendRaw(port, Frame((1 << 20) + 1, std::string(64 << 10, 'y')));
  SendRaw(port, Frame(0x7fffffff, "z"));
  SendRaw(port, Frame(0xffffffff, "z"));  // negative when read as int32
  ExpectServerAnswers(port);
  // A frame of the right size whose content is not a Thrift message, and one
  // that is a call header followed by a string claiming 1 GiB.
  SendRaw(port, Frame(32, std::string(32, '\xff')));
  std::string call = std::string("\x80\x01\x00\x01", 4) + std::string("\x00\x00\x00\x06", 4) +
                     "health" + std::string("\x00\x00\x00\x01", 4) +
                     std::string("\x0b\x00\x01", 3) + std::string("\x40\x00\x00\x00", 4);
  SendRaw(port, Frame(static_cast<uint32_t>(call.size()), call));
  // Many connections that open and vanish.
  for (int i = 0; i < 50; ++i) SendRaw(port, "", true);
  ExpectServerAnswers(port);

  // A well-formed call still works on a connection after all that.
  Client c = SignIn(port, "admin");
  rpc::Stats s;
  c->stats(s, c.token);
  EXPECT_GT(s.num_vertices, 0);
}

// 64 clients for 30 s: reads plus upserts from every client; no error, and
// every acknowledged write is in the graph afterwards.
TEST(ConcurrencyTest, SixtyFourClientsThirtySeconds) {
  auto city = TestCity::Create();
  auto server = StartServer(city.get());
  int port = server->port();
  constexpr int kClients = 64;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> calls{0}, errors{0};
  std::mutex mu;
  std::vector<std::string> acked;
  std::vector<std::string> first_errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      try {
        Client c = SignIn(port, t % 2 ? "admin" : "investigator");
        Client w = t % 2 ? std::move(c) : SignIn(port, "admin");
        for (int n = 0; !stop.load(); ++n) {
          if (n % 10 == 0) {
            std::string phone = std::to_string(13900000000LL + t * 100000LL + n);
            rpc::UpsertResult out;
            w->upsert(out, w.token, PhoneUpsert(n % 10, phone, "load.csv"));
            if (out.accepted != 1) throw std::runtime_error("upsert not accepted: " + phone);
            std::lock_guard lock(mu);
            acked.push_back(phone);
          } else if (n % 3 == 0) {
            rpc::NeighborsRequest r;
            r.entity.__set_key(IdNumber(n % 10));
            rpc::NeighborsResult out;
            w->neighbors(out, w.token, r);
            if (out.neighbors.empty()) throw std::runtime_error("no neighbours");
          } else {
            rpc::ProfileRequest r;
            r.entity.__set_key(IdNumber(n % 10));
            rpc::Profile out;
            w->profile(out, w.token, r);
            if (out.entity.label != "Person") throw std::runtime_error("wrong profile");
          }
          calls.fetch_add(1);
        }
      } catch (const std::exception& e) {
        errors.fetch_add(1);
        std::lock_guard lock(mu);
        first_errors.push_back(e.what());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(30));
  stop = true;
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0) << (first_errors.empty() ? "" : first_errors.front());
  EXPECT_GT(calls.load(), kClients);
  ASSERT_FALSE(acked.empty());
  EXPECT_EQ(MissingPhones(city->db(), acked), 0u)
      << "of " << acked.size() << " acknowledged writes";
  server->Stop();
}

// `citygraph serve` in a child process; SIGTERM while 8 clients write.
TEST(ShutdownTest, SigtermDuringWritesLosesNoAcknowledgedWrite) {
  auto city = TestCity::Create();
  city->Close();
  std::string users = city->dir() + "/../users.json";
  ASSERT_TRUE(TestUsers().Save(users).ok());
  int port = FreePort();
  std::string log = city->dir() + "/../serve.log";
  pid_t pid = fork();
  if (pid == 0) {
    std::string p = std::to_string(port);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(CitygraphBinary().c_str(), "citygraph", "serve", "--db", city->dir().c_str(), "--port",
          p.c_str(), "--users", users.c_str(), "--mappings", city->mappings_dir().c_str(), nullptr);
    _exit(127);
  }
  // Wait until it answers.
  bool up = false;
  for (int i = 0; i < 300 && !up; ++i) {
    try {
      SignIn(port, "admin");
      up = true;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_TRUE(up) << "server did not start; see " << log;
  std::mutex mu;
  std::vector<std::string> acked;
  std::atomic<int> started{0}, finished{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      try {
        Client c = SignIn(port, "admin");
        for (int n = 0;; ++n) {
          std::string phone = std::to_string(13700000000LL + t * 100000LL + n);
          rpc::UpsertResult out;
          c->upsert(out, c.token, PhoneUpsert(n % 10, phone, "sigterm.csv"));
          started.fetch_add(1);
          std::lock_guard lock(mu);
          acked.push_back(phone);
        }
      } catch (const std::exception&) {
        // The server went away: everything acknowledged so far must survive.
      }
      finished.fetch_add(1);
    });
  }
  // Until 40 writes are acknowledged, or every writer gave up (then the
  // count check below fails instead of this loop hanging).
  while (started.load() < 40 && finished.load() < 8) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  for (auto& w : writers) w.join();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "see " << log;
  city->Reopen();
  EXPECT_GE(acked.size(), 40u);
  EXPECT_EQ(MissingPhones(city->db(), acked), 0u)
      << "of " << acked.size() << " acknowledged writes";
  // The audit log of the writes is intact and complete.
  auto store = MakeDatabaseAuditStore(city->db());
  auto report = VerifyAudit(*store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  auto upserts = ReadAudit(*store, "admin", "upsert", 0, 0);
  ASSERT_TRUE(upserts.ok());
  size_t ok_upserts = 0;
  for (const auto& e : *upserts) ok_upserts += e.record.outcome == "OK";
  EXPECT_GE(ok_upserts, acked.size());
}

}  // namespace
}  // namespace citygraph::api::testing
