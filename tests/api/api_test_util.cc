#include "api_test_util.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "citygraph/api/password.h"
#include "citygraph/schema.h"

namespace citygraph::api::testing {

namespace fs = std::filesystem;

std::string IdNumber(int serial) {
  // Area 420102, birth date 1980-01-01 + serial days (within January..), sequence.
  char body[32];
  std::snprintf(body, sizeof(body), "420102198001%02d%03d", 1 + serial % 28, 100 + serial % 900);
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

namespace {

template <typename T>
T Must(StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    ADD_FAILURE() << what << ": " << v.status().ToString();
    std::abort();
  }
  return std::move(v).value();
}

constexpr char kPhonesMapping[] = R"(department: 网格
file: unused.csv
format: csv
encoding: utf-8
header: true
columns:
  id: {normalize: [id_number], required: true}
  phone: {normalize: [phone], required: true}
  since: [date]
vertices:
  - as: person
    label: Person
    key: {kind: id_number, column: id}
  - as: phone
    label: Phone
    key: {kind: phone, column: phone}
edges:
  - {type: USES, from: person, to: phone, valid_from: since}
subject: person
)";

void Build(Database* db) {
  const Schema& s = *db->schema();
  auto L = [&](const char* n) { return Must(s.FindLabel(n), n); };
  auto E = [&](const char* n) { return Must(s.FindEdgeType(n), n); };
  auto K = [&](const char* n) { return Must(s.FindKeyKind(n), n); };
  auto P = [&](LabelId l, const char* n) { return Must(s.FindVertexProperty(l, n), n); };
  SourceId src = Must(db->RegisterSource("test", "city.csv"), "source");
  uint32_t rec = 0;
  auto S = [&] { return SourceRef{src, ++rec, 0}; };
  WriteBatch b(db->schema());
  LabelId person = L("Person"), house = L("House"), grid = L("Grid"), worker = L("GridWorker");
  LabelId kase = L("Case"), hh = L("Household"), program = L("Program");
  Date d2020 = *Date::Parse("2020-01-01");
  std::vector<VertexRef> persons, houses;
  for (int i = 0; i < 10; ++i) {
    VertexRef v = b.AddVertex(person);
    b.AddKey(v, K("id_number"), IdNumber(i));
    b.SetProperty(v, P(person, "name"), std::string("居民") + std::to_string(i), S());
    persons.push_back(v);
  }
  VertexRef g = b.AddVertex(grid);
  b.AddKey(g, K("grid_code"), "G001");
  b.SetProperty(g, P(grid, "name"), std::string("First grid"), S());
  VertexRef w = b.AddVertex(worker);
  b.AddKey(w, K("worker_no"), "W001");
  b.SetProperty(w, P(worker, "name"), std::string("网格员甲"), S());
  b.AddEdge(EdgeSpec{E("ASSIGNED_TO"), w, g, d2020, Date::Max(), S(), {}});
  for (int i = 0; i < 5; ++i) {
    VertexRef v = b.AddVertex(house);
    b.AddKey(v, K("cert_no"), "CERT" + std::to_string(i));
    b.SetProperty(v, P(house, "address"), "No. " + std::to_string(i) + " Test Road", S());
    b.AddEdge(EdgeSpec{E("LOCATED_IN"), v, g, d2020, Date::Max(), S(), {}});
    houses.push_back(v);
  }
  EdgeTypeId resides = E("RESIDES_AT");
  PropId evidence = Must(s.FindEdgeProperty(resides, "evidence"), "evidence");
  for (int i = 0; i < 10; ++i) {
    b.AddEdge(EdgeSpec{resides,
                       persons[i],
                       houses[i % 5],
                       d2020,
                       Date::Max(),
                       S(),
                       {{evidence, std::string("rental_registration")}}});
  }
  EdgeTypeId party = E("PARTY_TO");
  PropId role = Must(s.FindEdgeProperty(party, "role"), "role");
  auto add_case = [&](const char* no, const char* status,
                      std::vector<std::pair<int, const char*>> parties,
                      std::optional<Date> closed) {
    VertexRef c = b.AddVertex(kase);
    b.AddKey(c, K("case_no"), no);
    b.SetProperty(c, P(kase, "status"), std::string(status), S());
    if (closed) b.SetProperty(c, P(kase, "closed"), *closed, S());
    for (auto [p, r] : parties) {
      b.AddEdge(EdgeSpec{party, persons[p], c, d2020, Date::Max(), S(), {{role, std::string(r)}}});
    }
  };
  add_case(kOpenCase, "executing", {{0, "debtor"}, {1, "debtor"}, {2, "creditor"}}, std::nullopt);
  add_case(kClosedCase, "closed", {{3, "debtor"}}, *Date::Parse("2024-01-01"));
  add_case(kOtherCase, "executing", {{4, "debtor"}}, std::nullopt);
  VertexRef h = b.AddVertex(hh);
  b.AddKey(h, K("household_no"), "HH001");
  VertexRef dibao = b.AddVertex(program);
  b.AddKey(dibao, K("program_code"), "DIBAO");
  b.AddEdge(EdgeSpec{E("MEMBER_OF"), persons[0], h, d2020, Date::Max(), S(), {}});
  b.AddEdge(EdgeSpec{E("MEMBER_OF"), persons[1], h, d2020, Date::Max(), S(), {}});
  b.AddEdge(EdgeSpec{E("RECEIVES"), h, dibao, d2020, Date::Max(), S(), {}});
  b.AddEdge(EdgeSpec{E("REGISTERED_AT"), h, houses[0], d2020, Date::Max(), S(), {}});
  b.AddEdge(EdgeSpec{E("OWNS"), persons[0], houses[1], d2020, Date::Max(), S(), {}});
  b.AddEdge(EdgeSpec{E("OWNS"), persons[0], houses[2], d2020, Date::Max(), S(), {}});
  Must(db->Write(b), "write city");
}

}  // namespace

