// Roles and the permission matrix: which service methods each role may call
// and which vertex labels it may see. The matrix is documented, row for row,
// in api/README.md; tests/api/rbac_test.cc checks this code against it.
//
// Thread-safety: constant tables and pure functions.
#ifndef CITYGRAPH_API_RBAC_H_
#define CITYGRAPH_API_RBAC_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/status.h"

namespace citygraph::api {

enum class Role { kAdmin, kInvestigator, kCourtExecutor, kWelfareAuditor, kAnalyst };
inline constexpr std::array<Role, 5> kAllRoles = {
    Role::kAdmin, Role::kInvestigator, Role::kCourtExecutor, Role::kWelfareAuditor, Role::kAnalyst};

// "admin", "investigator", "court_executor", "welfare_auditor", "analyst".
std::string_view RoleName(Role role);
// InvalidArgument naming the unknown role and listing the valid ones.
StatusOr<Role> ParseRole(std::string_view name);

// Every service method (the IDL's names).
enum class Method {
  kAuthenticate,
  kSignout,
  kHealth,
  kStats,
  kProfile,
  kNeighbors,
  kSubgraph,
  kPaths,
  kLocate,
  kConflicts,
  kUpsert,
  kRunAlgorithm,
  kAuditQuery,
  kAuditVerify,
};
inline constexpr int kNumMethods = 14;

// The IDL name, e.g. "runAlgorithm".
std::string_view MethodName(Method method);
// All methods, in enum order.
const std::array<Method, kNumMethods>& AllMethods();

// True iff `role` may call `method`. authenticate is open to everybody.
bool IsAllowed(Role role, Method method);

// True iff `role` may see vertices of label `label` (by schema name).
// Labels unknown to the matrix are visible to admin and investigator only.
bool LabelVisible(Role role, std::string_view label);

// True iff `role` must state a purpose (an open execution case) to locate.
bool LocateNeedsPurpose(Role role);

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_RBAC_H_
