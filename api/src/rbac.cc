#include "citygraph/api/rbac.h"

#include <algorithm>

namespace citygraph::api {
namespace {

// Rows: methods in enum order. Columns: admin, investigator, court_executor,
// welfare_auditor, analyst.
constexpr bool kMatrix[kNumMethods][5] = {
    /* authenticate */ {true, true, true, true, true},
    /* signout      */ {true, true, true, true, true},
    /* health       */ {true, true, true, true, true},
    /* stats        */ {true, true, true, true, true},
    /* profile      */ {true, true, false, true, true},
    /* neighbors    */ {true, true, false, true, true},
    /* subgraph     */ {true, true, false, true, true},
    /* paths        */ {true, true, false, false, true},
    /* locate       */ {true, true, true, false, false},
    /* conflicts    */ {true, false, false, true, false},
    /* upsert       */ {true, false, false, false, false},
    /* runAlgorithm */ {true, true, false, false, true},
    /* auditQuery   */ {true, false, false, false, false},
    /* auditVerify  */ {true, false, false, false, false},
};

constexpr std::array<std::string_view, 5> kRoleNames = {"admin", "investigator", "court_executor",
                                                        "welfare_auditor", "analyst"};

constexpr std::array<std::string_view, kNumMethods> kMethodNames = {
    "authenticate", "signout", "health",    "stats",  "profile",      "neighbors",  "subgraph",
    "paths",        "locate",  "conflicts", "upsert", "runAlgorithm", "auditQuery", "auditVerify"};

// Labels a restricted role may see; admin and investigator see everything.
const std::vector<std::string_view>& VisibleLabels(Role role) {
  static const std::vector<std::string_view> kCourt = {"Person", "Household",  "House", "Case",
                                                       "Grid",   "GridWorker", "Area"};
  static const std::vector<std::string_view> kWelfare = {
      "Person", "Household", "House", "Business", "Vehicle", "Program", "Area", "Grid"};
  static const std::vector<std::string_view> kAnalyst = kWelfare;
  static const std::vector<std::string_view> kNone;
  switch (role) {
    case Role::kCourtExecutor:
      return kCourt;
    case Role::kWelfareAuditor:
      return kWelfare;
    case Role::kAnalyst:
      return kAnalyst;
    default:
      return kNone;
  }
}

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<int>(role)]; }

StatusOr<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return InvalidArgument(
      "unknown role '" + std::string(name) +
      "' (valid: admin, investigator, court_executor, welfare_auditor, analyst)");
}

std::string_view MethodName(Method method) { return kMethodNames[static_cast<int>(method)]; }

const std::array<Method, kNumMethods>& AllMethods() {
  static const std::array<Method, kNumMethods> kAll = [] {
    std::array<Method, kNumMethods> a{};
    for (int i = 0; i < kNumMethods; ++i) a[i] = static_cast<Method>(i);
    return a;
  }();
  return kAll;
}

bool IsAllowed(Role role, Method method) {
  return kMatrix[static_cast<int>(method)][static_cast<int>(role)];
}

bool LabelVisible(Role role, std::string_view label) {
  if (role == Role::kAdmin || role == Role::kInvestigator) return true;
  const auto& v = VisibleLabels(role);
  return std::find(v.begin(), v.end(), label) != v.end();
}

bool LocateNeedsPurpose(Role role) { return role == Role::kCourtExecutor; }

}  // namespace citygraph::api
