// Batch locate: identity numbers -> ranked candidate residences with evidence.
#include "citygraph/query/locate.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "citygraph/keys.h"
#include "grid_workers.h"
#include "guard.h"
#include "internal.h"

namespace citygraph::query {

namespace {

struct Ids {
  KeyKindId id_number;
  LabelId house, grid, grid_worker;
  EdgeTypeId resides_at, owns, member_of, registered_at, located_in, assigned_to;
  std::optional<PropId> unresolved, evidence, relation, address;
};

StatusOr<Ids> FindIds(const Schema& s) {
  Ids t;
  CG_ASSIGN_OR_RETURN(t.id_number, s.FindKeyKind("id_number"));
  CG_ASSIGN_OR_RETURN(LabelId person, s.FindLabel("Person"));
  CG_ASSIGN_OR_RETURN(t.house, s.FindLabel("House"));
  CG_ASSIGN_OR_RETURN(t.grid, s.FindLabel("Grid"));
  CG_ASSIGN_OR_RETURN(t.grid_worker, s.FindLabel("GridWorker"));
  CG_ASSIGN_OR_RETURN(t.resides_at, s.FindEdgeType("RESIDES_AT"));
  CG_ASSIGN_OR_RETURN(t.owns, s.FindEdgeType("OWNS"));
  CG_ASSIGN_OR_RETURN(t.member_of, s.FindEdgeType("MEMBER_OF"));
  CG_ASSIGN_OR_RETURN(t.registered_at, s.FindEdgeType("REGISTERED_AT"));
  CG_ASSIGN_OR_RETURN(t.located_in, s.FindEdgeType("LOCATED_IN"));
  CG_ASSIGN_OR_RETURN(t.assigned_to, s.FindEdgeType("ASSIGNED_TO"));
  t.unresolved = internal::VertexPropId(s, person, "unresolved");
  t.evidence = internal::EdgePropId(s, t.resides_at, "evidence");
  t.relation = internal::EdgePropId(s, t.member_of, "relation");
  t.address = internal::VertexPropId(s, t.house, "address");
  return t;
}

// The ranking parameters of each kind of evidence met in a batch, looked up
// in the RankingConfig once per kind rather than once per item. One per
// thread.
class KindTable {
 public:
  static constexpr uint16_t kOwnership = 0, kRegistration = 1, kResides = 2;
  explicit KindTable(const RankingConfig& rank) : rank_(rank) {
    for (const char* k : {"ownership", "household_registration", "resides"}) Intern(k);
  }
  uint16_t Intern(std::string_view kind) {
    for (size_t i = 0; i < kinds_.size(); ++i)
      if (kinds_[i].name == kind) return static_cast<uint16_t>(i);
    Kind k{std::string(kind), 0, false};
    k.reliability = rank_.Reliability(k.name);
    k.decays = rank_.Decays(k.name);
    kinds_.push_back(std::move(k));
    return static_cast<uint16_t>(kinds_.size() - 1);
  }
  const std::string& name(uint16_t k) const { return kinds_[k].name; }
  // reliability(kind), times 0.5^(age / half_life) when the kind decays.
  double Weight(uint16_t k, Date item_date, Date d) const {
    double w = kinds_[k].reliability;
    if (kinds_[k].decays) {
      Date date = item_date == Date::Min() ? d : item_date;
      double age = std::max(0, d.days - date.days);
      w *= std::pow(0.5, age / rank_.half_life_days);
    }
    return w;
  }

