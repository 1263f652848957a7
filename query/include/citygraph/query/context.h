// What every query runs on: a snapshot of the graph plus an optional lookup of
// auxiliary records (entity-resolution explanations), and the filters shared
// by the primitives (as-of date, edge types, labels, direction). Also the
// resolution of user-typed keys ("id_number:420102...", a bare identity number
// in any pasted format, "vertex:17") to vertex ids.
//
// Thread-safety: a QueryContext is immutable once built and may be shared by
// any number of threads (the snapshot is immutable; `aux` must be thread-safe,
// which Database::GetAux is).
#ifndef CITYGRAPH_QUERY_CONTEXT_H_
#define CITYGRAPH_QUERY_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::query {

// Reads an auxiliary record; NotFound when absent.
using AuxLookup = std::function<StatusOr<std::string>(std::string_view ns, std::string_view key)>;
// The distinct beginnings of the auxiliary keys of `ns`, each up to and
// including the first `delimiter` (Database::AuxKeyPrefixes).
using AuxPrefixLookup =
    std::function<StatusOr<std::vector<std::string>>(std::string_view ns, char delimiter)>;

struct QueryContext {
  std::shared_ptr<const Snapshot> snapshot;
  AuxLookup aux;  // may be empty: evidence then carries no match scores
  // May be empty. When set, large queries skip the per-record match lookups
  // of source files none of whose records has a match stored.
  AuxPrefixLookup aux_prefixes;

  // The database's current snapshot, with aux read through db.GetAux. `db`
  // must outlive the context.
  static QueryContext FromDatabase(const Database& db);

  const Snapshot& snap() const { return *snapshot; }
  const Schema& schema() const { return snapshot->schema(); }
};

enum class Direction { kOut, kIn, kBoth };

// "out", "in", "both"; Parse is InvalidArgument for anything else.
std::string_view DirectionName(Direction d);
StatusOr<Direction> ParseDirection(std::string_view name);

// Which edges a traversal may follow. Empty lists mean "all".
struct Filter {
  std::optional<Date> as_of;           // only edges valid on that day (ValidOn)
  std::vector<EdgeTypeId> edge_types;  // edge types to follow
  std::vector<LabelId> labels;         // labels of the vertices reached (not the start)
  Direction direction = Direction::kBoth;

  // True if edge `rec` passes the as-of and edge-type tests.
  bool EdgeAllowed(const EdgeRecord& rec) const;
  // True if a reached vertex with `label` passes the label test.
  bool LabelAllowed(LabelId label) const;
};

// Builds a Filter from names ("OWNS", "Person"); NotFound naming an unknown one.
StatusOr<Filter> MakeFilter(const Schema& schema, std::optional<Date> as_of,
                            const std::vector<std::string>& edge_types,
                            const std::vector<std::string>& labels,
                            Direction direction = Direction::kBoth);

// Resolves a key as a user types it:
//   "<kind>:<value>"  a key of that kind (e.g. "id_number:42010219900101123x",
//                     "plate:鄂A 12345", "case_no:(2023)鄂0102执1号"); the value
//                     is normalised for id_number, credit_code, plate, phone;
//   "vertex:<id>"     an internal vertex id;
//   "<value>"         a bare value: tried as an identity number (15/18 digits,
//                     x/X, spaces, full-width), then a credit code, a plate,
//                     a phone number, then verbatim under every key kind.
// Returns the vertex, InvalidArgument when the value cannot be a key of the
// kind named (the message says why) or the kind is unknown, NotFound when no
// vertex has it.
StatusOr<VertexId> ResolveKey(const Snapshot& snap, std::string_view key_spec);

// Normalises `value` for key kind `kind` (by name) with citygraph::keys;
// kinds without a normaliser are returned trimmed.
StatusOr<std::string> NormalizeKey(std::string_view kind, std::string_view value);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_CONTEXT_H_
