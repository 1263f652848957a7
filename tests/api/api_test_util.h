// Test fixtures for the api end-to-end tests: a tiny hand-made city written
// straight through graph-core, an in-process server on a free 127.0.0.1
// port, and signed-in Thrift clients.
#ifndef CITYGRAPH_TESTS_API_API_TEST_UTIL_H_
#define CITYGRAPH_TESTS_API_API_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "CityGraph.h"
#include "citygraph/api/server.h"
#include "citygraph/graph.h"

namespace citygraph::api::testing {

// A valid 18-character identity number for `serial` (birth 1980-01-01 + serial).
std::string IdNumber(int serial);

// The tiny city. Persons 0..9 (IdNumber(i)); houses 0..4 in grid G001 with
// worker W001; person i resides at house i % 5. Household HH001 (persons 0
// and 1) receives DIBAO; person 0 owns houses 1 and 2. Cases:
//   kOpenCase   open, debtors 0 and 1, creditor 2
//   kClosedCase status closed, debtor 3
//   kOtherCase  open, debtor 4
inline constexpr char kOpenCase[] = "(2024)鄂0102执1号";
inline constexpr char kClosedCase[] = "(2023)鄂0102执9号";
inline constexpr char kOtherCase[] = "(2024)鄂0102执2号";

// Password of every test user; users are named after their role
// ("admin", "investigator", "court_executor", "welfare_auditor", "analyst").
inline constexpr char kPassword[] = "test-password";

class TestCity {
 public:
  // Creates the database in a fresh temporary directory.
  static std::unique_ptr<TestCity> Create();
  ~TestCity();
  const std::string& dir() const { return dir_; }
  Database* db() { return db_.get(); }
  // Closes the database (the server must be gone); Reopen opens it again.
  void Close() { db_.reset(); }
  void Reopen();
  // Directory with the upsert mapping "phones" (CSV: id,phone,since).
  const std::string& mappings_dir() const { return mappings_; }

 private:
  std::string dir_, mappings_;
  std::unique_ptr<Database> db_;
};

// Users file text for one user per role, all with kPassword (fast hashes).
UserStore TestUsers();

// A server on 127.0.0.1:<free port> serving `city`.
std::unique_ptr<Server> StartServer(TestCity* city, ServerOptions options = {});

// A test suite whose tests share one TestCity and one server on it, made
// before the suite's first test and removed after its last.
class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static TestCity* city_;
  static Server* server_;
};

// A framed binary Thrift client, optionally signed in.
struct Client {
  std::shared_ptr<apache::thrift::transport::TTransport> transport;
  std::unique_ptr<rpc::CityGraphClient> rpc;
  std::string token;
  rpc::CityGraphClient* operator->() { return rpc.get(); }
};
Client Connect(int port);
Client SignIn(int port, const std::string& user, const std::string& password = kPassword);

// Runs `fn` and returns the ApiError code it threw, or -1 if it threw none.
template <typename Fn>
int ErrorCodeOf(Fn&& fn) {
  try {
    fn();
  } catch (const rpc::ApiError& e) {
    return e.code;
  }
  return -1;
}

// Path of the built `citygraph` binary.
std::string CitygraphBinary();

// Runs `citygraph <args>` through the shell (`args` is quoted by the caller),
// stores what it wrote to stdout and stderr in *output and returns its exit
// code, or -1 if it did not exit normally.
int RunCitygraph(const std::string& args, std::string* output);

// A TCP port on 127.0.0.1 that was free when asked (for a child server).
int FreePort();

// An upsert through the "phones" mapping: person IdNumber(person) has used
// `phone` since 2024-01-01, as read from `source_file`.
rpc::UpsertRequest PhoneUpsert(int person, const std::string& phone,
                               const std::string& source_file);

// How many of `phones` are not phone keys in the current snapshot of `db`.
size_t MissingPhones(Database* db, const std::vector<std::string>& phones);

}  // namespace citygraph::api::testing

#endif  // CITYGRAPH_TESTS_API_API_TEST_UTIL_H_
