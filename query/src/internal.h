// Internal helpers shared by the query sources.
#ifndef CITYGRAPH_QUERY_SRC_INTERNAL_H_
#define CITYGRAPH_QUERY_SRC_INTERNAL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"

namespace citygraph::query::internal {

// Every stored "er.match" entry of `source`'s record (empty without ctx.aux).
std::vector<MatchInfo> LookupMatches(const QueryContext& ctx, const SourceRef& source);

// Calls fn(nbr, edge, direction) for each adjacency entry of `v` whose edge
// passes `filter` (as-of, type) and whose neighbour's label passes it,
// examining at most `cap` entries per direction; fn returns false to stop.
// Returns false when an adjacency list was cut by `cap` (a hub); *stopped is
// set when fn asked to stop.
template <typename Fn>
bool ForEachNeighbor(const Snapshot& snap, VertexId v, const Filter& filter, size_t cap, Fn&& fn,
                     bool* stopped = nullptr, bool check_label = true) {
  bool complete = true;
  auto scan = [&](const AdjRange& range, Direction dir) -> bool {
    size_t seen = 0;
    for (const AdjEntry& a : range) {
      if (seen++ >= cap) {
        complete = false;
        break;
      }
      const EdgeRecord& rec = snap.edge(a.edge);
      if (!filter.EdgeAllowed(rec)) continue;
      if (check_label && !filter.LabelAllowed(snap.label(a.nbr))) continue;
      if (!fn(a.nbr, a.edge, dir)) {
        if (stopped) *stopped = true;
        return false;
      }
    }
    return true;
  };
  if (filter.direction != Direction::kIn && !scan(snap.out_edges(v), Direction::kOut))
    return complete;
  if (filter.direction != Direction::kOut) scan(snap.in_edges(v), Direction::kIn);
  return complete;
}

// "vertex 17 (Grid) has 40213 edges, examined 10000 per direction".
std::string HubDetail(const Snapshot& snap, VertexId v, size_t cap);

// InvalidArgument unless v < num_vertices.
Status CheckVertex(const Snapshot& snap, VertexId v);

// The id of vertex property `name` of `label` / edge property `name` of
// `type`, or nullopt. Unlike Schema::Find*Property these build no error
// message, so hot paths may probe for optional properties.
std::optional<PropId> VertexPropId(const Schema& schema, LabelId label, std::string_view name);
std::optional<PropId> EdgePropId(const Schema& schema, EdgeTypeId type, std::string_view name);

// `v` as text (ValueToString), moving a string value instead of copying it.
std::string TakeText(Value&& v);

// Value of property `name` on `v` as text ("" if absent or not in the schema).
std::string PropText(const Snapshot& snap, VertexId v, const char* name);

// Value of edge property `name` of `e` as text ("" if absent).
std::string EdgePropText(const Snapshot& snap, EdgeId e, const char* name);
// Same, for a property id already looked up (nullopt: "").
std::string EdgePropText(const Snapshot& snap, EdgeId e, std::optional<PropId> pid);

// The properties a vertex of one label is named by (evidence.h: its name,
// else its address), looked up once per label rather than once per vertex.
struct NameProps {
  std::optional<PropId> name, address;
  static NameProps Of(const Schema& schema, LabelId label);
};

// Describe (evidence.h) with the label's NameProps already found.
EntityRef Describe(const Snapshot& snap, VertexId v, const NameProps& props);

// Describes vertices and looks up a record's matches once per query: a
// result often names the same vertex many times (a person as the source of
// each of its edges, a household in each membership) and one source record
// often asserts several edges. Not thread-safe: one memo per thread; meant
// for a handful of entries (linear search).
// Which sources have any "er.match" record, found with one seek per such
// source: a query over many entities builds it once and skips the lookups of
// records whose source has none. Immutable once built.
class MatchSources {
 public:
  // When the context cannot list them, Has() is true for every source.
  explicit MatchSources(const QueryContext& ctx);
  bool Has(SourceId s) const { return all_ || (s < has_.size() && has_[s]); }

 private:
  bool all_ = true;
  std::vector<bool> has_;
};

class EntityMemo {
 public:
  explicit EntityMemo(const QueryContext& ctx) : ctx_(ctx) {}
  // Matches() then skips the lookups of sources without any (nullptr: look
  // every record up). `sources` must outlive the memo's use.
  void set_match_sources(const MatchSources* sources) { sources_ = sources; }
  const EntityRef& Get(VertexId v);
  const std::vector<MatchInfo>& Matches(const SourceRef& source);
  // The snapshot's source `s`, fetched once per memo.
  const SourceInfo& Source(SourceId s);
  // Forgets the entities and matches; keeps the per-label and per-source
  // tables, which do not grow with the number of entities described.
  void Clear() {
    memo_.clear();
    matches_.clear();
  }

 private:
  const QueryContext& ctx_;
  std::vector<std::optional<NameProps>> name_props_;      // by label
  std::vector<std::unique_ptr<SourceInfo>> source_info_;  // by source id
  std::vector<std::pair<VertexId, std::unique_ptr<EntityRef>>> memo_;
  std::vector<std::pair<std::pair<SourceId, uint32_t>, std::unique_ptr<std::vector<MatchInfo>>>>
      matches_;
  const MatchSources* sources_ = nullptr;
};

// MakeEvidence (evidence.h) describing the endpoints through `memo`.
Evidence MakeEvidence(const QueryContext& ctx, EdgeId e, EntityMemo* memo);

}  // namespace citygraph::query::internal

#endif  // CITYGRAPH_QUERY_SRC_INTERNAL_H_
