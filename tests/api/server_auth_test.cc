// End to end through a real Thrift client: sessions and the role matrix.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "api_test_util.h"
#include "citygraph/api/rbac.h"

namespace citygraph::api::testing {
namespace {

class ServerAuthTest : public SharedServerTest {};

// One call of every method (but authenticate) with `token`, a harmless valid request each.
std::map<std::string, std::function<void(Client&, const std::string&)>> Calls() {
  std::map<std::string, std::function<void(Client&, const std::string&)>> m;
  rpc::EntityRef person;
  person.__set_key(IdNumber(0));
  m["signout"] = [](Client& c, const std::string& t) { c->signout(t); };
  m["health"] = [](Client& c, const std::string& t) {
    rpc::Health h;
    c->health(h, t);
  };
  m["stats"] = [](Client& c, const std::string& t) {
    rpc::Stats s;
    c->stats(s, t);
  };
  m["profile"] = [person](Client& c, const std::string& t) {
    rpc::ProfileRequest r;
    r.entity = person;
    rpc::Profile p;
    c->profile(p, t, r);
  };
  m["neighbors"] = [person](Client& c, const std::string& t) {
    rpc::NeighborsRequest r;
    r.entity = person;
    rpc::NeighborsResult out;
    c->neighbors(out, t, r);
  };
  m["subgraph"] = [person](Client& c, const std::string& t) {
    rpc::SubgraphRequest r;
    r.entity = person;
    rpc::Subgraph out;
    c->subgraph(out, t, r);
  };
  m["paths"] = [person](Client& c, const std::string& t) {
    rpc::PathsRequest r;
    r.from_entity = person;
    r.to_entity.__set_key(IdNumber(1));
    rpc::PathsResult out;
    c->paths(out, t, r);
  };
  m["locate"] = [](Client& c, const std::string& t) {
    rpc::LocateRequest r;
    r.ids = {IdNumber(0)};
    rpc::Purpose p;
    p.case_no = kOpenCase;
    r.__set_purpose(p);
    rpc::LocateResponse out;
    c->locate(out, t, r);
  };
  m["conflicts"] = [](Client& c, const std::string& t) {
    rpc::ConflictsRequest r;
    r.as_of = "2024-06-01";
    rpc::ConflictsPage out;
    c->conflicts(out, t, r);
  };
  m["upsert"] = [](Client& c, const std::string& t) {
    rpc::UpsertResult out;
    c->upsert(out, t, PhoneUpsert(5, "13800000005", "matrix.csv"));
  };
  m["runAlgorithm"] = [](Client& c, const std::string& t) {
    rpc::AlgorithmRequest r;
    r.name = "degree";
    rpc::AlgorithmResult out;
    c->runAlgorithm(out, t, r);
  };
  m["auditQuery"] = [](Client& c, const std::string& t) {
    rpc::AuditQuery q;
    q.limit = 5;
    std::vector<rpc::AuditEntry> out;
    c->auditQuery(out, t, q);
  };
  m["auditVerify"] = [](Client& c, const std::string& t) {
    rpc::AuditVerifyResult out;
    c->auditVerify(out, t);
  };
  return m;
}

TEST_F(ServerAuthTest, EveryMethodRefusesAnUnauthenticatedCall) {
  Client c = Connect(server_->port());
  auto calls = Calls();
  ASSERT_EQ(calls.size(), static_cast<size_t>(kNumMethods - 1));  // all but authenticate
  for (const auto& [name, call] : calls) {
    for (const std::string& token :
         std::vector<std::string>{"", "not-a-token", std::string(64, 'a')}) {
      EXPECT_EQ(ErrorCodeOf([&] { call(c, token); }), rpc::ErrorCode::UNAUTHENTICATED)
          << name << " with token '" << token << "'";
    }
  }
}

TEST_F(ServerAuthTest, WrongPasswordAndUnknownUserAreRefused) {
  Client c = Connect(server_->port());
  rpc::Session s;
  EXPECT_EQ(ErrorCodeOf([&] { c->authenticate(s, "admin", "wrong"); }),
            rpc::ErrorCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorCodeOf([&] { c->authenticate(s, "nobody", kPassword); }),
            rpc::ErrorCode::UNAUTHENTICATED);
  c->authenticate(s, "analyst", kPassword);
  EXPECT_EQ(s.role, "analyst");
  EXPECT_EQ(s.token.size(), 64u);
}

TEST_F(ServerAuthTest, SignoutEndsTheSession) {
  Client c = SignIn(server_->port(), "investigator");
  rpc::Health h;
  c->health(h, c.token);
  EXPECT_EQ(h.status, "ok");
  EXPECT_EQ(h.api_version_major, 1);
  c->signout(c.token);
  EXPECT_EQ(ErrorCodeOf([&] { c->health(h, c.token); }), rpc::ErrorCode::UNAUTHENTICATED);
}

TEST_F(ServerAuthTest, RoleMatrixMethodByMethod) {
  auto calls = Calls();
  for (Role role : kAllRoles) {
    for (Method m : AllMethods()) {
      if (m == Method::kAuthenticate) continue;
      std::string name(MethodName(m));
      Client c = SignIn(server_->port(), std::string(RoleName(role)));
      int code = ErrorCodeOf([&] { calls.at(name)(c, c.token); });
      if (IsAllowed(role, m)) {
        EXPECT_NE(code, rpc::ErrorCode::PERMISSION_DENIED) << RoleName(role) << " " << name;
        EXPECT_NE(code, rpc::ErrorCode::UNAUTHENTICATED) << RoleName(role) << " " << name;
        EXPECT_EQ(code, -1) << RoleName(role) << " " << name;
      } else {
        EXPECT_EQ(code, rpc::ErrorCode::PERMISSION_DENIED) << RoleName(role) << " " << name;
      }
    }
  }
}

TEST_F(ServerAuthTest, HiddenLabelsAreRefusedAndNotTraversed) {
  rpc::ProfileRequest r;
  r.entity.__set_kind("case_no");
  r.entity.__set_key(kOpenCase);
  rpc::Profile p;
  Client analyst = SignIn(server_->port(), "analyst");
  EXPECT_EQ(ErrorCodeOf([&] { analyst->profile(p, analyst.token, r); }),
            rpc::ErrorCode::PERMISSION_DENIED);
  Client inv = SignIn(server_->port(), "investigator");
  inv->profile(p, inv.token, r);
  EXPECT_EQ(p.entity.label, "Case");

  // Person 0 is party to a case; the analyst's neighbours never include it.
  rpc::NeighborsRequest nr;
  nr.entity.__set_key(IdNumber(0));
  rpc::NeighborsResult an, in;
  analyst->neighbors(an, analyst.token, nr);
  inv->neighbors(in, inv.token, nr);
  auto count_cases = [](const rpc::NeighborsResult& res) {
    int n = 0;
    for (const auto& x : res.neighbors) n += x.entity.label == "Case";
    return n;
  };
  EXPECT_EQ(count_cases(an), 0);
  EXPECT_EQ(count_cases(in), 1);
  EXPECT_GT(an.neighbors.size(), 0u);
}

TEST_F(ServerAuthTest, ErrorsCarryCodes) {
  Client c = SignIn(server_->port(), "admin");
  rpc::ProfileRequest r;
  r.entity.__set_key(IdNumber(99));
  rpc::Profile p;
  EXPECT_EQ(ErrorCodeOf([&] { c->profile(p, c.token, r); }), rpc::ErrorCode::NOT_FOUND);
  r.entity = rpc::EntityRef();
  EXPECT_EQ(ErrorCodeOf([&] { c->profile(p, c.token, r); }), rpc::ErrorCode::INVALID_ARGUMENT);
  rpc::LocateRequest lr;
  lr.ids.assign(40000, IdNumber(0));
  rpc::LocateResponse lo;
  EXPECT_EQ(ErrorCodeOf([&] { c->locate(lo, c.token, lr); }), rpc::ErrorCode::LIMIT_EXCEEDED);
  rpc::ProfileRequest bad_date;
  bad_date.entity.__set_key(IdNumber(0));
  rpc::RequestOptions o;
  o.__set_as_of("2024-13-01");
  bad_date.__set_options(o);
  EXPECT_EQ(ErrorCodeOf([&] { c->profile(p, c.token, bad_date); }),
            rpc::ErrorCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace citygraph::api::testing
