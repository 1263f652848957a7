// The asset-conflict audit: parallel over the households receiving a programme.
#include "citygraph/query/conflicts.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <mutex>

#include "guard.h"
#include "internal.h"

namespace citygraph::query {
namespace {

struct ResolvedRule {
  const ConflictRule* rule;
  EdgeTypeId edge;
  LabelId target;
  std::vector<std::pair<PropId, std::string>> where;
  std::optional<std::pair<PropId, PropId>> active;
};

std::optional<Date> AsDate(const Value& v) {
  if (const Date* d = std::get_if<Date>(&v)) return *d;
  if (const std::string* s = std::get_if<std::string>(&v)) {
    auto d = Date::Parse(*s);
    if (d.ok()) return *d;
  }
  return std::nullopt;
}

bool TargetQualifies(const Snapshot& snap, const ResolvedRule& r, VertexId t, Date d) {
  if (snap.label(t) != r.target) return false;
  // Entries naming the same property are alternatives: one of them must match.
  for (size_t i = 0; i < r.where.size();) {
    PropId pid = r.where[i].first;
    std::string value = ValueToString(snap.property(t, pid));
    bool ok = false;
    size_t j = i;
    for (; j < r.where.size() && r.where[j].first == pid; ++j)
      ok = ok || r.where[j].second == value;
    if (!ok) return false;
    i = j;
  }
  if (r.active) {
    auto from = AsDate(snap.property(t, r.active->first));
    auto to = AsDate(snap.property(t, r.active->second));
    if (from && d < *from) return false;
    if (to && d >= *to) return false;
  }
  return true;
}

// The edges of `member` that make rule `r` hit on `d`, or empty.
std::vector<EdgeId> RuleEdges(const Snapshot& snap, const ResolvedRule& r, VertexId member, Date d,
                              const Limits& limits, Truncation* trunc) {
  AdjRange range =
      r.rule->direction == Direction::kOut ? snap.out_edges(member) : snap.in_edges(member);
  std::vector<EdgeId> edges;
  std::vector<VertexId> targets;
  size_t seen = 0;
  for (const AdjEntry& a : range) {
    if (seen++ >= limits.max_expansions_per_vertex) {
      trunc->Set(TruncationReason::kMaxExpansions,
                 internal::HubDetail(snap, member, limits.max_expansions_per_vertex));
      break;
    }
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type != r.edge || !ValidOn(rec.valid_from, rec.valid_to, d)) continue;
    if (!TargetQualifies(snap, r, a.nbr, d)) continue;
    edges.push_back(a.edge);
    if (std::find(targets.begin(), targets.end(), a.nbr) == targets.end()) targets.push_back(a.nbr);
  }
  if (static_cast<int>(targets.size()) < r.rule->min_count) edges.clear();
  return edges;
}

void CollectProbabilistic(const Evidence& e, std::vector<Evidence>* out) {
  for (const MatchInfo& m : e.matches) {
    if (!m.probabilistic) continue;
    for (const Evidence& prev : *out)
      if (prev.edge == e.edge) return;
    out->push_back(e);
    return;
  }
}

}  // namespace

