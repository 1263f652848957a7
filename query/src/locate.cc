// Batch locate: identity numbers -> ranked candidate residences with evidence.
#include "citygraph/query/locate.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "citygraph/keys.h"
#include "guard.h"
#include "internal.h"

namespace citygraph::query {

std::string_view LocateStatusName(LocateStatus s) {
  switch (s) {
    case LocateStatus::kFound:
      return "found";
    case LocateStatus::kNotFound:
      return "not_found";
    case LocateStatus::kInvalidId:
      return "invalid_id";
    case LocateStatus::kAmbiguous:
      return "ambiguous";
  }
  return "unknown";
}

namespace {

struct Ids {
  KeyKindId id_number;
  LabelId house, grid_worker;
  EdgeTypeId resides_at, owns, member_of, registered_at, located_in, assigned_to;
  std::optional<PropId> unresolved;
};

StatusOr<Ids> FindIds(const Schema& s) {
  Ids t;
  CG_ASSIGN_OR_RETURN(t.id_number, s.FindKeyKind("id_number"));
  CG_ASSIGN_OR_RETURN(LabelId person, s.FindLabel("Person"));
  CG_ASSIGN_OR_RETURN(t.house, s.FindLabel("House"));
  CG_ASSIGN_OR_RETURN(t.grid_worker, s.FindLabel("GridWorker"));
  CG_ASSIGN_OR_RETURN(t.resides_at, s.FindEdgeType("RESIDES_AT"));
  CG_ASSIGN_OR_RETURN(t.owns, s.FindEdgeType("OWNS"));
  CG_ASSIGN_OR_RETURN(t.member_of, s.FindEdgeType("MEMBER_OF"));
  CG_ASSIGN_OR_RETURN(t.registered_at, s.FindEdgeType("REGISTERED_AT"));
  CG_ASSIGN_OR_RETURN(t.located_in, s.FindEdgeType("LOCATED_IN"));
  CG_ASSIGN_OR_RETURN(t.assigned_to, s.FindEdgeType("ASSIGNED_TO"));
  auto u = s.FindVertexProperty(person, "unresolved");
  if (u.ok()) t.unresolved = *u;
  return t;
}

struct Item {
  VertexId house;
  std::string kind;
  Date date;
  EdgeId edge;
};

constexpr LabelId kAnyLabel = UINT16_MAX;

// Calls fn(nbr, edge) for edges of `type` valid on d, at most cap entries.
// With `nbr_label`, neighbours of other labels are skipped before their edge
// record is read (a grid cell has hundreds of houses and reports but one or
// two workers: the label array is far cheaper to probe than edge records).
template <typename Fn>
void Scan(const Snapshot& snap, const AdjRange& range, EdgeTypeId type, Date d, size_t cap,
          VertexId v, Truncation* trunc, Fn&& fn, LabelId nbr_label = kAnyLabel) {
  size_t seen = 0;
  for (const AdjEntry& a : range) {
    if (seen++ >= cap) {
      trunc->Set(TruncationReason::kMaxExpansions, internal::HubDetail(snap, v, cap));
      return;
    }
    if (nbr_label != kAnyLabel && snap.label(a.nbr) != nbr_label) continue;
    const EdgeRecord& rec = snap.edge(a.edge);
    if (rec.type == type && ValidOn(rec.valid_from, rec.valid_to, d)) fn(a.nbr, a.edge, rec);
  }
}

// Grid cell -> its workers on D, shared by the numbers of one batch (a grid
// cell's adjacency is long: every house and report in it).
struct WorkerCache {
  std::mutex mu;
  std::unordered_map<VertexId, std::vector<VertexId>> workers;
};

LocateRow LocateOne(const QueryContext& ctx, const Ids& t, const std::string& input, Date d,
                    const RankingConfig& rank, const Limits& limits, Truncation* trunc,
                    WorkerCache* cache) {
  const Snapshot& snap = ctx.snap();
  const size_t cap = limits.max_expansions_per_vertex;
  LocateRow row;
  row.input = input;
  auto norm = keys::NormalizeIdNumber(input);
  if (!norm.ok()) {
    row.status = LocateStatus::kInvalidId;
    row.message = norm.status().message();
    return row;
  }
  row.normalized = *norm;
  auto found = snap.FindByKey(t.id_number, *norm);
  if (!found.ok()) {
    row.status = LocateStatus::kNotFound;
    return row;
  }
  const VertexId p = *found;
  row.status = LocateStatus::kFound;
  row.person = Describe(ctx, p);
  if (t.unresolved && std::holds_alternative<bool>(snap.property(p, *t.unresolved)) &&
      std::get<bool>(snap.property(p, *t.unresolved))) {
    row.status = LocateStatus::kAmbiguous;
    row.message = "the person is flagged unresolved by entity resolution";
  }

  std::vector<Item> items;
  std::vector<VertexId> households;
  AdjRange out = snap.out_edges(p);
  Scan(snap, out, t.resides_at, d, cap, p, trunc, [&](VertexId h, EdgeId e, const EdgeRecord& r) {
    std::string kind = internal::EdgePropText(snap, e, "evidence");
    items.push_back(Item{h, kind.empty() ? "resides" : kind, r.valid_from, e});
  });
  Scan(snap, out, t.owns, d, cap, p, trunc, [&](VertexId h, EdgeId e, const EdgeRecord& r) {
    if (snap.label(h) == t.house) items.push_back(Item{h, "ownership", r.valid_from, e});
  });
  Scan(snap, out, t.member_of, d, cap, p, trunc, [&](VertexId h, EdgeId, const EdgeRecord&) {
    if (std::find(households.begin(), households.end(), h) != households.end()) return;
    households.push_back(h);
    Scan(snap, snap.out_edges(h), t.registered_at, d, cap, h, trunc,
         [&](VertexId house, EdgeId e, const EdgeRecord& r) {
           items.push_back(Item{house, "household_registration", r.valid_from, e});
         });
    Scan(
        snap, snap.in_edges(h), t.member_of, d, cap, h, trunc,
        [&](VertexId m, EdgeId e, const EdgeRecord&) {
          for (const HouseholdMember& prev : row.household)
            if (prev.person.id == m) return;
          row.household.push_back(HouseholdMember{
              Describe(ctx, m), internal::EdgePropText(snap, e, "relation"), MakeEvidence(ctx, e)});
        });
  });

  // Score candidates.
  struct Cand {
    VertexId house;
    double score = 0;
    Date latest = Date::Min();
    std::vector<EvidenceItem> evidence;
  };
  std::vector<Cand> cands;
  for (const Item& it : items) {
    double w = rank.Reliability(it.kind);
    Date date = it.date == Date::Min() ? d : it.date;
    if (rank.Decays(it.kind)) {
      double age = std::max(0, d.days - date.days);
      w *= std::pow(0.5, age / rank.half_life_days);
    }
    auto c = std::find_if(cands.begin(), cands.end(),
                          [&](const Cand& x) { return x.house == it.house; });
    if (c == cands.end()) c = cands.insert(cands.end(), Cand{it.house, 0, Date::Min(), {}});
    c->score = rank.aggregate_sum ? c->score + w : std::max(c->score, w);
    if (it.date != Date::Min()) c->latest = std::max(c->latest, it.date);
    c->evidence.push_back(EvidenceItem{it.kind, it.date, w, MakeEvidence(ctx, it.edge)});
  }
  std::vector<std::pair<Cand*, std::string>> order;
  for (Cand& c : cands)
    order.emplace_back(&c, snap.keys(c.house).empty() ? "" : snap.keys(c.house)[0].second);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first->score != b.first->score) return a.first->score > b.first->score;
    if (a.first->latest != b.first->latest) return a.first->latest > b.first->latest;
    return a.second < b.second;
  });
  double total = 0;
  for (const Cand& c : cands) total += c.score;
  if (order.size() >= 2 && order[0].first->score == order[1].first->score &&
      order[0].first->latest == order[1].first->latest && row.status == LocateStatus::kFound) {
    row.status = LocateStatus::kAmbiguous;
    row.message = "the two best candidate residences have equal scores";
  }
  for (size_t i = 0; i < order.size() && i < static_cast<size_t>(rank.max_candidates); ++i) {
    Cand& c = *order[i].first;
    ResidenceCandidate rc;
    rc.house = Describe(ctx, c.house);
    rc.address = internal::PropText(snap, c.house, "address");
    Scan(snap, snap.out_edges(c.house), t.located_in, d, cap, c.house, trunc,
         [&](VertexId g, EdgeId, const EdgeRecord&) {
           if (!rc.grid) rc.grid = Describe(ctx, g);
         });
    rc.score = c.score;
    rc.confidence = total > 0 ? c.score / total : 0;
    std::stable_sort(
        c.evidence.begin(), c.evidence.end(),
        [](const EvidenceItem& a, const EvidenceItem& b) { return a.weight > b.weight; });
    rc.evidence = std::move(c.evidence);
    row.candidates.push_back(std::move(rc));
  }
  if (!row.candidates.empty() && row.candidates[0].grid) {
    row.grid = row.candidates[0].grid;
    const VertexId g = row.grid->id;
    std::vector<VertexId> workers;
    bool cached = false;
    {
      std::lock_guard<std::mutex> lock(cache->mu);
      auto it = cache->workers.find(g);
      if (it != cache->workers.end()) {
        workers = it->second;
        cached = true;
      }
    }
    if (!cached) {
      Scan(
          snap, snap.in_edges(g), t.assigned_to, d, cap, g, trunc,
          [&](VertexId w, EdgeId, const EdgeRecord&) {
            if (std::find(workers.begin(), workers.end(), w) == workers.end()) workers.push_back(w);
          },
          t.grid_worker);
      std::lock_guard<std::mutex> lock(cache->mu);
      cache->workers.emplace(g, workers);
    }
    for (VertexId w : workers) row.grid_workers.push_back(Describe(ctx, w));
  }
  return row;
}

}  // namespace

