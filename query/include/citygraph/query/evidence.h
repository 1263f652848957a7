// Entities and evidence as query results show them: a vertex with its label,
// main key and display name; an edge with its type, endpoints, validity,
// source record (department, file, record ordinal), recorded_at and, when the
// link rests on a probabilistic entity-resolution match, the match score.
//
// Thread-safety: plain values; the Describe/MakeEvidence functions only read
// the context they are given and may run concurrently.
#ifndef CITYGRAPH_QUERY_EVIDENCE_H_
#define CITYGRAPH_QUERY_EVIDENCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/types.h"

namespace citygraph::query {

// A vertex as results show it.
struct EntityRef {
  VertexId id = kNoVertex;
  std::string label;     // "Person", "House", ...
  std::string key_kind;  // kind of the main key ("id_number"), "" if it has none
  std::string key;       // the main (first) key value, normalised
  std::string name;      // display name: name, else address, else ""
  bool operator==(const EntityRef&) const = default;
};

// One field comparison of an entity-resolution match.
struct MatchField {
  std::string field;
  bool agree = false;
  double weight = 0;
};

// An entity-resolution decision stored by ingest in aux namespace "er.match"
// under "<source_id>:<record>": the record was linked to `vertex` with `score`.
struct MatchInfo {
  VertexId vertex = kNoVertex;
  std::string label;
  double score = 0;
  std::string decision;  // as ingest wrote it: "merged", "new", ...
  // True unless the decision is a deterministic key match ("exact", "key",
  // "deterministic") or "new" (the record made a fresh unresolved vertex):
  // the link rests on a probabilistic match (ingest's "merged").
  bool probabilistic = false;
  std::vector<MatchField> fields;
};

// An edge with everything needed to trace it back to its source record.
struct Evidence {
  EdgeId edge = kNoEdge;
  std::string type;  // "OWNS", ...
  EntityRef from, to;
  Date valid_from = Date::Min();
  Date valid_to = Date::Max();
  std::string department;
  std::string file;
  uint32_t record = 0;  // line / record ordinal inside the file
  BatchId batch = 0;
  Timestamp recorded_at;
  // Edge properties rendered as text, e.g. {"share","0.5"}, {"evidence","rental"}.
  std::vector<std::pair<std::string, std::string>> props;
  // Entity-resolution matches recorded for this edge's source record whose
  // vertex is one of the endpoints. Empty when none was stored (key match) or
  // the context has no aux lookup.
  std::vector<MatchInfo> matches;

  // The lowest score among probabilistic matches, if any.
  std::optional<double> min_match_score() const;
};

// Describes vertex `v` of the context's snapshot. Precondition: v < num_vertices.
EntityRef Describe(const QueryContext& ctx, VertexId v);

// Builds the evidence of edge `e` (endpoints described, source resolved,
// matches looked up in "er.match" when ctx.aux is set; a malformed stored
// match is skipped). Precondition: e < num_edges.
Evidence MakeEvidence(const QueryContext& ctx, EdgeId e);

// The "er.match" key of a source record: "<source_id>:<record>".
std::string MatchKey(const SourceRef& source);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_EVIDENCE_H_
