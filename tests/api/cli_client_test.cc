// `citygraph client ...` end to end: the binary against an in-process server
// on the tiny test city, one subcommand at a time, checking that each option
// reaches the request (the printed answer changes with it) and that bad input
// is an error exit, not a crash.
#include <gtest/gtest.h>

#include <fstream>

#include "api_test_util.h"

namespace citygraph::api::testing {
namespace {

class CliClientTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() {
    SharedServerTest::SetUpTestSuite();
    std::ofstream(PasswordFile()) << kPassword << "\n";
  }
  static std::string PasswordFile() { return city_->dir() + "/../password"; }

  // `citygraph client ... <args>` signed in as `user` with the password in
  // `password_file`; returns the exit code.
  static int Run(const std::string& user, const std::string& args, std::string* out,
                 const std::string& password_file = PasswordFile()) {
    std::string cmd = "client --port ";
    cmd.append(std::to_string(server_->port()))
        .append(" --user ")
        .append(user)
        .append(" --password-file '")
        .append(password_file)
        .append("' ")
        .append(args);
    return RunCitygraph(cmd, out);
  }
  // Writes `text` to a file beside the database and returns its path.
  static std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = city_->dir() + "/../" + name;
    std::ofstream(path) << text;
    return path;
  }
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The first line of `text` that starts with `start` ("" if none).
std::string LineStarting(const std::string& text, const std::string& start) {
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (text.compare(at, start.size(), start) == 0) return text.substr(at, end - at);
    at = end + 1;
  }
  return "";
}

TEST_F(CliClientTest, HealthAndWrongPassword) {
  std::string out;
  ASSERT_EQ(Run("analyst", "health", &out), 0) << out;
  EXPECT_TRUE(Has(out, "status ok")) << out;
  EXPECT_EQ(Run("analyst", "health", &out, WriteFile("wrong_password", "wrong\n")), 1) << out;
  EXPECT_TRUE(Has(out, "UNAUTHENTICATED")) << out;
}

TEST_F(CliClientTest, ProfileByKeyAndByVertexId) {
  std::string out;
  ASSERT_EQ(Run("analyst", "profile " + IdNumber(0), &out), 0) << out;
  EXPECT_TRUE(Has(out, "Person 居民0")) << out;
  EXPECT_TRUE(Has(out, "from test/city.csv:")) << out;
  // The line ends in "#<vertex id>": the same person by its id.
  size_t hash = out.find('#');
  ASSERT_NE(hash, std::string::npos) << out;
  std::string id = out.substr(hash + 1, out.find('\n') - hash - 1);
  std::string again;
  ASSERT_EQ(Run("analyst", "profile vertex:" + id, &again), 0) << again;
  EXPECT_EQ(again, out);
}

TEST_F(CliClientTest, BadInputIsAnErrorExitNotACrash) {
  std::string out;
  EXPECT_EQ(Run("analyst", "profile vertex:abc", &out), 1) << out;
  EXPECT_TRUE(Has(out, "vertex: wants a number")) << out;
  EXPECT_EQ(Run("analyst", "profile vertex:", &out), 1) << out;
  EXPECT_EQ(Run("analyst", "profile vertex:99999999999999999999", &out), 1) << out;
  EXPECT_EQ(Run("analyst", "neighbors " + IdNumber(0) + " --direction sideways", &out), 2) << out;
  EXPECT_EQ(Run("analyst", "paths a b --mode longest", &out), 2) << out;
  EXPECT_EQ(Run("analyst", "algo degree --param oops", &out), 1) << out;
  EXPECT_TRUE(Has(out, "--param wants key=value")) << out;
  EXPECT_EQ(Run("analyst", "profile " + IdNumber(99), &out), 1) << out;
  EXPECT_TRUE(Has(out, "NOT_FOUND")) << out;
}

TEST_F(CliClientTest, NeighborsFollowDirectionAndEdgeTypes) {
  std::string out;
  // Person 0 owns houses 1 and 2 and resides at house 0.
  ASSERT_EQ(Run("analyst", "neighbors " + IdNumber(0) + " --direction out --edge-types OWNS", &out),
            0)
      << out;
  EXPECT_TRUE(Has(out, ": 2 neighbour(s)")) << out;
  ASSERT_EQ(Run("analyst", "neighbors " + IdNumber(0) + " --direction in --edge-types OWNS", &out),
            0)
      << out;
  EXPECT_TRUE(Has(out, ": 0 neighbour(s)")) << out;
  ASSERT_EQ(Run("analyst",
                "neighbors " + IdNumber(0) + " --edge-types OWNS RESIDES_AT --labels House", &out),
            0)
      << out;
  EXPECT_TRUE(Has(out, ": 3 neighbour(s)")) << out;
}

TEST_F(CliClientTest, SubgraphAndPaths) {
  std::string out;
  ASSERT_EQ(Run("investigator", "subgraph " + IdNumber(0) + " --hops 1 --edge-types OWNS", &out), 0)
      << out;
  EXPECT_TRUE(Has(out, "3 vertices, 2 edges")) << out;
  // Persons 0 and 1 are members of household HH001.
  ASSERT_EQ(Run("investigator",
                "paths " + IdNumber(0) + " " + IdNumber(1) + " --edge-types MEMBER_OF", &out),
            0)
      << out;
  EXPECT_TRUE(Has(out, "1 path(s)")) << out;
  EXPECT_TRUE(Has(out, "(2 hops)")) << out;
  EXPECT_TRUE(Has(out, "-MEMBER_OF-")) << out;
}

