// The permission matrix, checked against the table in api/README.md.
#include "citygraph/api/rbac.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace citygraph::api {
namespace {

// Expected matrix, written out independently of rbac.cc: method -> roles.
const std::map<std::string, std::set<std::string>>& Expected() {
  static const std::map<std::string, std::set<std::string>> kExpected = {
      {"authenticate", {"admin", "investigator", "court_executor", "welfare_auditor", "analyst"}},
      {"signout", {"admin", "investigator", "court_executor", "welfare_auditor", "analyst"}},
      {"health", {"admin", "investigator", "court_executor", "welfare_auditor", "analyst"}},
      {"stats", {"admin", "investigator", "court_executor", "welfare_auditor", "analyst"}},
      {"profile", {"admin", "investigator", "welfare_auditor", "analyst"}},
      {"neighbors", {"admin", "investigator", "welfare_auditor", "analyst"}},
      {"subgraph", {"admin", "investigator", "welfare_auditor", "analyst"}},
      {"paths", {"admin", "investigator", "analyst"}},
      {"locate", {"admin", "investigator", "court_executor"}},
      {"conflicts", {"admin", "welfare_auditor"}},
      {"upsert", {"admin"}},
      {"runAlgorithm", {"admin", "investigator", "analyst"}},
      {"auditQuery", {"admin"}},
      {"auditVerify", {"admin"}},
  };
  return kExpected;
}

TEST(RbacTest, MatrixMatchesDocumentation) {
  ASSERT_EQ(Expected().size(), static_cast<size_t>(kNumMethods));
  for (Method m : AllMethods()) {
    auto it = Expected().find(std::string(MethodName(m)));
    ASSERT_NE(it, Expected().end()) << MethodName(m);
    for (Role r : kAllRoles) {
      EXPECT_EQ(IsAllowed(r, m), it->second.count(std::string(RoleName(r))) == 1)
          << RoleName(r) << " " << MethodName(m);
    }
  }
}

TEST(RbacTest, RoleNamesRoundTrip) {
  for (Role r : kAllRoles) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, r);
  }
  auto bad = ParseRole("root");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("root"), std::string::npos);
}

TEST(RbacTest, LabelVisibility) {
  EXPECT_TRUE(LabelVisible(Role::kAdmin, "Case"));
  EXPECT_TRUE(LabelVisible(Role::kInvestigator, "Phone"));
  EXPECT_TRUE(LabelVisible(Role::kCourtExecutor, "Case"));
  EXPECT_FALSE(LabelVisible(Role::kCourtExecutor, "Vehicle"));
  EXPECT_FALSE(LabelVisible(Role::kCourtExecutor, "Phone"));
  EXPECT_TRUE(LabelVisible(Role::kWelfareAuditor, "Vehicle"));
  EXPECT_FALSE(LabelVisible(Role::kWelfareAuditor, "Case"));
  EXPECT_FALSE(LabelVisible(Role::kAnalyst, "Case"));
  EXPECT_FALSE(LabelVisible(Role::kAnalyst, "Phone"));
  EXPECT_FALSE(LabelVisible(Role::kAnalyst, "Report"));
  EXPECT_TRUE(LabelVisible(Role::kAnalyst, "House"));
  EXPECT_TRUE(LocateNeedsPurpose(Role::kCourtExecutor));
  EXPECT_FALSE(LocateNeedsPurpose(Role::kInvestigator));
}

}  // namespace
}  // namespace citygraph::api
