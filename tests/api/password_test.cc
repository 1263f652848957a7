#include "citygraph/api/password.h"

#include <gtest/gtest.h>

namespace citygraph::api {
namespace {

PasswordParams Fast() { return PasswordParams{1, 1024, 1}; }

TEST(PasswordTest, VerifiesTheRightPasswordOnly) {
  auto h = HashPassword("correct horse", Fast());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*h, "correct hors"));
  EXPECT_FALSE(VerifyPassword(*h, ""));
}

TEST(PasswordTest, SaltsEachHash) {
  auto a = HashPassword("same", Fast());
  auto b = HashPassword("same", Fast());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same"));
  EXPECT_TRUE(VerifyPassword(*b, "same"));
}

TEST(PasswordTest, RefusesEmptyPasswordAndMalformedHashes) {
  EXPECT_EQ(HashPassword("", Fast()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(VerifyPassword("plaintext", "plaintext"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword("", ""));
}

}  // namespace
}  // namespace citygraph::api
