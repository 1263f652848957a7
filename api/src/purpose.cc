#include "citygraph/api/purpose.h"

#include <algorithm>
#include <array>

namespace citygraph::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool IsClosedStatus(std::string_view status) {
  static constexpr std::array<std::string_view, 3> kClosed = {"closed", "concluded", "terminated"};
  // Court wording: 结案, 终结本次执行程序 (终本), 执行完毕.
  static constexpr std::array<std::string_view, 4> kClosedParts = {"结案", "终结", "终本", "完毕"};
  std::string lower(status);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(kClosed.begin(), kClosed.end(), lower) != kClosed.end()) return true;
  for (std::string_view part : kClosedParts) {
    if (status.find(part) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

StatusOr<CourtPurpose> ResolveCourtPurpose(const Snapshot& snap, std::string_view case_no,
                                           Date today) {
  case_no = Trim(case_no);
  if (case_no.empty()) {
    return InvalidArgument("a court locate must state its execution case number (purpose.case_no)");
  }
  const Schema& schema = snap.schema();
  auto kind = schema.FindKeyKind("case_no");
  auto case_label = schema.FindLabel("Case");
  auto party_to = schema.FindEdgeType("PARTY_TO");
  if (!kind.ok() || !case_label.ok() || !party_to.ok()) {
    return Internal("schema lacks case_no / Case / PARTY_TO needed for purpose binding");
  }
  std::string refused = "case '" + std::string(case_no) + "'";
  auto v = snap.FindByKey(*kind, case_no);
  if (!v.ok() || snap.label(*v) != *case_label) {
    return PermissionDenied(refused + " is not a known execution case");
  }
  auto status_prop = schema.FindVertexProperty(*case_label, "status");
  if (status_prop.ok()) {
    Value s = snap.property(*v, *status_prop);
    if (auto* str = std::get_if<std::string>(&s); str != nullptr && IsClosedStatus(*str)) {
      return PermissionDenied(refused + " is closed (status " + *str + ")");
    }
  }
  auto closed_prop = schema.FindVertexProperty(*case_label, "closed");
  if (closed_prop.ok()) {
    Value c = snap.property(*v, *closed_prop);
    if (auto* d = std::get_if<Date>(&c); d != nullptr && *d <= today) {
      return PermissionDenied(refused + " was closed on " + d->ToString());
    }
  }
  CourtPurpose purpose;
  purpose.case_vertex = *v;
  purpose.case_no = std::string(case_no);
  auto role_prop = schema.FindEdgeProperty(*party_to, "role");
  for (const AdjEntry& a : snap.in_edges(*v)) {
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type != *party_to || !ValidOn(rec.valid_from, rec.valid_to, today)) continue;
    if (!role_prop.ok()) continue;
    for (const auto& [prop, value] : snap.edge_properties(a.edge)) {
      if (prop != *role_prop) continue;
      auto* role = std::get_if<std::string>(&value);
      if (role != nullptr && (*role == "debtor" || *role == "被执行人")) {
        purpose.debtors.insert(a.nbr);
      }
    }
  }
  return purpose;
}

}  // namespace citygraph::api
