#include "convert.h"

#include <set>

namespace citygraph::api::internal {

rpc::ErrorCode::type ToErrorCode(StatusCode code) {
  switch (code) {
    case StatusCode::kNotFound:
      return rpc::ErrorCode::NOT_FOUND;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return rpc::ErrorCode::INVALID_ARGUMENT;
    case StatusCode::kPermissionDenied:
      return rpc::ErrorCode::PERMISSION_DENIED;
    case StatusCode::kResourceExhausted:
      return rpc::ErrorCode::LIMIT_EXCEEDED;
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled:
      return rpc::ErrorCode::DEADLINE_EXCEEDED;
    case StatusCode::kUnauthenticated:
      return rpc::ErrorCode::UNAUTHENTICATED;
    default:
      return rpc::ErrorCode::INTERNAL;
  }
}

rpc::ApiError ToApiError(const Status& status) {
  rpc::ApiError e;
  e.code = ToErrorCode(status.code());
  e.message = status.message();
  return e;
}

std::string OutcomeName(const Status& status) {
  if (status.ok()) return "OK";
  auto code = ToErrorCode(status.code());
  auto it = rpc::_ErrorCode_VALUES_TO_NAMES.find(code);
  return it == rpc::_ErrorCode_VALUES_TO_NAMES.end() ? "INTERNAL" : it->second;
}

std::string DateText(Date d) {
  if (d == Date::Min() || d == Date::Max()) return "";
  return d.ToString();
}

rpc::Entity ToEntity(const query::EntityRef& e) {
  rpc::Entity out;
  out.id = e.id;
  out.label = e.label;
  if (!e.key_kind.empty()) {
    rpc::Key k;
    k.kind = e.key_kind;
    k.value = e.key;
    out.keys.push_back(std::move(k));
  }
  out.display = e.name.empty() ? e.key : e.name;
  return out;
}

rpc::Entity ToEntity(query::EntityRef&& e) {
  rpc::Entity out;
  out.id = e.id;
  out.label = std::move(e.label);
  out.display = e.name.empty() ? e.key : std::move(e.name);
  if (!e.key_kind.empty()) {
    rpc::Key k;
    k.kind = std::move(e.key_kind);
    k.value = std::move(e.key);
    out.keys.push_back(std::move(k));
  }
  return out;
}

rpc::Source ToSource(const query::Evidence& ev) {
  rpc::Source s;
  s.department = ev.department;
  s.file = ev.file;
  s.record = ev.record;
  s.batch = ev.batch;
  s.recorded_at = ev.recorded_at.ToString();
  return s;
}

rpc::Edge ToEdge(const query::Evidence& ev) {
  rpc::Edge out;
  out.id = ev.edge;
  out.type = ev.type;
  out.src = ev.from.id;
  out.dst = ev.to.id;
  out.valid_from = DateText(ev.valid_from);
  out.valid_to = DateText(ev.valid_to);
  out.source = ToSource(ev);
  for (const auto& [k, v] : ev.props) out.properties[k] = v;
  if (auto score = ev.min_match_score(); score.has_value()) {
    out.properties["match_score"] = std::to_string(*score);
  }
  return out;
}

rpc::Evidence ToEvidence(const query::Evidence& ev, std::string kind, std::string date) {
  rpc::Evidence out;
  out.kind = kind.empty() ? ev.type : std::move(kind);
  out.__set_edge(ToEdge(ev));
  out.source = out.edge.source;  // rendered once
  out.date = date.empty() ? DateText(ev.valid_from) : std::move(date);
  out.detail = ev.from.label + " " + (ev.from.name.empty() ? ev.from.key : ev.from.name) + " -" +
               ev.type + "-> " + ev.to.label + " " + (ev.to.name.empty() ? ev.to.key : ev.to.name);
  return out;
}

rpc::Truncation ToTruncation(const query::Truncation& t) {
  rpc::Truncation out;
  out.truncated = t.truncated;
  if (t.truncated) {
    out.reason = std::string(query::TruncationReasonName(t.reason));
    if (!t.detail.empty()) out.reason += ": " + t.detail;
  }
  return out;
}

rpc::Path ToPath(const query::Path& p) {
  rpc::Path out;
  for (const auto& v : p.vertices) out.vertices.push_back(ToEntity(v));
  for (const auto& e : p.edges) out.edges.push_back(ToEdge(e));
  return out;
}

rpc::LocateResult ToLocateResult(query::LocateRow&& row) {
  rpc::LocateResult out;
  out.input = std::move(row.input);
  out.normalized = std::move(row.normalized);
  switch (row.status) {
    case query::LocateStatus::kFound:
      out.status = rpc::LocateStatus::FOUND;
      break;
    case query::LocateStatus::kNotFound:
      out.status = rpc::LocateStatus::NOT_FOUND;
      break;
    case query::LocateStatus::kInvalidId:
      out.status = rpc::LocateStatus::INVALID_ID;
      break;
    case query::LocateStatus::kAmbiguous:
      out.status = rpc::LocateStatus::AMBIGUOUS;
      break;
  }
  out.message = std::move(row.message);
  if (row.person) out.__set_person(ToEntity(std::move(*row.person)));
  out.candidates.reserve(row.candidates.size());
  for (auto& c : row.candidates) {
    rpc::Candidate rc;
    rc.house = ToEntity(std::move(c.house));
    rc.address = std::move(c.address);
    if (c.grid) {
      rc.grid_code = std::move(c.grid->key);
      rc.grid_name = std::move(c.grid->name);
    }
    rc.confidence = c.confidence;
    rc.evidence.reserve(c.evidence.size());
    for (auto& item : c.evidence) {
      rc.evidence.push_back(ToEvidence(item.edge, std::move(item.kind), DateText(item.date)));
    }
    out.candidates.push_back(std::move(rc));
  }
  std::set<VertexId> seen;
  for (auto& m : row.household) {
    if (seen.insert(m.person.id).second)
      out.household_members.push_back(ToEntity(std::move(m.person)));
  }
  if (!row.grid_workers.empty())
    out.__set_grid_worker(ToEntity(std::move(row.grid_workers.front())));
  return out;
}

rpc::HouseholdConflict ToHouseholdConflict(const query::ConflictHousehold& h) {
  rpc::HouseholdConflict out;
  out.household = ToEntity(h.household);
  for (const auto& m : h.members) out.members.push_back(ToEntity(m.person));
  for (const auto& hit : h.hits) {
    rpc::RuleHit rh;
    rh.rule = hit.rule_id;
    rh.member = ToEntity(hit.member);
    for (const auto& ev : hit.evidence) rh.evidence.push_back(ToEvidence(ev, "", ""));
    rh.detail = hit.description;
    out.hits.push_back(std::move(rh));
  }
  for (const auto& ev : h.probabilistic_links) {
    for (const auto& m : ev.matches) {
      if (!m.probabilistic) continue;
      rpc::ProbabilisticLink link;
      link.vertex = m.vertex;
      link.score = m.score;
      link.explanation = ev.type + " edge " + std::to_string(ev.edge) + " from " + ev.department +
                         "/" + ev.file + " record " + std::to_string(ev.record) + " (" +
                         m.decision + ")";
      out.probabilistic_links.push_back(std::move(link));
    }
  }
  return out;
}

void ToProfile(const query::Profile& p, rpc::Profile* out) {
  out->entity = ToEntity(p.entity);
  out->entity.keys.clear();
  for (const auto& [kind, value] : p.keys) {
    rpc::Key k;
    k.kind = kind;
    k.value = value;
    out->entity.keys.push_back(std::move(k));
  }
  for (const auto& prop : p.properties) {
    for (const auto& src : prop.sources) {
      rpc::Property rp;
      rp.name = prop.name;
      rp.type = prop.type;
      rp.value = src.value;
      rp.source.department = src.department;
      rp.source.file = src.file;
      rp.source.record = src.record;
      rp.source.recorded_at = src.recorded_at.ToString();
      out->properties.push_back(std::move(rp));
    }
  }
  for (const auto& c : p.edges) {
    out->degree_by_edge_type[c.type] += static_cast<int64_t>(c.count);
  }
}

}  // namespace citygraph::api::internal