StatusOr<ConflictReport> FindConflicts(const QueryContext& ctx, const ConflictRules& rules,
                                       Date as_of, const Limits& limits) {
  const Snapshot& snap = ctx.snap();
  const Schema& schema = snap.schema();
  CG_RETURN_IF_ERROR(rules.Validate(schema));
  CG_ASSIGN_OR_RETURN(KeyKindId program_kind, schema.FindKeyKind("program_code"));
  CG_ASSIGN_OR_RETURN(EdgeTypeId receives, schema.FindEdgeType("RECEIVES"));
  CG_ASSIGN_OR_RETURN(EdgeTypeId member_of, schema.FindEdgeType("MEMBER_OF"));
  auto program = snap.FindByKey(program_kind, rules.program);
  if (!program.ok()) return NotFound("programme '" + rules.program + "' is not in the database");
  std::vector<ResolvedRule> resolved;
  for (const ConflictRule& r : rules.rules) {
    ResolvedRule rr{&r, *schema.FindEdgeType(r.edge), *schema.FindLabel(r.target), {}, {}};
    for (const auto& [prop, text] : r.where)
      rr.where.emplace_back(*schema.FindVertexProperty(rr.target, prop), text);
    std::stable_sort(rr.where.begin(), rr.where.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (r.active)
      rr.active.emplace(*schema.FindVertexProperty(rr.target, r.active->first),
                        *schema.FindVertexProperty(rr.target, r.active->second));
    resolved.push_back(std::move(rr));
  }

  ConflictReport report;
  report.as_of = as_of;
  report.program = rules.program;
  // Recipients on D: one RECEIVES edge per household (the first valid one).
  std::vector<std::pair<VertexId, EdgeId>> recipients;
  for (const AdjEntry& a : snap.in_edges(*program)) {
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type != receives || !ValidOn(rec.valid_from, rec.valid_to, as_of)) continue;
    recipients.emplace_back(a.nbr, a.edge);
  }
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end(),
                               [](const auto& x, const auto& y) { return x.first == y.first; }),
                   recipients.end());
  report.recipients_checked = recipients.size();

  const auto deadline = internal::DeadlineOf(limits);
  std::vector<std::optional<ConflictHousehold>> slots(recipients.size());
  std::mutex mu;
  Truncation shared_trunc;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, recipients.size(), 16), [&](const auto& range) {
    internal::Guard guard(limits, deadline);
    Truncation trunc;
    for (size_t i = range.begin(); i != range.end(); ++i) {
      if (!guard.Check(&trunc)) break;
      auto [h, recv_edge] = recipients[i];
      std::vector<std::pair<VertexId, EdgeId>> members;
      size_t seen = 0;
      for (const AdjEntry& a : snap.in_edges(h)) {
        if (seen++ >= limits.max_expansions_per_vertex) {
          trunc.Set(TruncationReason::kMaxExpansions,
                    internal::HubDetail(snap, h, limits.max_expansions_per_vertex));
          break;
        }
        const EdgeRecord& rec = snap.edge(a.edge);
        if (rec.type != member_of || !ValidOn(rec.valid_from, rec.valid_to, as_of)) continue;
        bool dup = false;
        for (const auto& m : members) dup = dup || m.first == a.nbr;
        if (!dup) members.emplace_back(a.nbr, a.edge);
      }
      std::vector<RuleHit> hits;
      for (const auto& [m, medge] : members) {
        for (const ResolvedRule& rr : resolved) {
          std::vector<EdgeId> edges = RuleEdges(snap, rr, m, as_of, limits, &trunc);
          if (edges.empty()) continue;
          RuleHit hit{rr.rule->id, rr.rule->description, Describe(ctx, m), {}};
          for (EdgeId e : edges) hit.evidence.push_back(MakeEvidence(ctx, e));
          hits.push_back(std::move(hit));
        }
      }
      if (hits.empty()) continue;
      ConflictHousehold out;
      out.household = Describe(ctx, h);
      out.receives = MakeEvidence(ctx, recv_edge);
      CollectProbabilistic(out.receives, &out.probabilistic_links);
      for (const auto& [m, medge] : members) {
        HouseholdMember hm{Describe(ctx, m), internal::EdgePropText(snap, medge, "relation"),
                           MakeEvidence(ctx, medge)};
        CollectProbabilistic(hm.membership, &out.probabilistic_links);
        out.members.push_back(std::move(hm));
      }
      for (const RuleHit& hit : hits)
        for (const Evidence& e : hit.evidence) CollectProbabilistic(e, &out.probabilistic_links);
      out.hits = std::move(hits);
      slots[i] = std::move(out);
    }
    if (trunc.truncated) {
      std::lock_guard<std::mutex> lock(mu);
      shared_trunc.Merge(trunc);
    }
  });
  report.truncation = shared_trunc;
  for (auto& s : slots)
    if (s) report.households.push_back(std::move(*s));
  std::sort(report.households.begin(), report.households.end(),
            [](const ConflictHousehold& a, const ConflictHousehold& b) {
              return std::tie(a.household.key, a.household.id) <
                     std::tie(b.household.key, b.household.id);
            });
  if (report.households.size() > limits.max_rows) {
    report.truncation.Set(TruncationReason::kMaxRows,
                          std::to_string(report.households.size()) + " households flagged, " +
                              std::to_string(limits.max_rows) + " returned");
    report.households.resize(limits.max_rows);
  }
  return report;
}

}  // namespace citygraph::query