std::unique_ptr<TestCity> TestCity::Create() {
  auto city = std::make_unique<TestCity>();
  static int counter = 0;
  fs::path base = fs::temp_directory_path() / ("citygraph-api-test-" + std::to_string(getpid()) +
                                               "-" + std::to_string(counter++));
  fs::remove_all(base);
  fs::create_directories(base / "mappings");
  city->dir_ = (base / "db").string();
  city->mappings_ = (base / "mappings").string();
  std::ofstream(base / "mappings" / "phones.yaml") << kPhonesMapping;
  auto schema = Must(Schema::ReadFile(CITYGRAPH_SCHEMA_PATH), "schema");
  city->db_ = Must(Database::Create(city->dir_, schema), "create db");
  Build(city->db_.get());
  return city;
}

TestCity::~TestCity() {
  db_.reset();
  std::error_code ec;
  fs::remove_all(fs::path(dir_).parent_path(), ec);
}

void TestCity::Reopen() { db_ = Must(Database::Open(dir_, {}), "reopen db"); }

UserStore TestUsers() {
  // Fast argon2 parameters: these users exist only for tests.
  std::string json = "{\"users\": [";
  bool first = true;
  for (Role r : kAllRoles) {
    auto hash = Must(HashPassword(kPassword, PasswordParams{1, 256, 1}), "hash");
    if (!first) json += ",";
    first = false;
    json += "{\"name\": \"" + std::string(RoleName(r)) + "\", \"role\": \"" +
            std::string(RoleName(r)) + "\", \"password_hash\": \"" + hash + "\"}";
  }
  json += "]}";
  return Must(UserStore::Parse(json, "test users"), "users");
}

std::unique_ptr<Server> StartServer(TestCity* city, ServerOptions options) {
  options.host = "127.0.0.1";
  options.port = 0;
  if (options.mappings_dir.empty()) options.mappings_dir = city->mappings_dir();
  auto server = Must(Server::Create(city->db(), TestUsers(), options), "server");
  Status st = server->Start();
  if (!st.ok()) {
    ADD_FAILURE() << st.ToString();
    std::abort();
  }
  return server;
}

TestCity* SharedServerTest::city_ = nullptr;
Server* SharedServerTest::server_ = nullptr;

void SharedServerTest::SetUpTestSuite() {
  city_ = TestCity::Create().release();
  server_ = StartServer(city_).release();
}

void SharedServerTest::TearDownTestSuite() {
  delete server_;  // before the database it serves
  server_ = nullptr;
  delete city_;
  city_ = nullptr;
}

Client Connect(int port) {
  namespace tt = apache::thrift::transport;
  Client c;
  auto socket = std::make_shared<tt::TSocket>("127.0.0.1", port);
  socket->setRecvTimeout(60000);
  c.transport = std::make_shared<tt::TFramedTransport>(socket);
  c.rpc = std::make_unique<rpc::CityGraphClient>(
      std::make_shared<apache::thrift::protocol::TBinaryProtocol>(c.transport));
  c.transport->open();
  return c;
}

Client SignIn(int port, const std::string& user, const std::string& password) {
  Client c = Connect(port);
  rpc::Session s;
  c.rpc->authenticate(s, user, password);
  c.token = s.token;
  return c;
}

std::string CitygraphBinary() { return CITYGRAPH_BINARY; }

int RunCitygraph(const std::string& args, std::string* output) {
  std::string cmd = CitygraphBinary();
  cmd.append(" ").append(args).append(" 2>&1");
  output->clear();
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) output->append(buf, n);
  int rc = pclose(p);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "no free port: " << std::strerror(errno);
  }
  if (fd >= 0) close(fd);
  return ntohs(addr.sin_port);
}

rpc::UpsertRequest PhoneUpsert(int person, const std::string& phone,
                               const std::string& source_file) {
  rpc::UpsertRequest r;
  r.mapping = "phones";
  r.__set_header("id,phone,since");
  r.records = {IdNumber(person) + "," + phone + ",2024-01-01"};
  r.source_file = source_file;
  return r;
}

size_t MissingPhones(Database* db, const std::vector<std::string>& phones) {
  auto snap = db->GetSnapshot();
  KeyKindId phone_kind = Must(snap->schema().FindKeyKind("phone"), "phone key kind");
  size_t missing = 0;
  for (const auto& p : phones) missing += !snap->FindByKey(phone_kind, p).ok();
  return missing;
}

}  // namespace citygraph::api::testing
