// End to end over TLS: a server started with a certificate and key serves a
// client that trusts that certificate, from C++ and through `citygraph client
// --tls-ca`; a client trusting another certificate, and a plain-TCP client,
// get no answer, and the server keeps serving.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSSLSocket.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "api_test_util.h"

namespace citygraph::api::testing {
namespace {

namespace tt = apache::thrift::transport;

// Writes a fresh self-signed certificate for 127.0.0.1 / localhost (P-256
// key, valid for a day) to <dir>/<name>.crt and its key to <dir>/<name>.key.
void MakeCertificate(const std::string& dir, const std::string& name) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  ASSERT_NE(key, nullptr);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  ASSERT_NE(cert, nullptr);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  ASSERT_NE(san, nullptr);
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);

  FILE* f = std::fopen((dir + "/" + name + ".crt").c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_X509(f, cert.get());
  std::fclose(f);
  f = std::fopen((dir + "/" + name + ".key").c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    city_ = TestCity::Create();
    certs_ = city_->dir() + "/..";
    MakeCertificate(certs_, "server");
    MakeCertificate(certs_, "stranger");
    ServerOptions options;
    options.tls_cert = certs_ + "/server.crt";
    options.tls_key = certs_ + "/server.key";
    server_ = StartServer(city_.get(), options);
  }
  void TearDown() override { server_.reset(); }

  // A framed binary client over TLS that trusts the certificate in `ca`.
  Client ConnectTls(const std::string& ca) {
    factory_ = std::make_shared<tt::TSSLSocketFactory>(tt::SSLTLS);
    factory_->loadTrustedCertificates(ca.c_str());
    factory_->authenticate(true);
    auto socket = factory_->createSocket("127.0.0.1", server_->port());
    socket->setRecvTimeout(10000);
    Client c;
    c.transport = std::make_shared<tt::TFramedTransport>(socket);
    c.rpc = std::make_unique<rpc::CityGraphClient>(
        std::make_shared<apache::thrift::protocol::TBinaryProtocol>(c.transport));
    c.transport->open();
    return c;
  }

  // Signs in as admin over TLS and returns the health answer's status.
  std::string HealthOverTls() {
    Client c = ConnectTls(certs_ + "/server.crt");
    rpc::Session s;
    c->authenticate(s, "admin", kPassword);
    rpc::Health h;
    c->health(h, s.token);
    return h.status;
  }

  std::unique_ptr<TestCity> city_;
  std::string certs_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<tt::TSSLSocketFactory> factory_;
};

TEST_F(TlsTest, TrustingClientIsServed) { EXPECT_EQ(HealthOverTls(), "ok"); }

TEST_F(TlsTest, ClientTrustingAnotherCertificateGetsNoAnswer) {
  EXPECT_ANY_THROW({
    Client c = ConnectTls(certs_ + "/stranger.crt");
    rpc::Session s;
    c->authenticate(s, "admin", kPassword);
  });
  EXPECT_EQ(HealthOverTls(), "ok") << "the server must keep serving";
}

TEST_F(TlsTest, PlainClientGetsNoAnswer) {
  EXPECT_ANY_THROW({
    Client c = Connect(server_->port());
    rpc::Session s;
    c->authenticate(s, "admin", kPassword);
  });
  EXPECT_EQ(HealthOverTls(), "ok") << "the server must keep serving";
}

TEST_F(TlsTest, CommandLineClientConnectsWithTlsCa) {
  const std::string password = certs_ + "/password";
  std::ofstream(password) << kPassword << "\n";
  const std::string base = "client --port " + std::to_string(server_->port()) +
                           " --user admin --password-file '" + password + "' ";
  std::string out;
  EXPECT_EQ(RunCitygraph(base + "--tls-ca '" + certs_ + "/server.crt' health", &out), 0) << out;
  EXPECT_NE(RunCitygraph(base + "--tls-ca '" + certs_ + "/stranger.crt' health", &out), 0) << out;
  EXPECT_NE(RunCitygraph(base + "health", &out), 0) << "plain TCP to a TLS server: " << out;
}

}  // namespace
}  // namespace citygraph::api::testing