TEST_F(CliClientTest, LocateIsBoundToTheCase) {
  std::string ids = WriteFile("ids.txt", "# debtors\n" + IdNumber(1) + "\r\n\n");
  std::string out;
  ASSERT_EQ(Run("court_executor",
                "locate " + IdNumber(0) + " " + IdNumber(2) + " --ids '" + ids + "' --case '" +
                    kOpenCase + "'",
                &out),
            0)
      << out;
  EXPECT_TRUE(Has(LineStarting(out, IdNumber(0)), " FOUND")) << out;
  EXPECT_TRUE(Has(LineStarting(out, IdNumber(2)), " REFUSED")) << out;  // the creditor
  EXPECT_TRUE(Has(LineStarting(out, IdNumber(1)), " FOUND")) << out;    // from the file
  EXPECT_TRUE(Has(out, "No. 0 Test Road")) << out;
  EXPECT_EQ(Run("court_executor", "locate " + IdNumber(0), &out), 1) << out;
  EXPECT_TRUE(Has(out, "PERMISSION_DENIED")) << out;
}

// An id list as users save it: a byte-order mark, a header, commas. One that
// is not UTF-8 (a GBK export) is refused before anything is sent, naming the
// file, and so is a call that bypasses the CLI's check with such a number.
TEST_F(CliClientTest, LocateIdFileMustBeUtf8) {
  std::string out;
  std::string pasted =
      WriteFile("pasted.txt", "\xEF\xBB\xBF身份证号\n" + IdNumber(0) + ", " + IdNumber(1) + "\n");
  ASSERT_EQ(Run("investigator", "locate --ids '" + pasted + "'", &out), 0) << out;
  EXPECT_TRUE(Has(LineStarting(out, IdNumber(0)), " FOUND")) << out;
  EXPECT_TRUE(Has(LineStarting(out, IdNumber(1)), " FOUND")) << out;
  EXPECT_FALSE(Has(out, "身份证号")) << out;  // the header is not a number

  std::string gbk = WriteFile("gbk.txt", IdNumber(0) + "\n\xC9\xED\xB7\xDD\n");
  EXPECT_EQ(Run("investigator", "locate --ids '" + gbk + "'", &out), 1) << out;
  EXPECT_TRUE(Has(out, "gbk.txt")) << out;
  EXPECT_TRUE(Has(out, "UTF-8")) << out;

  Client c = SignIn(server_->port(), "investigator");
  rpc::LocateRequest req;
  req.ids = {IdNumber(0), "\xC9\xED\xB7\xDD"};
  rpc::LocateResponse r;
  EXPECT_EQ(ErrorCodeOf([&] { c->locate(r, c.token, req); }), rpc::ErrorCode::INVALID_ARGUMENT);
  req.ids.pop_back();
  c->locate(r, c.token, req);
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].status, rpc::LocateStatus::FOUND);
}

TEST_F(CliClientTest, Conflicts) {
  std::string out;
  // Household HH001 receives DIBAO and its member 0 owns two houses.
  ASSERT_EQ(Run("welfare_auditor", "--as-of 2024-06-01 conflicts", &out), 0) << out;
  EXPECT_TRUE(Has(out, "1 household(s) flagged")) << out;
  EXPECT_TRUE(Has(out, "HH001")) << out;
  ASSERT_EQ(Run("welfare_auditor", "--as-of 2019-06-01 conflicts", &out), 0) << out;
  EXPECT_TRUE(Has(out, "0 household(s) flagged")) << out;
}

TEST_F(CliClientTest, UpsertSendsTheHeaderApart) {
  std::string file =
      WriteFile("cli_phones.csv", "id,phone,since\n" + IdNumber(6) + ",13812345678,2024-01-01\n");
  std::string out;
  EXPECT_EQ(Run("analyst", "upsert --mapping phones --file '" + file + "'", &out), 1) << out;
  EXPECT_TRUE(Has(out, "PERMISSION_DENIED")) << out;
  EXPECT_EQ(MissingPhones(city_->db(), {"13812345678"}), 1u);
  ASSERT_EQ(Run("admin", "upsert --mapping phones --file '" + file + "'", &out), 0) << out;
  EXPECT_TRUE(Has(out, "accepted 1, rejected 0")) << out;
  EXPECT_EQ(MissingPhones(city_->db(), {"13812345678"}), 0u);
  // Without a header the server refuses: the mapping expects one.
  EXPECT_EQ(Run("admin", "upsert --no-header --mapping phones --file '" + file + "'", &out), 1)
      << out;
  EXPECT_TRUE(Has(out, "expects a header line")) << out;
}

TEST_F(CliClientTest, AlgorithmAndAudit) {
  std::string out;
  ASSERT_EQ(Run("welfare_auditor", "stats", &out), 0) << out;
  ASSERT_EQ(Run("analyst", "algo degree --top 2", &out), 0) << out;
  EXPECT_EQ(out.rfind("degree\n", 0), 0u) << out;
  ASSERT_EQ(Run("admin", "audit-verify", &out), 0) << out;
  EXPECT_TRUE(Has(out, "intact")) << out;
  ASSERT_EQ(Run("admin", "audit-show --user welfare_auditor --limit 1", &out), 0) << out;
  EXPECT_TRUE(Has(out, " welfare_auditor ")) << out;
  EXPECT_FALSE(Has(out, " analyst ")) << out;
  EXPECT_EQ(Run("analyst", "audit-verify", &out), 1) << out;
}

}  // namespace
}  // namespace citygraph::api::testing
