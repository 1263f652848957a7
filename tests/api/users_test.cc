#include "citygraph/api/users.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace citygraph::api {
namespace {

TEST(UsersTest, AddSaveLoadAuthenticate) {
  UserStore store;
  ASSERT_TRUE(store.Add("alice", Role::kInvestigator, "pw-a").ok());
  ASSERT_TRUE(store.Add("bob", Role::kCourtExecutor, "pw-b").ok());
  auto path =
      std::filesystem::temp_directory_path() / ("users_test_" + std::to_string(getpid()) + ".json");
  ASSERT_TRUE(store.Save(path.string()).ok());
  auto loaded = UserStore::Load(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->size(), 2u);
  auto a = loaded->Authenticate("alice", "pw-a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->role, Role::kInvestigator);
  EXPECT_EQ(loaded->Authenticate("alice", "pw-b").status().code(), StatusCode::kUnauthenticated);
  auto unknown = loaded->Authenticate("carol", "pw-a");
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  // Same message for unknown users and wrong passwords.
  EXPECT_EQ(unknown.status().message(), loaded->Authenticate("alice", "x").status().message());
}

TEST(UsersTest, AddReplacesExistingUser) {
  UserStore store;
  ASSERT_TRUE(store.Add("alice", Role::kAnalyst, "old").ok());
  ASSERT_TRUE(store.Add("alice", Role::kAdmin, "new").ok());
  EXPECT_EQ(store.size(), 1u);
  EXPECT_FALSE(store.Authenticate("alice", "old").ok());
  auto a = store.Authenticate("alice", "new");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->role, Role::kAdmin);
}

TEST(UsersTest, RefusesBadNamesAndFiles) {
  UserStore store;
  EXPECT_EQ(store.Add("", Role::kAdmin, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Add("a b", Role::kAdmin, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Add("ok", Role::kAdmin, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UserStore::Load("/nonexistent/users.json").status().code(), StatusCode::kNotFound);

  auto bad_json = UserStore::Parse("{", "u.json");
  EXPECT_EQ(bad_json.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_json.status().message().find("u.json"), std::string::npos);

  auto bad_role = UserStore::Parse(
      R"({"users":[{"name":"x","role":"king","password_hash":"$argon2id$v=19$m=1,t=1,p=1$a$b"}]})",
      "u.json");
  EXPECT_EQ(bad_role.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_role.status().message().find("king"), std::string::npos);

  auto plain = UserStore::Parse(
      R"({"users":[{"name":"x","role":"admin","password_hash":"secret"}]})", "u.json");
  EXPECT_EQ(plain.status().code(), StatusCode::kInvalidArgument);

  auto missing = UserStore::Parse(R"({"users":[{"name":"x","role":"admin"}]})", "u.json");
  EXPECT_NE(missing.status().message().find("password_hash"), std::string::npos);
}

}  // namespace
}  // namespace citygraph::api