 private:
  struct Kind {
    std::string name;
    double reliability;
    bool decays;
  };
  const RankingConfig& rank_;
  std::vector<Kind> kinds_;
};

struct Item {
  VertexId house;
  uint16_t kind;
  Date date;
  EdgeId edge;
  double weight = 0;
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

// Grid cells described once per batch, and their workers on D. A large
// batch takes the workers of every grid from a city-wide index (see
// grid_workers.h); a small one scans the in-edges of the grids it meets.
struct GridCache {
  std::mutex mu;
  std::unordered_map<VertexId, EntityRef> grids;
  std::unordered_map<VertexId, std::vector<EntityRef>> workers;
  std::shared_ptr<const internal::WorkerIndex> index;  // null: scan the grids
};

// Batches of at least this many numbers use batch-wide tables: the workers
// of every grid, the sources that have match records.
constexpr size_t kBatchTablesFrom = 64;

// Per-thread state reused from one number to the next.
struct Scratch {
  Scratch(const QueryContext& ctx, const RankingConfig& rank) : memo(ctx), kinds(rank) {}
  internal::EntityMemo memo;
  KindTable kinds;
  std::vector<Item> items;
  std::vector<VertexId> households;
  struct Cand {
    VertexId house;
    double score;
    Date latest;
    std::optional<std::string> key;  // fetched only to break a tie
  };
  std::vector<Cand> cands;
  std::vector<uint32_t> order;
};

EntityRef GridOf(const QueryContext& ctx, GridCache* cache, VertexId g) {
  {
    std::lock_guard<std::mutex> lock(cache->mu);
    auto it = cache->grids.find(g);
    if (it != cache->grids.end()) return it->second;
  }
  EntityRef ref = Describe(ctx, g);
  std::lock_guard<std::mutex> lock(cache->mu);
  cache->grids.emplace(g, ref);
  return ref;
}

std::vector<EntityRef> WorkersOf(const QueryContext& ctx, const Ids& t, GridCache* cache,
                                 VertexId g, Date d, size_t cap, Truncation* trunc) {
  {
    std::lock_guard<std::mutex> lock(cache->mu);
    auto it = cache->workers.find(g);
    if (it != cache->workers.end()) return it->second;
  }
  const Snapshot& snap = ctx.snap();
  std::vector<VertexId> ids;
  if (cache->index) {
    std::span<const VertexId> of = cache->index->Of(g);
    ids.assign(of.begin(), of.end());
  } else {
    Scan(
        snap, snap.in_edges(g), t.assigned_to, d, cap, g, trunc,
        [&](VertexId w, EdgeId, const EdgeRecord&) { ids.push_back(w); }, t.grid_worker);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  std::vector<EntityRef> workers;
  for (VertexId w : ids) workers.push_back(Describe(ctx, w));
  std::lock_guard<std::mutex> lock(cache->mu);
  cache->workers.emplace(g, workers);
  return workers;
}

LocateRow LocateOne(const QueryContext& ctx, const Ids& t, const std::string& input, Date d,
                    const RankingConfig& rank, const Limits& limits, const LocateOptions& options,
                    Truncation* trunc, GridCache* cache, Scratch* s) {
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
  row.normalized = std::move(*norm);
  auto found = snap.FindByKey(t.id_number, row.normalized);
  if (!found.ok()) {
    row.status = LocateStatus::kNotFound;
    return row;
  }
  const VertexId p = *found;
  s->memo.Clear();
  row.status = LocateStatus::kFound;
  row.person = s->memo.Get(p);
  if (t.unresolved) {
    Value u = snap.property(p, *t.unresolved);
    if (std::holds_alternative<bool>(u) && std::get<bool>(u)) {
      row.status = LocateStatus::kAmbiguous;
      row.message = "the person is flagged unresolved by entity resolution";
    }
  }

  // Gather candidate items as ids; evidence is built only for the
  // candidates returned.
  std::vector<Item>& items = s->items;
  items.clear();
  s->households.clear();
  AdjRange out = snap.out_edges(p);
  Scan(snap, out, t.resides_at, d, cap, p, trunc, [&](VertexId h, EdgeId e, const EdgeRecord& r) {
    std::string kind = internal::EdgePropText(snap, e, t.evidence);
    uint16_t k = kind.empty() ? KindTable::kResides : s->kinds.Intern(kind);
    items.push_back(Item{h, k, r.valid_from, e});
  });
  Scan(snap, out, t.owns, d, cap, p, trunc, [&](VertexId h, EdgeId e, const EdgeRecord& r) {
    if (snap.label(h) == t.house) items.push_back(Item{h, KindTable::kOwnership, r.valid_from, e});
  });
  Scan(snap, out, t.member_of, d, cap, p, trunc, [&](VertexId h, EdgeId, const EdgeRecord&) {
    if (std::find(s->households.begin(), s->households.end(), h) != s->households.end()) return;
    s->households.push_back(h);
    Scan(snap, snap.out_edges(h), t.registered_at, d, cap, h, trunc,
         [&](VertexId house, EdgeId e, const EdgeRecord& r) {
           items.push_back(Item{house, KindTable::kRegistration, r.valid_from, e});
         });
    Scan(snap, snap.in_edges(h), t.member_of, d, cap, h, trunc,
         [&](VertexId m, EdgeId e, const EdgeRecord&) {
           for (const HouseholdMember& prev : row.household)
             if (prev.person.id == m) return;
           row.household.push_back(HouseholdMember{
               s->memo.Get(m), internal::EdgePropText(snap, e, t.relation),
               options.household_evidence ? internal::MakeEvidence(ctx, e, &s->memo) : Evidence{}});
         });
  });

  // Score candidates (first appearance order, as the items came).
  auto& cands = s->cands;
  cands.clear();
  for (Item& it : items) {
    it.weight = s->kinds.Weight(it.kind, it.date, d);
    auto c = std::find_if(cands.begin(), cands.end(),
                          [&](const Scratch::Cand& x) { return x.house == it.house; });
    if (c == cands.end())
      c = cands.insert(cands.end(), Scratch::Cand{it.house, 0, Date::Min(), {}});
    c->score = rank.aggregate_sum ? c->score + it.weight : std::max(c->score, it.weight);
    if (it.date != Date::Min()) c->latest = std::max(c->latest, it.date);
  }
  auto key_of = [&](Scratch::Cand& c) -> const std::string& {
    if (!c.key) {
      auto keys = snap.keys(c.house);
      c.key = keys.empty() ? std::string() : std::move(keys[0].second);
    }
    return *c.key;
  };
  std::vector<uint32_t>& order = s->order;
  order.resize(cands.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    Scratch::Cand &x = cands[a], &y = cands[b];
    if (x.score != y.score) return x.score > y.score;
    if (x.latest != y.latest) return x.latest > y.latest;
    return key_of(x) < key_of(y);
  });
  double total = 0;
  for (const auto& c : cands) total += c.score;
  if (order.size() >= 2 && cands[order[0]].score == cands[order[1]].score &&
      cands[order[0]].latest == cands[order[1]].latest && row.status == LocateStatus::kFound) {
    row.status = LocateStatus::kAmbiguous;
    row.message = "the two best candidate residences have equal scores";
  }
  const size_t shown = std::min(order.size(), static_cast<size_t>(rank.max_candidates));
  row.candidates.reserve(shown);
  for (size_t i = 0; i < shown; ++i) {
    const Scratch::Cand& c = cands[order[i]];
    ResidenceCandidate rc;
    rc.house = s->memo.Get(c.house);
    if (t.address) rc.address = internal::TakeText(snap.property(c.house, *t.address));
    bool have_grid = false;
    Scan(snap, snap.out_edges(c.house), t.located_in, d, cap, c.house, trunc,
         [&](VertexId g, EdgeId, const EdgeRecord&) {
           if (have_grid) return;
           have_grid = true;
           rc.grid = GridOf(ctx, cache, g);
         });
    rc.score = c.score;
    rc.confidence = total > 0 ? c.score / total : 0;
    for (const Item& it : items) {
      if (it.house != c.house) continue;
      rc.evidence.push_back(EvidenceItem{s->kinds.name(it.kind), it.date, it.weight,
                                         internal::MakeEvidence(ctx, it.edge, &s->memo)});
    }
    std::stable_sort(
        rc.evidence.begin(), rc.evidence.end(),
        [](const EvidenceItem& a, const EvidenceItem& b) { return a.weight > b.weight; });
    row.candidates.push_back(std::move(rc));
  }
  if (!row.candidates.empty() && row.candidates[0].grid) {
    row.grid = row.candidates[0].grid;
    row.grid_workers = WorkersOf(ctx, t, cache, row.grid->id, d, cap, trunc);
  }
  return row;
}

}  // namespace

StatusOr<LocateResult> Locate(const QueryContext& ctx, std::span<const std::string> ids, Date as_of,
                              const RankingConfig& ranking, const Limits& limits,
                              const LocateOptions& options) {
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
  // Each row is built in place; `answered` marks the ones a limit did not cut.
  std::vector<LocateRow> rows(n);
  std::vector<uint8_t> answered(n, 0);
  const auto deadline = internal::DeadlineOf(limits);
  std::mutex mu;
  GridCache cache;
  std::optional<internal::MatchSources> match_sources;
  if (n >= kBatchTablesFrom) {
    cache.index = internal::WorkersByGrid(ctx, t.grid_worker, t.grid, t.assigned_to, as_of);
    match_sources.emplace(ctx);
  }
  tbb::enumerable_thread_specific<Scratch> scratches(std::cref(ctx), std::cref(ranking));
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 8), [&](const auto& range) {
    internal::Guard guard(limits, deadline);
    Truncation trunc;
    Scratch& scratch = scratches.local();
    if (match_sources) scratch.memo.set_match_sources(&*match_sources);
    for (size_t i = range.begin(); i != range.end(); ++i) {
      if (!guard.Check(&trunc)) break;
      rows[i] =
          LocateOne(ctx, t, ids[i], as_of, ranking, limits, options, &trunc, &cache, &scratch);
      rows[i].position = i;
      answered[i] = 1;
    }
    if (trunc.truncated) {
      std::lock_guard<std::mutex> lock(mu);
      result.truncation.Merge(trunc);
    }
  });
  // Rows cut by the deadline are dropped from the end of their chunk; keep
  // input order for the ones answered.
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!answered[i]) continue;
    if (kept != i) rows[kept] = std::move(rows[i]);
    ++kept;
  }
  rows.resize(kept);
  result.rows = std::move(rows);
  return result;
}

}  // namespace citygraph::query
