// Entity profile and household view.
#include "citygraph/query/profile.h"

#include <algorithm>
#include <map>

#include "guard.h"
#include "internal.h"

namespace citygraph::query {

StatusOr<Profile> GetProfile(const QueryContext& ctx, VertexId v, std::optional<Date> as_of,
                             const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  const Schema& schema = snap.schema();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, v));
  Profile p;
  p.entity = Describe(ctx, v);
  for (auto& [kind, value] : snap.keys(v)) p.keys.emplace_back(schema.key_kinds()[kind], value);
  const LabelDef& def = schema.labels()[snap.label(v)];
  std::vector<PropertyObservation> obs = snap.properties(v);
  for (PropId pid = 0; pid < def.properties.size(); ++pid) {
    ProfileProperty prop;
    prop.name = def.properties[pid].name;
    prop.type = std::string(PropTypeName(def.properties[pid].type));
    for (const PropertyObservation& o : obs) {
      if (o.prop != pid) continue;
      PropertySource s;
      s.value = ValueToString(o.value);
      SourceInfo info = snap.source(o.source.source);
      s.department = std::move(info.department);
      s.file = std::move(info.file);
      s.record = o.source.record;
      s.recorded_at = snap.batch_time(o.source.batch);
      for (MatchInfo& m : internal::LookupMatches(ctx, o.source))
        if (m.vertex == v) s.matches.push_back(std::move(m));
      prop.sources.push_back(std::move(s));
    }
    if (prop.sources.empty()) continue;
    prop.current = ValueToString(snap.property(v, pid));
    p.properties.push_back(std::move(prop));
  }
  // Edge counts by (type, direction), capped per direction like any expansion.
  std::map<std::pair<EdgeTypeId, int>, size_t> counts;
  auto count = [&](const AdjRange& range, Direction dir) {
    size_t seen = 0;
    for (const AdjEntry& a : range) {
      if (seen++ >= limits.max_expansions_per_vertex) {
        p.truncation.Set(TruncationReason::kMaxExpansions,
                         internal::HubDetail(snap, v, limits.max_expansions_per_vertex));
        break;
      }
      const EdgeRecord& rec = snap.edge(a.edge);
      if (as_of && !ValidOn(rec.valid_from, rec.valid_to, *as_of)) continue;
      ++counts[{rec.type, static_cast<int>(dir)}];
    }
  };
  count(snap.out_edges(v), Direction::kOut);
  count(snap.in_edges(v), Direction::kIn);
  for (const auto& [k, n] : counts)
    p.edges.push_back(
        EdgeCount{schema.edge_types()[k.first].name, static_cast<Direction>(k.second), n});
  return p;
}

namespace {

struct HouseholdTypes {
  LabelId person, household;
  EdgeTypeId member_of, registered_at, receives;
};

StatusOr<HouseholdTypes> FindHouseholdTypes(const Schema& s) {
  HouseholdTypes t;
  CG_ASSIGN_OR_RETURN(t.person, s.FindLabel("Person"));
  CG_ASSIGN_OR_RETURN(t.household, s.FindLabel("Household"));
  CG_ASSIGN_OR_RETURN(t.member_of, s.FindEdgeType("MEMBER_OF"));
  CG_ASSIGN_OR_RETURN(t.registered_at, s.FindEdgeType("REGISTERED_AT"));
  CG_ASSIGN_OR_RETURN(t.receives, s.FindEdgeType("RECEIVES"));
  return t;
}

bool Holds(const EdgeRecord& rec, std::optional<Date> as_of) {
  return !as_of || ValidOn(rec.valid_from, rec.valid_to, *as_of);
}

HouseholdView ViewOf(const QueryContext& ctx, const HouseholdTypes& t, VertexId h,
                     std::optional<Date> as_of, const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  HouseholdView view;
  view.household = Describe(ctx, h);
  size_t seen = 0;
  for (const AdjEntry& a : snap.in_edges(h)) {
    if (seen++ >= limits.max_expansions_per_vertex) {
      view.truncation.Set(TruncationReason::kMaxExpansions,
                          internal::HubDetail(snap, h, limits.max_expansions_per_vertex));
      break;
    }
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type != t.member_of || !Holds(rec, as_of)) continue;
    if (view.members.size() >= limits.max_rows) {
      view.truncation.Set(TruncationReason::kMaxRows,
                          "stopped at " + std::to_string(limits.max_rows) + " members");
      break;
    }
    view.members.push_back(HouseholdMember{Describe(ctx, a.nbr),
                                           internal::EdgePropText(snap, a.edge, "relation"),
                                           MakeEvidence(ctx, a.edge)});
  }
  for (const AdjEntry& a : snap.out_edges(h)) {
    const EdgeRecord& rec = snap.edge(a.edge);
    if (!Holds(rec, as_of)) continue;
    if (rec.type == t.registered_at) view.registered_at.push_back(MakeEvidence(ctx, a.edge));
    if (rec.type == t.receives) view.receives.push_back(MakeEvidence(ctx, a.edge));
  }
  return view;
}

}  // namespace

StatusOr<std::vector<HouseholdView>> GetHouseholds(const QueryContext& ctx, VertexId v,
                                                   std::optional<Date> as_of,
                                                   const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  CG_RETURN_IF_ERROR(internal::CheckVertex(snap, v));
  CG_ASSIGN_OR_RETURN(HouseholdTypes t, FindHouseholdTypes(snap.schema()));
  std::vector<HouseholdView> out;
  LabelId label = snap.label(v);
  if (label == t.household) {
    out.push_back(ViewOf(ctx, t, v, as_of, limits));
    return out;
  }
  if (label != t.person)
    return InvalidArgument("vertex " + std::to_string(v) + " is a " +
                           snap.schema().labels()[label].name + ", not a Person or a Household");
  std::vector<VertexId> seen;
  for (const AdjEntry& a : snap.out_edges(v)) {
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type != t.member_of || !Holds(rec, as_of)) continue;
    if (std::find(seen.begin(), seen.end(), a.nbr) != seen.end()) continue;
    seen.push_back(a.nbr);
    out.push_back(ViewOf(ctx, t, a.nbr, as_of, limits));
  }
  return out;
}

}  // namespace citygraph::query
