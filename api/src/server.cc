#include "citygraph/api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <thrift/TConfiguration.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLServerSocket.h>
#include <thrift/transport/TSSLSocket.h>
#include <thrift/transport/TServerSocket.h>
#include <unistd.h>

#include <future>
#include <mutex>
#include <thread>

#include "handler.h"

namespace citygraph::api {

using apache::thrift::TConfiguration;
namespace tt = apache::thrift::transport;
namespace tp = apache::thrift::protocol;
namespace ts = apache::thrift::server;

namespace {

// Framed transport whose frames are capped by the server's TConfiguration.
class CappedFramedFactory : public tt::TTransportFactory {
 public:
  explicit CappedFramedFactory(std::shared_ptr<TConfiguration> config)
      : config_(std::move(config)) {}
  std::shared_ptr<tt::TTransport> getTransport(std::shared_ptr<tt::TTransport> trans) override {
    trans->setConfiguration(config_);
    return std::make_shared<tt::TFramedTransport>(trans, config_);
  }

 private:
  std::shared_ptr<TConfiguration> config_;
};

}  // namespace

class Server::Impl {
 public:
  internal::ServiceState state;
  std::shared_ptr<ts::TThreadedServer> server;
  std::thread serve_thread;
  int port = 0;
  std::mutex mu;
  bool started = false;
  bool stopped = false;
  std::promise<void> done;
  std::shared_future<void> done_future = done.get_future().share();
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

StatusOr<std::unique_ptr<Server>> Server::Create(Database* db, UserStore users,
                                                 ServerOptions options) {
  if (db == nullptr) return InvalidArgument("server needs a database");
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return InvalidArgument("--tls-cert and --tls-key must be given together");
  }
  if (options.port < 0 || options.port > 65535) {
    return InvalidArgument("port " + std::to_string(options.port) + " is out of range");
  }
  for (int v : {options.max_frame_bytes, options.max_connections, options.default_deadline_ms,
                options.max_deadline_ms, options.default_max_rows, options.max_rows,
                options.max_locate_batch, options.max_upsert_records, options.max_conflicts_page}) {
    if (v <= 0) return InvalidArgument("server limits must be positive");
  }
  auto impl = std::make_unique<Impl>();
  internal::ServiceState& st = impl->state;
  st.db = db;
  st.users = std::move(users);
  st.sessions = std::make_unique<SessionManager>(options.session_ttl);
  st.audit_store = MakeDatabaseAuditStore(db);
  CG_ASSIGN_OR_RETURN(st.audit, AuditLog::Open(st.audit_store.get()));
  if (!options.locate_ranking_file.empty()) {
    CG_ASSIGN_OR_RETURN(st.ranking, query::RankingConfig::ReadFile(options.locate_ranking_file));
  }
  if (!options.conflict_rules_file.empty()) {
    CG_ASSIGN_OR_RETURN(st.rules, query::ConflictRules::ReadFile(options.conflict_rules_file));
  }
  st.options = std::move(options);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

namespace {

// OpenSSL writes to its socket with write(2), which raises SIGPIPE when the
// peer is gone (e.g. a client that quits during the handshake). Unhandled,
// that would end the whole process, so a TLS server ignores SIGPIPE unless
// the program has installed a handler of its own.
void IgnoreSigpipeUnlessHandled() {
  struct sigaction old {};
  if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
}

}  // namespace

Status Server::Start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started) return FailedPrecondition("server already started");
  const ServerOptions& o = impl_->state.options;
  auto config = std::make_shared<TConfiguration>(o.max_frame_bytes, o.max_frame_bytes);
  std::shared_ptr<tt::TServerSocket> socket;
  try {
    if (!o.tls_cert.empty()) {
      IgnoreSigpipeUnlessHandled();
      auto factory = std::make_shared<tt::TSSLSocketFactory>(tt::SSLTLS);
      factory->server(true);
      factory->authenticate(false);
      factory->loadCertificate(o.tls_cert.c_str());
      factory->loadPrivateKey(o.tls_key.c_str());
      socket = std::make_shared<tt::TSSLServerSocket>(o.host, o.port, factory);
    } else {
      socket = std::make_shared<tt::TServerSocket>(o.host, o.port);
    }
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("TLS setup failed: ") + e.what());
  }
  socket->setRecvTimeout(o.recv_timeout_ms);
  socket->setSendTimeout(o.recv_timeout_ms);
  auto listening = std::make_shared<std::promise<int>>();
  socket->setListenCallback([listening](THRIFT_SOCKET fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    int port = 0;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      if (addr.ss_family == AF_INET) port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
      if (addr.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    }
    listening->set_value(port);
  });
  auto handler = std::make_shared<internal::Handler>(&impl_->state);
  auto processor = std::make_shared<rpc::CityGraphProcessor>(handler);
  // Strings and containers are capped by the frame size: a malformed length
  // cannot make the server allocate more than one frame's worth.
  auto protocol = std::make_shared<tp::TBinaryProtocolFactory>(o.max_frame_bytes, o.max_frame_bytes,
                                                               true, true);
  impl_->server = std::make_shared<ts::TThreadedServer>(
      processor, socket, std::make_shared<CappedFramedFactory>(config), protocol);
  impl_->server->setConcurrentClientLimit(o.max_connections);
  auto failed = std::make_shared<std::promise<std::string>>();
  auto failed_future = failed->get_future();
  Impl* impl = impl_.get();
  impl_->serve_thread = std::thread([impl, failed] {
    try {
      impl->server->serve();
      failed->set_value("");
    } catch (const std::exception& e) {
      failed->set_value(e.what());
    }
    impl->done.set_value();
  });
  auto port_future = listening->get_future();
  while (true) {
    if (port_future.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready) {
      impl_->port = port_future.get();
      break;
    }
    if (failed_future.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) {
      impl_->serve_thread.join();
      impl_->stopped = true;
      impl_->started = true;
      return IOError("cannot serve on " + o.host + ":" + std::to_string(o.port) + ": " +
                     failed_future.get());
    }
  }
  // The listen callback runs just before listen(): wait until the socket
  // accepts connections so that callers can connect as soon as we return.
  for (int i = 0; i < 500; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(impl_->port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (o.host != "127.0.0.1" && o.host != "localhost" && o.host != "0.0.0.0") {
      inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);
    }
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (ok) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->started = true;
  return Status::OK();
}

int Server::port() const { return impl_->port; }

void Server::Stop() {
  std::lock_guard lock(impl_->mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->state.draining = true;
  if (impl_->started && impl_->server) {
    impl_->server->stop();
    if (impl_->serve_thread.joinable()) impl_->serve_thread.join();
  }
  if (impl_->state.audit) impl_->state.audit->Close();
}

void Server::Wait() {
  if (!impl_->started) return;
  impl_->done_future.wait();
}

}  // namespace citygraph::api
