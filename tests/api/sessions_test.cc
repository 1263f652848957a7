#include "citygraph/api/sessions.h"

#include <gtest/gtest.h>

#include <set>

namespace citygraph::api {
namespace {

TEST(SessionsTest, CreateCheckRemove) {
  SessionManager sm(std::chrono::seconds(60));
  auto t = sm.Create("alice", Role::kAnalyst);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 64u);
  auto s = sm.Check(*t);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->user, "alice");
  EXPECT_EQ(s->role, Role::kAnalyst);
  EXPECT_TRUE(sm.Remove(*t).ok());
  EXPECT_EQ(sm.Check(*t).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(sm.Remove(*t).code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(sm.Check("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(sm.Check("deadbeef").status().code(), StatusCode::kUnauthenticated);
}

TEST(SessionsTest, TokensAreDistinct) {
  SessionManager sm(std::chrono::seconds(60));
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) tokens.insert(*sm.Create("u", Role::kAdmin));
  EXPECT_EQ(tokens.size(), 200u);
  EXPECT_EQ(sm.Count(), 200u);
}

TEST(SessionsTest, SessionsExpire) {
  auto now = std::chrono::system_clock::now();
  SessionManager sm(std::chrono::seconds(10), [&] { return now; });
  auto t = *sm.Create("alice", Role::kAdmin);
  now += std::chrono::seconds(9);
  EXPECT_TRUE(sm.Check(t).ok());
  now += std::chrono::seconds(2);
  auto s = sm.Check(t);
  EXPECT_EQ(s.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.status().message().find("expired"), std::string::npos);
  EXPECT_EQ(sm.Count(), 0u);
}

}  // namespace
}  // namespace citygraph::api