StatusOr<LocateResult> Locate(const QueryContext& ctx, std::span<const std::string> ids, Date as_of,
                              const RankingConfig& ranking, const Limits& limits) {
  CG_ASSIGN_OR_RETURN(Ids t, FindIds(ctx.schema()));
  LocateResult result;
  result.as_of = as_of;
  size_t n = ids.size();
  if (n > limits.max_rows) {
    result.truncation.Set(
        TruncationReason::kMaxRows,
        std::to_string(n) + " numbers given, " + std::to_string(limits.max_rows) + " answered");
    n = limits.max_rows;
  }
  std::vector<std::optional<LocateRow>> rows(n);
  const auto deadline = internal::DeadlineOf(limits);
  std::mutex mu;
  WorkerCache cache;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 8), [&](const auto& range) {
    internal::Guard guard(limits, deadline);
    Truncation trunc;
    for (size_t i = range.begin(); i != range.end(); ++i) {
      if (!guard.Check(&trunc)) break;
      rows[i] = LocateOne(ctx, t, ids[i], as_of, ranking, limits, &trunc, &cache);
    }
    if (trunc.truncated) {
      std::lock_guard<std::mutex> lock(mu);
      result.truncation.Merge(trunc);
    }
  });
  // Rows cut by the deadline are dropped from the end of their chunk; keep
  // input order for the ones answered.
  for (auto& r : rows)
    if (r) result.rows.push_back(std::move(*r));
  return result;
}

std::vector<std::string> SplitIdList(std::string_view text) {
  std::vector<std::string> out;
  bool first_line = true;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = keys::TrimSpaces(line);
    bool header =
        first_line && !trimmed.empty() &&
        std::none_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        keys::FullWidthToHalfWidth(trimmed) == std::string(trimmed);
    if (!trimmed.empty()) first_line = false;
    if (trimmed.empty() || trimmed.front() == '#' || header) continue;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',' || line[i] == ';' || line[i] == '\t') {
        std::string_view cell = keys::TrimSpaces(line.substr(start, i - start));
        if (!cell.empty()) out.emplace_back(cell);
        start = i + 1;
      }
    }
    if (nl == text.size()) break;
  }
  return out;
}

}  // namespace citygraph::query
